"""Lab 9, joinable and detached threads side by side.

The load (lab.conf) is 6 clients one after another; client i gets thread i,
of kind detached, never joined, joined, detached, never joined, joined.
The server joins its joinable threads and exits by itself.
"""

import pytest

from labrun import run_lab

DETACHED, NEVER_JOINED, JOINED = [1, 4], [2, 5], [3, 6]


@pytest.fixture(scope="module")
def trace():
    return run_lab("lab9")


@pytest.fixture(scope="module")
def thread(trace):
    """Client number -> the tid of the thread that served it."""
    spawns = trace.spawns(kind="thread", parent=trace.root)
    return {i: s["child"] for i, s in enumerate(spawns, 1)}


def test_six_threads_one_process(trace, thread):
    """Six clients, six threads, one process, which exits 0 by itself."""
    assert len(thread) == 6
    assert trace.spawns(kind="process") == []
    assert trace.exit_status == 0
    assert not trace.select("lab", what="stop")


def test_detached_threads(trace, thread):
    """pthread_detach() for threads 1 and 4: freed as soon as they end."""
    detached = [c["args"]["thread"] for c in trace.libcalls("pthread_detach") if c["ret"] == 0]
    assert sorted(detached) == sorted(thread[i] for i in DETACHED)


def test_joined_threads(trace, thread):
    """pthread_join() for threads 3 and 6, by the main thread."""
    joined = [c for c in trace.libcalls("pthread_join") if c["ret"] == 0]
    assert [c["args"]["thread"] for c in joined] == [thread[i] for i in JOINED]
    assert all(c["tid"] == trace.root for c in joined)


def test_never_joined_threads_are_reported(trace, thread):
    """The summary's never_joined lists exactly threads 2 and 5.

    They are joinable, but their ids were dropped: nobody can join them,
    and their exit status and stack are never freed (the thread world's
    zombie)."""
    assert sorted(trace.summary["never_joined"]) == sorted(thread[i] for i in NEVER_JOINED)
