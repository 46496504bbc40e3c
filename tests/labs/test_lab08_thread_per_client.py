"""Lab 8, one thread per client: pthread_create() instead of fork(). Every
client is served inside the same process; detached threads leave nothing
behind.

The load (lab.conf) is 4 clients talking at the same time.
"""

import pytest

from tracelab.expect import (call, expect, has, load_done, new_process, new_thread, signal,
                             summary)

CLIENTS = 4
DETACHED = (call("pthread_detach", ret=0)
            | call("pthread_create", attr="PTHREAD_CREATE_DETACHED")).described_as(
    "pthread_detach() of it, or its pthread_create() with a detached attribute",
    vi="pthread_detach() cho nó, hoặc pthread_create() của nó với thuộc tính tách rời")


@pytest.fixture(scope="module")
def trace(shared_trace_lab):
    return shared_trace_lab("lab8")


@pytest.mark.points(3)
def test_one_thread_per_client_no_new_process(trace):
    """N clients, N threads, no new process.

    pthread_create is clone with CLONE_THREAD: the new task joins the
    server's own process (same pid, its own tid).

    vi: N máy khách, N luồng, không tiến trình mới nào"""
    e = expect(trace)
    e.exactly(CLIENTS, new_thread())
    e.parent.exactly(CLIENTS, new_thread(call="pthread_create", flags=has("CLONE_THREAD")))
    e.never(new_process())
    e.does(summary(processes=1))
    e.does(load_done(exit=0))


@pytest.mark.points(2)
def test_threads_do_their_own_io(trace):
    """Each thread reads its own client; the main thread only accepts.

    vi: Mỗi luồng tự đọc máy khách của nó, luồng chính chỉ accept"""
    e = expect(trace)
    e.every_thread.does(call("read", ret=0))       # each saw its client hang up
    e.main_thread.never(call("read"))
    e.main_thread.does(call("accept"))
    e.every_thread.never(call("accept"))


@pytest.mark.points(2)
def test_no_sigchld_no_zombie(trace):
    """A thread that ends sends no SIGCHLD and leaves no zombie.

    vi: Luồng kết thúc không gửi SIGCHLD và không để lại zombie"""
    e = expect(trace)
    e.never(signal("SIGCHLD"))
    e.no_leaked_zombies()
    e.does(summary(max_concurrent=0))


@pytest.mark.points(3)
def test_every_thread_is_detached(trace):
    """Every thread is detached: none is left unjoined.

    lab08.c calls pthread_detach() on each new thread (creating it with a
    PTHREAD_CREATE_DETACHED attribute would do as well). A detached thread
    is freed as soon as it returns.

    vi: Mọi luồng đều là luồng tách rời"""
    e = expect(trace)
    e.every_thread.exactly(1, DETACHED)
    e.exactly(CLIENTS, DETACHED)
    e.never(call("pthread_join"))
    e.does(summary(never_joined=[]))
