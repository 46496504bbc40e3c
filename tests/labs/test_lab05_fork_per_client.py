"""Lab 5, one child per client with fork(), and nobody waits for them: each
child that exits stays a zombie until the server ends.

The load (lab.conf) is 3 clients, one after another.
"""

import pytest

from tracelab.expect import (call, exited, expect, leaked_zombie, length, load_done, new_process,
                             new_thread, reaped, signal, summary)

CLIENTS = 3


@pytest.fixture(scope="module")
def trace(shared_trace_lab):
    return shared_trace_lab("lab5")


@pytest.mark.points(3)
def test_one_fork_per_client(trace):
    """N clients, N fork()s, N child processes, no thread.

    vi: N máy khách, N lần fork(), N tiến trình con, không luồng nào"""
    e = expect(trace)
    e.exactly(CLIENTS, new_process())
    e.parent.exactly(CLIENTS, new_process(call="fork"))
    e.never(new_thread())
    e.does(summary(processes=CLIENTS + 1))
    e.does(load_done(exit=0))


@pytest.mark.points(5)
def test_every_child_is_a_leaked_zombie(trace):
    """All N children end as leaked zombies.

    Each child exits when its client hangs up; its parent, alive, never
    reaps it, and ends (SIGTERM) with all N still zombies.

    vi: Cả N tiến trình con đều thành zombie bị bỏ sót"""
    e = expect(trace)
    e.every_child.there_are(CLIENTS)
    e.every_child.exactly(1, exited(0)).exactly(1, leaked_zombie())
    e.does(summary(leaked=length(CLIENTS)))
    e.never(reaped(how="wait"))


@pytest.mark.points(2)
def test_no_wait_at_all(trace):
    """No wait() or waitpid() anywhere, and SIGCHLD keeps its default action.

    SIGCHLD comes each time, and its default action runs nothing: unlike
    SIG_IGN, it leaves each child a zombie.

    vi: Không có wait() hay waitpid(), SIGCHLD giữ hành động mặc định"""
    e = expect(trace)
    e.never(call("wait4")).never(call("waitid"))
    e.parent.each(signal("SIGCHLD"), action="ignore", disposition="default", child_zombie=True)
