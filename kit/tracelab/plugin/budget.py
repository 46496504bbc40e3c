"""The time budget of a graded submission (--budget S): what its build and
all its tests may take together, so that a test set never outlasts
Gradescope's timeout (which gives a submission 0 and no results at all).

Counted from one start: $TRACELAB_STARTED (seconds since the epoch, as
`date +%s.%N` prints it) when set (run_autograder sets it as it begins, so
that the budget counts the copy and the build before pytest too), else the
moment this pytest session was configured. Under pytest -n each worker
gets the controller's start, not its own: what must fit is the wall time
of the whole run, which began before any worker did; a worker that counted
from its own start would let the run go past the budget by the time the
workers took to start and build.

Once the budget has run out, a test not yet started is not run: it fails
(scores 0) with the reason. A traced run started with less than its time
limit left gets what is left as its limit, and if that cuts it short, it
says so. results.json is written as always, with the scores there are.
"""

import math
import os
import time

import pytest

from ..i18n import _

# 80% of Gradescope's default timeout of 10 minutes: run_autograder passes
# its own (a fraction of the assignment's timeout); this is for make grade.
DEFAULT_BUDGET = 480
# The shortest time limit a run can have: the tracer's --timeout counts
# whole seconds.
_MIN_RUN_S = 1

BUDGET = pytest.StashKey["Budget"]()


class Budget:
    """seconds (None: no budget) from start (time.time())."""

    def __init__(self, seconds, start):
        self.seconds, self.start = seconds, start

    def spent(self):
        return time.time() - self.start

    def left(self):
        return None if self.seconds is None else self.seconds - self.spent()

    def ran_out(self):
        left = self.left()
        return left is not None and left <= 0

    def not_run(self):
        """The reason a test that was not run scores zero, or None."""
        if not self.ran_out():
            return None
        return _("Not run: the {budget} s that grading this submission may take ran out; its "
                 "build and the tests before this one took {spent} s. This test scores zero.").format(
                     budget=_num(self.seconds), spent=f"{self.spent():.1f}")

    def limit_run(self, limits):
        """The limits of a run that starts now, its time limit cut to what
        is left of the budget (rounded up to whole seconds: the run ends
        with the budget, or less than a second after it), and what was
        left when it was cut (None: not cut)."""
        left = self.left()
        if left is None or left >= limits.timeout:
            return limits, None
        return limits.but(timeout=max(_MIN_RUN_S, math.ceil(left))), left

    def cut_reason(self, left, full):
        return _("the {budget} s that grading this submission may take ran out while it ran: "
                 "{left} s were left of it, less than its own time limit of {full} s").format(
                     budget=_num(self.seconds), left=f"{left:.1f}", full=full)


def _num(x):
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def budget_of(config):
    return config.stash[BUDGET]


def pytest_addoption(parser):
    g = parser.getgroup("tracelab", "tracelab: grading labs under the tracer")
    g.addoption("--budget", type=float, metavar="S", default=None,
                help=f"seconds that grading one submission may take, its build and every "
                     f"test, from $TRACELAB_STARTED or the session's start (default "
                     f"{DEFAULT_BUDGET} when grading a --submission, else none; 0: none)")


def _start(config):
    worker = getattr(config, "workerinput", None)
    if worker and "tracelab_started" in worker:
        return worker["tracelab_started"]
    env = os.environ.get("TRACELAB_STARTED")
    if env:
        try:
            return float(env)
        except ValueError:
            raise pytest.UsageError(_("{variable}={value!r}: give the start in seconds since "
                                      "the epoch, as `date +%s.%N` prints it").format(
                                          variable="TRACELAB_STARTED", value=env))
    return time.time()


def pytest_configure(config):
    seconds = config.option.budget
    if seconds is None and config.option.submission:
        seconds = DEFAULT_BUDGET
    if seconds is not None and seconds < 0:
        raise pytest.UsageError(_("--budget {seconds}: give seconds (0: no budget)").format(
            seconds=f"{seconds:g}"))
    config.stash[BUDGET] = Budget(seconds or None, _start(config))


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """pytest -n: the worker counts from the controller's start."""
    node.workerinput["tracelab_started"] = budget_of(node.config).start


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    reason = budget_of(item.config).not_run()
    if reason:
        pytest.fail(reason, pytrace=False)
