"""Lab 4, signal-driven I/O: a UDP server that never waits in a read. The
kernel sends it SIGIO when a datagram arrives, and the handler reads.

The load (lab.conf) is 3 UDP clients x 3 messages, sent in rounds, each
round 50 ms after the previous echoes, while the server works (200 ms) with
SIGIO blocked: the three datagrams of a round always share one SIGIO.
"""


import pytest

from tracelab.said import said
from tracelab.expect import (HANDLER, OWN_PID, call, expect, first, has, load_done, not_,
                             same, signal)

CLIENTS, ROUNDS = 3, 3
DATAGRAMS = CLIENTS * ROUNDS
SIGIO_HANDLER = call("rt_sigaction", sig="SIGIO", handler=HANDLER) \
    .described_as("sigaction(SIGIO) with a handler",
                  vi="sigaction(SIGIO) với một trình xử lý tín hiệu")


@pytest.fixture(scope="module")
def trace(shared_trace_lab):
    return shared_trace_lab("lab4")


@pytest.mark.points(3)
def test_asks_for_sigio_with_fcntl(trace):
    """A SIGIO handler, then fcntl F_SETOWN and O_ASYNC, all before bind().

    The handler first (SIGIO's default action kills the process);
    F_SETOWN names the process to signal (our own pid); F_SETFL turns on
    O_ASYNC (and O_NONBLOCK, for the handler's last read).

    vi: Trình xử lý SIGIO, rồi F_SETOWN và O_ASYNC, trước bind()"""
    server = expect(trace).parent
    server.each(call("rt_sigaction", sig="SIGIO"), handler=HANDLER)
    bind = first(call("bind", fd=same("socket")))
    server.in_order(SIGIO_HANDLER, call("fcntl", cmd="F_SETOWN", arg=OWN_PID, fd=same("socket")), bind)
    server.in_order(SIGIO_HANDLER, call("fcntl", cmd="F_SETFL", flags=has("O_ASYNC", "O_NONBLOCK"),
                                        fd=same("socket")), bind)
    server.never(call("fcntl", cmd="F_SETFL", flags=not_(has("O_ASYNC", "O_NONBLOCK"))))


@pytest.mark.points(1)
def test_sigio_runs_the_handler(trace):
    """SIGIO comes from the kernel and runs the handler.

    vi: SIGIO đến từ hạt nhân và chạy trình xử lý tín hiệu"""
    e = expect(trace)
    e.each(signal("SIGIO"), action="handler", code="SI_KERNEL")
    e.does(load_done(exit=0))


@pytest.mark.points(2)
def test_handler_reads_until_eagain_then_returns(trace):
    """Each handler run reads until recvfrom() says EAGAIN, then returns.

    Signals do not queue: one SIGIO may stand for several datagrams, so the
    handler reads until the socket is empty, and only then returns
    (rt_sigreturn).

    vi: Mỗi lần chạy trình xử lý đọc đến khi gặp EAGAIN rồi trả về"""
    runs = expect(trace).parent.handler("SIGIO").only(call())
    runs.ends_with(call("recvfrom", err="EAGAIN"), call("sigreturn"))
    runs.exactly(1, call(err=not_(None)))          # the last read is the only one that fails


@pytest.mark.points(2)
def test_all_reading_happens_in_the_handler(trace):
    """Every datagram is read by the handler, none by the main program.

    vi: Mọi datagram do trình xử lý đọc, chương trình chính không đọc"""
    server = expect(trace).parent.after_ready
    server.exactly(DATAGRAMS, call("recvfrom", err=None))
    server.exactly(DATAGRAMS, call("sendto", err=None))
    expect(trace).parent.handler("SIGIO").together.exactly(DATAGRAMS, call("recvfrom", err=None))


@pytest.mark.points(2)
def test_one_sigio_stands_for_a_whole_round(trace):
    """Signals do not queue: the datagrams of a round arrive while SIGIO is
    blocked, set its one pending bit, and bring one SIGIO between them.

    3 SIGIOs for 9 datagrams, each handler run reading 3 before EAGAIN;
    the program's own count after each SIGIO says the same.

    vi: Tín hiệu không xếp hàng, một SIGIO thay cho cả một lượt"""
    e = expect(trace)
    e.exactly(ROUNDS, signal("SIGIO"))
    e.parent.handler("SIGIO").exactly(CLIENTS, call("recvfrom", err=None))
    reports = said(trace.stdout, "SIGIO #%d: %d datagrams echoed so far")
    # (the last report may not be printed: the server is stopped as soon as
    # its handler has returned, and the load generator has its last echo)
    assert len(reports) >= ROUNDS - 1, trace.stdout
    assert reports == [(k, k * CLIENTS) for k in range(1, len(reports) + 1)], trace.stdout
    assert trace.summary["signals"].get("SIGIO") == ROUNDS
