"""Lab 1, blocking I/O: an iterative server serves one client at a time.

The load (lab.conf) is 3 clients x 3 messages; the load generator connects
all three before any of them talks, so clients 2 and 3 sit in the listen
queue during every one of client 1's reads.
"""

import pytest

from tracelab.expect import (above, below, call, expect, load_done, new_process, new_thread, not_,
                             summary)

CLIENTS, MESSAGES = 3, 3


@pytest.fixture(scope="module")
def trace(shared_trace_lab):
    return shared_trace_lab("lab1")


@pytest.mark.points(2)
def test_one_process_one_thread(trace):
    """One process with one thread: no fork, no pthread_create.

    Blocking I/O needs nothing more, and can do nothing more.

    vi: Một tiến trình với một luồng"""
    e = expect(trace)
    e.never(new_process()).never(new_thread())
    e.does(summary(processes=1, threads=0))
    e.does(load_done(exit=0))


@pytest.mark.points(5)
def test_next_client_accepted_only_after_the_last_hung_up(trace):
    """The next accept() comes only after read() returned 0 on the last client.

    While the server blocks in read() on client 1, nobody calls accept()
    for client 2, although it has connected long before: the calls go
    accept, read x (messages + 1, the last one returning 0), accept, ...

    vi: accept() kế tiếp chỉ đến sau khi read() trả về 0"""
    server = expect(trace).parent.after_ready
    server.exactly(CLIENTS, call("accept", ret=above(-1)))
    one = [call("read", ret=above(0))] * MESSAGES + [call("read", ret=0, err=None)]
    server.every_connection.only(call("read")).consists_of(*one)
    conversation = [call("accept")] + [call("read")] * (MESSAGES + 1)
    server.only(call("accept"), call("read")).starts_with(*conversation * CLIENTS)


@pytest.mark.points(3)
def test_every_read_waits_for_an_answer(trace):
    """No read() comes back empty-handed: each waits for data or end of file.

    No EAGAIN, no error: compare lab 2.

    vi: Không read() nào trở về tay không"""
    server = expect(trace).parent.after_ready
    server.does(call("read")).never(call("read", err=not_(None))).never(call("read", ret=below(0)))
