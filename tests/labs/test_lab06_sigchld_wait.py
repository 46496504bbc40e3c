"""Lab 6, a SIGCHLD handler that calls wait() once: not enough.

The load (lab.conf) is 5 clients whose children exit at the same instant,
and `hold = sigchld` makes their SIGCHLDs coalesce every run. The
`restart` variant installs the same handler with SA_RESTART.
"""

import pytest

from tracelab.expect import (above, call, event, expect, leaked_zombie, load_done, reaped,
                             signal)

CHILDREN = 5


@pytest.fixture(scope="module")
def trace(shared_trace_lab):
    return shared_trace_lab("lab6")


@pytest.fixture(scope="module")
def restart(shared_trace_lab):
    return shared_trace_lab("lab6", "restart")


def check_signals_merge_and_zombies_leak(trace):
    e = expect(trace)
    e.every_child.there_are(CHILDREN)
    e.every_child.exactly(1, event("exit", process=True))
    e.parent.at_least(1, signal("SIGCHLD", action="handler")).at_most(CHILDREN - 1, signal("SIGCHLD"))
    signals = len(trace.signals("SIGCHLD", pid=trace.root))
    runs = e.parent.handler("SIGCHLD")
    runs.there_are(signals)                                   # every SIGCHLD runs the handler
    runs.exactly(1, call("wait4")).does(call("wait4", ret=above(0)))   # one wait(), one child each
    e.exactly(signals, reaped(how="wait"))
    e.exactly(CHILDREN - signals, leaked_zombie())            # at least one, since signals < 5
    e.does(load_done(exit=0))


@pytest.mark.points(3)
def test_sigchld_coalesce_and_zombies_leak(trace):
    """Fewer SIGCHLDs than children, one reaped per signal, the rest leak.

    A signal that is already pending is not queued again, so five exits
    bring one or two SIGCHLDs. One wait() per SIGCHLD reaps one child per
    signal; the other children stay zombies.

    vi: Ít SIGCHLD hơn số tiến trình con, số còn lại bị bỏ sót"""
    check_signals_merge_and_zombies_leak(trace)


@pytest.mark.points(2)
def test_sigchld_interrupts_accept(trace):
    """SIGCHLD interrupts accept(): it returns -1 EINTR.

    The server sits in accept() when SIGCHLD comes; without SA_RESTART the
    kernel does not restart the call after the handler.

    vi: SIGCHLD ngắt accept()"""
    expect(trace).parent.each(call("accept", err="EINTR"), interrupted="EINTR", signal="SIGCHLD")


@pytest.mark.points(1)
def test_accept_is_called_again_after_eintr(trace):
    """After accept() fails with EINTR, the server calls it again.

    The lab is stopped only once the server sleeps in a call again
    (lab.conf: stop_when = asleep): the last accept() is still waiting for
    a client when SIGTERM ends the server.

    vi: Sau khi accept() thất bại với EINTR, máy chủ gọi lại nó"""
    check_accept_is_called_again(trace)


def check_accept_is_called_again(trace):
    expect(trace).parent.in_order(call("accept", err="EINTR", signal="SIGCHLD"),
                                  call("accept", unfinished="killed", slept=True))


@pytest.mark.points(2)
def test_sa_restart_restarts_accept(restart):
    """With SA_RESTART, accept() is restarted: the program never sees EINTR.

    vi: Với SA_RESTART, accept() được khởi động lại"""
    server = expect(restart).parent
    server.exactly(1, call("rt_sigaction")).does(call("rt_sigaction", flags="SA_RESTART"))
    server.does(call("accept", interrupted="restarted", signal="SIGCHLD"))
    server.never(call("accept", err="EINTR"))


@pytest.mark.points(2)
def test_sa_restart_does_not_fix_the_zombies(restart):
    """With SA_RESTART the zombies leak just the same.

    SA_RESTART changes what accept() does, not how many children one
    wait() reaps.

    vi: Với SA_RESTART, zombie vẫn bị bỏ sót y như cũ"""
    check_signals_merge_and_zombies_leak(restart)
