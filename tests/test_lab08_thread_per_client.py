"""Lab 8, one thread per client: pthread_create() instead of fork(). Every
client is served inside the same process; detached threads leave nothing
behind.

The load (lab.conf) is 4 clients talking at the same time.
"""

import pytest

from labrun import load_exit, run_lab

CLIENTS = 4


@pytest.fixture(scope="module")
def trace():
    return run_lab("lab8")


def test_one_thread_per_client_no_new_process(trace):
    """N clients, N threads, no new process.

    pthread_create is clone with CLONE_THREAD: the new task joins the
    server's own process (same pid, its own tid)."""
    threads = trace.spawns(kind="thread")
    assert len(threads) == CLIENTS
    assert all(t["call"] == "pthread_create" and t["pid"] == trace.root and
               "CLONE_THREAD" in t["flags"] for t in threads)
    assert trace.spawns(kind="process") == []
    assert trace.summary["processes"] == 1
    assert load_exit(trace) == 0


def test_threads_do_their_own_io(trace):
    """Each thread reads its own client; the main thread only accepts."""
    tids = {t["child"] for t in trace.spawns(kind="thread")}
    eofs = [r for r in trace.syscalls(name="read", pid=trace.root) if r["ret"] == 0]
    assert {r["tid"] for r in eofs} == tids       # each saw its client hang up
    accepts = trace.syscalls(name={"accept", "accept4"}, pid=trace.root)
    assert accepts and {a["tid"] for a in accepts} == {trace.root}


def test_no_sigchld_no_zombie(trace):
    """A thread that ends sends no SIGCHLD and leaves no zombie."""
    assert trace.signals("SIGCHLD") == []
    assert trace.zombies.leaked == [] and trace.zombies.get("max_concurrent") == 0


def test_every_thread_is_detached(trace):
    """Every thread is detached: none is left unjoined.

    lab08.c calls pthread_detach() on each new thread (creating it with a
    PTHREAD_CREATE_DETACHED attribute would do as well). A detached thread
    is freed as soon as it returns."""
    tids = [t["child"] for t in trace.spawns(kind="thread")]
    detached = [c["args"]["thread"] for c in trace.libcalls("pthread_detach") if c["ret"] == 0]
    detached += [c["args"]["thread"] for c in trace.libcalls("pthread_create")
                 if c["args"].get("attr") == "PTHREAD_CREATE_DETACHED"]
    assert sorted(detached) == sorted(tids)
    assert trace.libcalls("pthread_join") == []
    assert trace.summary["never_joined"] == []
