"""Lab 4, signal-driven I/O: a UDP server that never waits in a read. The
kernel sends it SIGIO when a datagram arrives, and the handler reads.

The load (lab.conf) is 3 UDP clients x 3 messages, sent in rounds.
"""

import pytest

from labrun import handler_runs, load_exit, run_lab, server_calls

DATAGRAMS = 3 * 3


@pytest.fixture(scope="module")
def trace():
    return run_lab("lab4")


def test_asks_for_sigio_with_fcntl(trace):
    """A SIGIO handler, then fcntl F_SETOWN and O_ASYNC, all before bind().

    The handler first (SIGIO's default action kills the process);
    F_SETOWN names the process to signal (our own pid); F_SETFL turns on
    O_ASYNC (and O_NONBLOCK, for the handler's last read)."""
    calls = trace.syscalls(pid=trace.root)
    names = [c["name"] for c in calls]
    bind = names.index("bind")
    sock = calls[bind]["args"]["fd"]
    sigaction = [c for c in calls[:bind] if c["name"] == "rt_sigaction" and c["args"]["sig"] == "SIGIO"]
    assert sigaction and sigaction[0]["args"]["handler"] not in ("SIG_DFL", "SIG_IGN")
    fcntls = [c for c in calls[:bind] if c["name"] == "fcntl" and c["args"]["fd"] == sock]
    assert any(c["args"]["cmd"] == "F_SETOWN" and c["args"]["arg"] == trace.root for c in fcntls)
    setfl = [c for c in fcntls if c["args"]["cmd"] == "F_SETFL"]
    assert setfl and {"O_ASYNC", "O_NONBLOCK"} <= set(setfl[-1]["args"]["flags"])


def test_sigio_runs_the_handler(trace):
    """SIGIO comes from the kernel and runs the handler."""
    sigio = trace.signals("SIGIO")
    assert sigio and all(s["action"] == "handler" and s["code"] == "SI_KERNEL" for s in sigio)
    assert load_exit(trace) == 0


def test_handler_reads_until_eagain_then_returns(trace):
    """Each handler run reads until recvfrom() says EAGAIN, then returns.

    Signals do not queue: one SIGIO may stand for several datagrams, so the
    handler reads until the socket is empty, and only then returns
    (rt_sigreturn)."""
    runs = handler_runs(trace, "SIGIO")
    assert runs
    for run in runs:
        names = [c["name"] for c in run]
        assert names[-1] == "rt_sigreturn"
        assert names[-2] == "recvfrom" and run[-2]["err"] == "EAGAIN", names
        assert all(c["err"] is None for c in run[:-2])


def test_all_reading_happens_in_the_handler(trace):
    """Every datagram is read by the handler, none by the main program."""
    in_handlers = [c for run in handler_runs(trace, "SIGIO") for c in run
                   if c["name"] == "recvfrom" and c["err"] is None]
    everywhere = [c for c in server_calls(trace, "recvfrom") if c["err"] is None]
    assert len(in_handlers) == len(everywhere) == DATAGRAMS
    assert len([c for c in server_calls(trace, "sendto") if c["err"] is None]) == DATAGRAMS
