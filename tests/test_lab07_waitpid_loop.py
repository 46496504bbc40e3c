"""Lab 7, the fix: a SIGCHLD handler that loops on waitpid(-1, WNOHANG)
reaps every child that has exited, however many signals were merged.

The load and the arranged race are lab 6's: 5 children exit at the same
instant and their SIGCHLDs coalesce (lab.conf: hold = sigchld).
"""

import pytest

from labrun import handler_runs, load_exit, run_lab

CHILDREN = 5


@pytest.fixture(scope="module")
def trace():
    return run_lab("lab7")


def test_no_zombie_leaks(trace):
    """Every child is reaped by the server's waitpid(): zero leaked."""
    kids = [s["child"] for s in trace.spawns(kind="process", parent=trace.root)]
    assert len(kids) == CHILDREN
    assert trace.zombies.leaked == []
    assert sorted(r["child"] for r in trace.reaps(how="wait")) == sorted(kids)
    assert load_exit(trace) == 0


def test_handler_installed_before_the_first_fork(trace):
    """sigaction(SIGCHLD) comes before the first fork().

    A child that ended earlier would have had its SIGCHLD ignored."""
    handler = trace.syscalls(name="rt_sigaction", pid=trace.root)
    handler = [c for c in handler if c["args"]["sig"] == "SIGCHLD"
               and c["args"].get("handler") not in (None, "SIG_DFL", "SIG_IGN")]
    first_fork = trace.spawns(kind="process", parent=trace.root)[0]
    assert handler and handler[0]["t"] < first_fork["t"]


def test_one_signal_reaps_several_children(trace):
    """One SIGCHLD, several children reaped: fewer signals, all reaped."""
    assert len(trace.signals("SIGCHLD", pid=trace.root)) < CHILDREN
    reaped = [len([c for c in run if c["name"] == "wait4" and c["ret"] > 0])
              for run in handler_runs(trace, "SIGCHLD")]
    assert max(reaped) >= 2
    assert sum(reaped) == CHILDREN


def test_each_loop_ends_when_nothing_is_left_to_reap(trace):
    """Each handler loop ends on waitpid() = 0 or -1 ECHILD.

    waitpid(-1, WNOHANG) reaps one child per call; 0 means the other
    children still run, -1 ECHILD that there are none. WNOHANG means the
    handler never blocks."""
    runs = handler_runs(trace, "SIGCHLD")
    assert runs
    for run in runs:
        waits = [c for c in run if c["name"] == "wait4"]
        assert waits and all("WNOHANG" in w["args"]["options"] and w["args"]["pid"] == -1
                              for w in waits)
        assert all(w["ret"] > 0 for w in waits[:-1])
        last = waits[-1]
        assert last["ret"] == 0 or last["err"] == "ECHILD", last
