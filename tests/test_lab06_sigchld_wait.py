"""Lab 6, a SIGCHLD handler that calls wait() once: not enough.

The load (lab.conf) is 5 clients whose children exit at the same instant,
and `hold = sigchld` makes their SIGCHLDs coalesce every run. The
`restart` variant installs the same handler with SA_RESTART.
"""

import pytest

from labrun import handler_runs, load_exit, run_lab

CHILDREN = 5


@pytest.fixture(scope="module")
def trace():
    return run_lab("lab6")


@pytest.fixture(scope="module")
def restart():
    return run_lab("lab6", "restart")


def check_signals_merge_and_zombies_leak(trace):
    kids = {s["child"] for s in trace.spawns(kind="process", parent=trace.root)}
    exits = [e for e in trace.exits(process=True) if e["pid"] in kids]
    assert len(exits) == CHILDREN
    sigchld = trace.signals("SIGCHLD", pid=trace.root)
    assert 1 <= len(sigchld) < len(exits)
    runs = handler_runs(trace, "SIGCHLD")
    assert len(runs) == len(sigchld)
    for run in runs:                   # one wait() per run, one child each
        waits = [c for c in run if c["name"] == "wait4"]
        assert len(waits) == 1 and waits[0]["ret"] > 0
    assert len(trace.reaps(how="wait")) == len(sigchld)
    assert len(trace.zombies.leaked) == CHILDREN - len(sigchld) >= 1
    assert load_exit(trace) == 0


def test_sigchld_coalesce_and_zombies_leak(trace):
    """Fewer SIGCHLDs than children, one reaped per signal, the rest leak.

    A signal that is already pending is not queued again, so five exits
    bring one or two SIGCHLDs. One wait() per SIGCHLD reaps one child per
    signal; the other children stay zombies."""
    check_signals_merge_and_zombies_leak(trace)


def test_sigchld_interrupts_accept(trace):
    """SIGCHLD interrupts accept(): it returns -1 EINTR.

    The server sits in accept() when SIGCHLD comes; without SA_RESTART the
    kernel does not restart the call after the handler."""
    interrupted = trace.syscalls(name={"accept", "accept4"}, pid=trace.root, err="EINTR")
    assert interrupted
    assert all(c["interrupted"] == "EINTR" and c["signal"] == "SIGCHLD" for c in interrupted)


def test_sa_restart_restarts_accept(restart):
    """With SA_RESTART, accept() is restarted: the program never sees EINTR."""
    (sigaction,) = restart.syscalls(name="rt_sigaction", pid=restart.root)
    assert "SA_RESTART" in sigaction["args"]["flags"]
    accepts = restart.syscalls(name={"accept", "accept4"}, pid=restart.root)
    assert any(c.get("interrupted") == "restarted" and c["signal"] == "SIGCHLD" for c in accepts)
    assert not any(c["err"] == "EINTR" for c in accepts)


def test_sa_restart_does_not_fix_the_zombies(restart):
    """With SA_RESTART the zombies leak just the same.

    SA_RESTART changes what accept() does, not how many children one
    wait() reaps."""
    check_signals_merge_and_zombies_leak(restart)
