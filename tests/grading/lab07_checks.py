"""Lab 7's expectations, as a grader writes them: the grading tests
(tests/grading/test_grading*.py) grade submissions with this file. It is not
collected by a plain `pytest` (its name does not start with test_);
run it with `pytest tests/grading/lab07_checks.py --submission FILE`.

The lab runs with hold="sigchld": the tracer holds SIGCHLD back until no
child is left running, so the signals always coalesce and a handler that
reaps one child per signal fails every time, not only when the race goes
against it.
"""

import pytest

from tracelab.expect import HANDLER, call, expect, first


@pytest.mark.points(2)
def test_handler_installed_before_first_fork(trace_lab):
    """sigaction(SIGCHLD) comes before the first fork"""
    trace = trace_lab("lab7")
    expect(trace).parent.in_order(call("sigaction", sig="SIGCHLD", handler=HANDLER),
                                  first(call("fork")))


@pytest.mark.points(4)
@pytest.mark.repeat(3)
def test_handler_loops_on_waitpid_wnohang(trace_lab):
    """the SIGCHLD handler calls waitpid(-1, WNOHANG)"""
    trace = trace_lab("lab7", hold="sigchld")
    expect(trace).parent.handler("SIGCHLD").does(call("waitpid", pid=-1, options="WNOHANG"))


@pytest.mark.points(4)
@pytest.mark.repeat(3)
@pytest.mark.hidden
def test_no_zombie_when_sigchlds_coalesce(trace_lab):
    """no zombie is left when SIGCHLDs coalesce"""
    trace = trace_lab("lab7", hold="sigchld")
    expect(trace).parent.exactly(5, call("fork"))
    expect(trace).no_leaked_zombies()
