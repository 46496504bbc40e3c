"""Lab 2, non-blocking I/O: one process polls every socket in a loop, and
many of its calls find nothing and come back at once with EAGAIN.

The load (lab.conf) is 3 clients x 3 messages with 50 ms pauses; the server
naps 10 ms per pass, so each pause spans several passes that find nothing.
"""


import pytest

from tracelab.said import said
from tracelab.expect import (LISTENER, call, expect, load_done, new_process, new_thread,
                             not_, one_of, summary)

CLIENTS, MESSAGES = 3, 3
NAP_NS = 10_000_000             # lab02.c's nanosleep per pass
SET_NONBLOCK = call("fcntl", cmd="F_SETFL", flags="O_NONBLOCK")


@pytest.fixture(scope="module")
def trace(shared_trace_lab):
    return shared_trace_lab("lab2")


@pytest.fixture(scope="module")
def lab1(shared_trace_lab):
    return shared_trace_lab("lab1")


@pytest.mark.points(1)
def test_one_process_one_thread(trace):
    """Like lab 1, one process with one thread serves everyone.

    vi: Như lab 1, một tiến trình một luồng phục vụ mọi máy khách"""
    e = expect(trace)
    e.never(new_process()).never(new_thread())
    e.does(summary(processes=1))
    e.does(load_done(exit=0))


@pytest.mark.points(3)
def test_every_socket_is_made_non_blocking(trace):
    """fcntl(F_SETFL, O_NONBLOCK) on the listening socket and on each client.

    On Linux a socket from accept() does not inherit O_NONBLOCK: each one
    needs its own fcntl.

    vi: fcntl(F_SETFL, O_NONBLOCK) trên mọi socket"""
    server = expect(trace).parent.after_ready
    server.every_connection.there_are(CLIENTS)
    server.every_connection.exactly(1, SET_NONBLOCK)
    server.exactly(1, SET_NONBLOCK.that(fd=LISTENER))
    server.exactly(CLIENTS + 1, SET_NONBLOCK)          # and on no other fd


@pytest.mark.points(3)
def test_calls_that_find_nothing_return_eagain(trace):
    """accept() and read() that find nothing return -1 EAGAIN at once.

    Nobody connecting, a client that sent nothing yet: the call does not
    wait, and the loop tries again on its next pass. Each client pauses
    twice and the loop passes every 10 ms, so each pause meets at least
    one EAGAIN (a run has some 25-35 of them).

    vi: accept() và read() không có gì thì trả về ngay -1 EAGAIN"""
    server = expect(trace).parent.after_ready
    server.does(call("accept", err="EAGAIN").described_as(
        "an accept() that found the queue empty", vi="một accept() gặp hàng đợi trống"))
    server.every_connection.does(call("read", err="EAGAIN"))
    server.at_least(2 * CLIENTS, call("read", err="EAGAIN"))
    # and not one of them waited: nothing in this loop blocks
    server.never(call("read", err=not_(one_of(None, "EAGAIN"))))
    server.never(call("accept", err=not_(one_of(None, "EAGAIN"))))


@pytest.mark.points(1)
def test_lab1_asks_only_when_there_is_an_answer(trace, lab1):
    """Lab 1 needs no read() beyond the useful ones; lab 2 needs many more.

    The same echo work costs lab 1 one read() per message plus one for end
    of file, and not one EAGAIN. Lab 2 asks whether or not there is
    anything to read (and burns CPU in between).

    vi: Lab 1 chỉ cần các read() có ích, lab 2 cần nhiều hơn hẳn"""
    useful = CLIENTS * (MESSAGES + 1)
    blocking = expect(lab1).parent.after_ready
    blocking.exactly(useful, call("read")).exactly(useful, call("read", err=None))
    polling = expect(trace).parent.after_ready
    polling.exactly(useful, call("read", err=None))
    polling.at_least(useful + 2 * CLIENTS, call("read"))


def own_count(trace):
    """The server's own EAGAIN count, as it said when the last client left."""
    said_now = said(trace.stdout, "a client left; EAGAIN so far: accept %ld, read %ld")
    assert len(said_now) == CLIENTS, trace.stdout
    return sum(said_now[-1])


@pytest.mark.points(1)
def test_eagains_are_counted_by_the_server_too(trace):
    """The README's count: the server's own, at most 4 per pass (an accept
    and a read per client), and a pass takes at least the 10 ms nap; the
    trace sees every EAGAIN the server counted.

    vi: Số lần EAGAIN mà README nêu, máy chủ cũng tự đếm"""
    eagains = [ev for ev in trace.syscalls() if ev.get("err") == "EAGAIN"]
    counted = own_count(trace)
    assert 2 * CLIENTS <= counted <= len(eagains)
    span = eagains[-1]["t"] - eagains[0]["t"]
    assert len(eagains) <= (1 + CLIENTS) * (span // NAP_NS + 1)


@pytest.mark.points(1)
def test_one_accept_per_pass(trace):
    """The clients connect at once, yet each accept comes a pass (a 10 ms
    nap at least) after the one before.

    vi: Mỗi vòng lặp chỉ một accept, dù các máy khách kết nối cùng lúc"""
    accepted = [ev["t"] for ev in trace.syscalls() if ev.get("name") == "accept" and ev.get("err") is None]
    assert len(accepted) == CLIENTS
    assert all(b - a >= NAP_NS for a, b in zip(accepted, accepted[1:])), accepted
