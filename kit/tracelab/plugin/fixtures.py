"""The plugin's fixtures: run a lab or a command under the tracer with the
session's limits, and say which lab and limits are in use.

    trace_lab(name=None, variant=None, *, hold=None, classes=None, ...) -> Trace
    shared_trace_lab(...)      the same, one run per test module and arguments
    trace_cmd(argv, ...)       a command
    lab_dir(name=None), tracelab_limits, submission
"""

import time
from pathlib import Path

import pytest

from .. import runner
from .. import submission as _sub
from ..guard import Stopped
from ..i18n import _
from ..shown import first_lines, last_lines
from .budget import budget_of
from .state import session_of


@pytest.fixture(scope="session")
def tracelab_kit():
    """The tracer, the load generator and the labs, built (once)."""
    runner.build_kit()
    return runner.REPO


@pytest.fixture
def tracelab_limits(request):
    """The limits of every traced run in this session."""
    return session_of(request.config).limits


@pytest.fixture
def submission(request):
    """The Build of --submission (None when not grading)."""
    return session_of(request.config).build


def _default_lab(request):
    num = _sub.lab_number(Path(str(request.node.fspath)).name)
    if num is not None:
        return f"lab{num:02d}"
    lab = session_of(request.config).lab
    if lab:
        return lab
    raise pytest.UsageError(f"{request.node.nodeid}: say which lab: trace_lab('lab7')")


def _run(request, stopped_ok, *, timeout=None, max_procs=None, max_mem=None, max_output=None,
         max_tree_mem=None, max_cpu=None, **kw):
    """One run with the session's limits (some changed for this run). A
    run that a limit stopped fails the test (it scores zero) unless
    stopped_ok; one that was not stopped must have been traced whole."""
    __tracebackhide__ = True
    state = session_of(request.config)
    limits = state.limits.but(timeout=timeout, max_procs=max_procs, max_mem_mb=max_mem,
                              max_output=max_output, max_tree_mem_mb=max_tree_mem, max_cpu_s=max_cpu)
    # The submission's time budget (budget.py): none left, no run; less
    # left than the run's time limit, a shorter limit.
    budget = budget_of(request.config)
    if budget.not_run():
        pytest.fail(budget.not_run(), pytrace=False)
    full = limits.timeout
    limits, cut_at = budget.limit_run(limits)
    began = time.monotonic()
    try:
        trace = runner.run(limits=limits, labs=state.labs_dir, **kw)
    except runner.TraceError as e:
        pytest.fail(_("The tracer could not run it: ") + first_lines(str(e)), pytrace=False)
    if cut_at is not None and trace.stopped and time.monotonic() - began >= limits.timeout:
        trace.stopped = budget.cut_reason(cut_at, full)   # its time was the budget's
    if trace.stopped:
        if not stopped_ok:
            raise Stopped(trace.stopped, trace)
    elif trace.summary is None or trace.summary.get("lost"):
        # Its stderr holds the program's own: a few lines of it.
        pytest.fail(_("The tracer did not trace the whole run (summary: {summary}); "
                      "its stderr ended with:").format(summary=trace.summary) + "\n"
                    + last_lines(trace.stderr), pytrace=False)
    return trace


def _lab_runner(request):
    def run(name=None, variant=None, *, hold=None, classes=None, env=None, stopped_ok=False,
            extra_args=(), **limits):
        __tracebackhide__ = True
        return _run(request, stopped_ok, lab=name or _default_lab(request), variant=variant,
                    hold=hold, classes=classes, env=env, extra_args=extra_args, **limits)
    return run


@pytest.fixture
def trace_lab(request, tracelab_kit):
    """trace_lab(name=None, variant=None, *, hold=None, classes=None,
    timeout=None, max_procs=None, max_mem=None, max_output=None,
    max_tree_mem=None, max_cpu=None, env=None, stopped_ok=False) -> Trace. Each call is a fresh run. hold="sigchld"
    arranges the SIGCHLD race (every SIGCHLD coalesces), so a handler that
    works by luck fails."""
    return _lab_runner(request)


@pytest.fixture(scope="module")
def shared_trace_lab(request, tracelab_kit):
    """Like trace_lab, but a test module's tests share one run per set of
    arguments: for a file of tests that each check one lesson of the same
    run. (For @pytest.mark.repeat, use trace_lab: a shared run is one run.)"""
    run = _lab_runner(request)
    runs = {}

    def shared(*args, **kw):
        __tracebackhide__ = True
        key = repr((args, sorted(kw.items())))
        if key not in runs:
            try:
                runs[key] = run(*args, **kw)
            except (AssertionError, pytest.fail.Exception) as e:
                runs[key] = e       # a stopped run fails every test, without running again
        if isinstance(runs[key], BaseException):
            raise runs[key]
        return runs[key]
    return shared


@pytest.fixture
def trace_cmd(request, tracelab_kit):
    """trace_cmd(argv, *, classes=None, hold=None, timeout=None, ...,
    stopped_ok=False) -> Trace."""
    def run(argv, *, hold=None, classes=None, env=None, cwd=None, stopped_ok=False,
            extra_args=(), **limits):
        __tracebackhide__ = True
        return _run(request, stopped_ok, argv=list(argv), hold=hold, classes=classes, env=env,
                    cwd=cwd, extra_args=extra_args, **limits)
    return run


@pytest.fixture
def lab_dir(request):
    """lab_dir(name=None) -> the lab's folder that the tracer uses (the
    graded copy when grading)."""
    def find(name=None):
        name = name or _default_lab(request)
        root = session_of(request.config).labs_dir
        return root / _sub.find_lab(name, root)
    return find
