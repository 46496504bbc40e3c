"""Lab 5, one child per client with fork(), and nobody waits for them: each
child that exits stays a zombie until the server ends.

The load (lab.conf) is 3 clients, one after another.
"""

import pytest

from labrun import load_exit, run_lab

CLIENTS = 3


@pytest.fixture(scope="module")
def trace():
    return run_lab("lab5")


def children(trace):
    return [s["child"] for s in trace.spawns(kind="process", parent=trace.root)]


def test_one_fork_per_client(trace):
    """N clients, N fork()s, N child processes, no thread."""
    forks = trace.spawns(kind="process")
    assert len(forks) == CLIENTS
    assert all(f["call"] == "fork" and f["pid"] == trace.root for f in forks)
    assert trace.spawns(kind="thread") == []
    assert trace.summary["processes"] == CLIENTS + 1
    assert load_exit(trace) == 0


def test_every_child_is_a_leaked_zombie(trace):
    """All N children end as leaked zombies.

    Each child exits when its client hangs up; its parent, alive, never
    reaps it, and ends (SIGTERM) with all N still zombies."""
    kids = children(trace)
    for pid in kids:
        assert trace.processes[pid].exit == {"code": 0, "signal": None, "core": False}
    assert sorted(trace.zombies.leaked) == sorted(kids)
    assert trace.reaps(how="wait") == []


def test_no_wait_at_all(trace):
    """No wait() or waitpid() anywhere, and SIGCHLD is ignored.

    SIGCHLD comes each time, but its default action is to do nothing."""
    assert trace.syscalls(name={"wait4", "waitid"}) == []
    sigchld = trace.signals("SIGCHLD", pid=trace.root)
    assert sigchld and all(s["action"] == "ignore" for s in sigchld)
