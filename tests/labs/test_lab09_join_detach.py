"""Lab 9, joinable and detached threads side by side.

The load (lab.conf) is 6 clients one after another; client i gets thread i,
of kind detached, never joined, joined, detached, never joined, joined.
The server joins its joinable threads and exits by itself.
"""

import pytest

from tracelab.expect import call, event, expect, new_process, new_thread, summary

DETACHED, NEVER_JOINED, JOINED = [1, 4], [2, 5], [3, 6]


@pytest.fixture(scope="module")
def trace(shared_trace_lab):
    return shared_trace_lab("lab9")


@pytest.fixture(scope="module")
def thread(trace):
    """Client number -> the tid of the thread that served it (the threads
    the server created, in order)."""
    return dict(enumerate(trace.processes[trace.root].threads, 1))


@pytest.mark.points(1)
def test_six_threads_one_process(trace, thread):
    """Six clients, six threads, one process, which exits 0 by itself."""
    e = expect(trace)
    e.parent.exactly(6, new_thread())
    e.never(new_process())
    e.does(summary(exit=0))
    e.never(event("lab", what="stop").described_as("the tracer stopping the server"))


@pytest.mark.points(3)
def test_detached_threads(trace, thread):
    """pthread_detach() for threads 1 and 4: freed as soon as they end."""
    e = expect(trace)
    e.exactly(len(DETACHED), call("pthread_detach", ret=0))
    for i in DETACHED:
        e.thread(thread[i], f"thread {i}").exactly(1, call("pthread_detach", ret=0))


@pytest.mark.points(3)
def test_joined_threads(trace, thread):
    """pthread_join() for threads 3 and 6, by the main thread."""
    e = expect(trace)
    e.exactly(len(JOINED), call("pthread_join", ret=0))
    e.main_thread.in_order(*[call("pthread_join", thread=thread[i], ret=0) for i in JOINED])


@pytest.mark.points(3)
def test_never_joined_threads_are_reported(trace, thread):
    """The summary's never_joined lists exactly threads 2 and 5.

    They are joinable, but their ids were dropped: nobody can join them,
    and their exit status and stack are never freed (the thread world's
    zombie)."""
    expect(trace).does(summary(never_joined=[thread[i] for i in NEVER_JOINED]))
