"""Lab 7, the fix: a SIGCHLD handler that loops on waitpid(-1, WNOHANG)
reaps every child that has exited, however many signals were merged.

The load and the arranged race are lab 6's: 5 children exit at the same
instant and their SIGCHLDs coalesce (lab.conf: hold = sigchld).
"""

import pytest

from tracelab.expect import (HANDLER, above, call, expect, first, load_done, new_process, not_,
                             reaped, signal)

CHILDREN = 5
REAPS = call("wait4", ret=above(0)).described_as("a wait that reaps a child")


@pytest.fixture(scope="module")
def trace(shared_trace_lab):
    return shared_trace_lab("lab7")


@pytest.mark.points(4)
def test_no_zombie_leaks(trace):
    """Every child is reaped by the server's waitpid(): zero leaked."""
    e = expect(trace)
    e.parent.exactly(CHILDREN, new_process())
    e.no_leaked_zombies()
    e.every_child.exactly(1, reaped(how="wait"))
    e.exactly(CHILDREN, reaped(how="wait"))
    e.does(load_done(exit=0))


@pytest.mark.points(1)
def test_handler_installed_before_the_first_fork(trace):
    """sigaction(SIGCHLD) comes before the first fork().

    A child that ended earlier would have had its SIGCHLD ignored."""
    expect(trace).parent.in_order(call("rt_sigaction", sig="SIGCHLD", handler=HANDLER),
                                  first(new_process()))


@pytest.mark.points(2)
def test_one_signal_reaps_several_children(trace):
    """One SIGCHLD, several children reaped: fewer signals, all reaped."""
    server = expect(trace).parent
    server.at_most(CHILDREN - 1, signal("SIGCHLD"))
    server.handler("SIGCHLD").some.at_least(2, REAPS)
    server.handler("SIGCHLD").together.exactly(CHILDREN, REAPS)


@pytest.mark.points(3)
def test_each_loop_ends_when_nothing_is_left_to_reap(trace):
    """Each handler loop ends on waitpid() = 0 or -1 ECHILD.

    waitpid(-1, WNOHANG) reaps one child per call; 0 means the other
    children still run, -1 ECHILD that there are none. WNOHANG means the
    handler never blocks."""
    waits = expect(trace).parent.handler("SIGCHLD").only(call("wait4"))
    waits.each(call("wait4"), pid=-1, options="WNOHANG")
    waits.ends_with(call("wait4", ret=0) | call("wait4", err="ECHILD"))
    waits.exactly(1, call("wait4", ret=not_(above(0))))     # every wait but the last reaps
