"""pytest plugin for tracelab: run labs and commands under the tracer with
safe limits, grade a student's submission, and report scores.

Loaded by tests/conftest.py (`pytest_plugins = ["tracelab.pytest_plugin"]`),
so `make test` and a plain `pytest` from the repository both have it.

Fixtures
    trace_lab(name=None, variant=None, hold=None, classes=None, ...) -> Trace
        runs a lab (by default the one the test file is named after:
        test_lab07_x.py -> lab07) under the tracer with limits; a run that a
        limit stopped fails the test with the reason (it scores zero).
    trace_cmd(argv, ...) -> Trace     the same for a command
    lab_dir(name=None) -> Path        the lab's folder in use (the graded copy)
    tracelab_limits -> Limits         the limits in force
    submission -> Build or None       what was built from --submission

Markers
    @pytest.mark.points(5)      what the test is worth (default 1)
    @pytest.mark.hidden         graded, but shown to students only once
                                published (or @pytest.mark.hidden("hidden"))
    @pytest.mark.repeat(5)      run the test 5 times; it passes only if every
                                run does (with trace_lab(hold="sigchld"),
                                a race that goes the lucky way is no longer luck)

Options
    --submission PATH (or $TRACELAB_SUBMISSION), --lab N: grade a student's
    file or folder: the labs are copied to a temporary folder, the lab's .c
    is replaced by the student's and built, and TRACELAB_LABS points the
    tracer there. A build that fails scores zero with the compiler's messages.
    --gradescope PATH: write Gradescope's results.json.
    --score-table: print the score table (it is printed when grading anyway).
    --hidden-visibility: after_published (default), after_due_date or hidden.
    --trace-timeout S, --trace-max-procs N, --trace-max-mem MB,
    --trace-max-output BYTES: the limits of every run.
"""

import json
import os
import re
import shlex
import textwrap
import time
from pathlib import Path

import pytest

from . import submission as _sub
from .expect import ExpectationFailed
from .guard import DEFAULT_LIMITS, Stopped, run_limited
from .runner import TraceError, trace_binary

_VISIBILITIES = ("hidden", "after_due_date", "after_published")
_MESSAGE_CAP = 8000


# ------------------------------------------------------------------ setup

def pytest_addoption(parser):
    g = parser.getgroup("tracelab", "tracelab: grading labs under the tracer")
    g.addoption("--submission", metavar="PATH", default=os.environ.get("TRACELAB_SUBMISSION") or None,
                help="grade this student's file or folder (default: $TRACELAB_SUBMISSION)")
    g.addoption("--lab", metavar="N", default=os.environ.get("TRACELAB_LAB") or None,
                help="which lab the submission is for (default: from its file name)")
    g.addoption("--gradescope", metavar="PATH", default=None,
                help="write Gradescope's results.json to PATH")
    g.addoption("--score-table", action="store_true", default=False,
                help="print the score table at the end (always printed when grading)")
    g.addoption("--hidden-visibility", default="after_published", choices=_VISIBILITIES,
                help="Gradescope visibility of @pytest.mark.hidden tests")
    g.addoption("--trace-timeout", type=int, metavar="S", default=None,
                help=f"time limit of each traced run (default {DEFAULT_LIMITS.timeout})")
    g.addoption("--trace-max-procs", type=int, metavar="N", default=None,
                help=f"processes alive at once (default {DEFAULT_LIMITS.max_procs})")
    g.addoption("--trace-max-mem", type=int, metavar="MB", default=None,
                help=f"memory per process (default {DEFAULT_LIMITS.max_mem_mb})")
    g.addoption("--trace-max-output", type=int, metavar="BYTES", default=None,
                help=f"output a program may print (default {DEFAULT_LIMITS.max_output})")


def pytest_configure(config):
    config.addinivalue_line("markers", "points(n): what the test is worth in the score (default 1)")
    config.addinivalue_line("markers", "hidden(visibility=None): a test students see only once "
                            "grades are published (Gradescope visibility)")
    config.addinivalue_line("markers", "repeat(n): run the test n times; every run must pass")
    state = _State(config)
    config._tracelab = state
    if state.submission and not Path(state.submission).exists():
        raise pytest.UsageError(f"--submission {state.submission}: no such file or folder")


def pytest_unconfigure(config):
    state = getattr(config, "_tracelab", None)
    if state and state.build:
        state.build.cleanup()


class _State:
    def __init__(self, config):
        o = config.option
        self.config = config
        self.submission = o.submission
        self.lab = o.lab
        self.limits = DEFAULT_LIMITS.but(timeout=o.trace_timeout, max_procs=o.trace_max_procs,
                                         max_mem_mb=o.trace_max_mem, max_output=o.trace_max_output)
        self.build = None
        self.build_error = None
        self.results = {}        # nodeid -> result dict (controller side)
        self.started = time.time()

    @property
    def grading(self):
        o = self.config.option
        return bool(self.submission or o.gradescope or o.score_table)

    def prepare(self, items):
        """Build the submission once the tests are known (they may say the lab)."""
        if not self.submission or self.build is not None or self.build_error:
            return
        lab = self.lab
        if lab is None:
            # The submission's names say the lab (lab07.c); if they do not,
            # the tests' names do (test_lab07_*.py), when they name one.
            nums = {_sub.lab_number(Path(str(it.fspath)).name) for it in items} - {None}
            try:
                _sub.choose_sources(self.submission)
            except _sub.SubmissionError:
                if len(nums) == 1:
                    lab = nums.pop()
        try:
            self.build = _sub.prepare(self.submission, lab)
        except _sub.SubmissionError as e:
            self.build_error = str(e)
            return
        if len(self.build.labs) == 1:
            self.lab = self.build.labs[0].lab
        if self.build.ok:
            os.environ["TRACELAB_LABS"] = str(self.build.labs_dir)
            self._limit_every_run()
        elif self.build.error:
            self.build_error = self.build.error
        else:
            self.build_error = "Your program did not compile:\n\n" + self.build.output


    def _limit_every_run(self):
        """Tests that run the tracer themselves (tracelab.run_lab) rather
        than through trace_lab get the process, memory and time limits too:
        TRACELAB_TRACE becomes a wrapper that puts them first on the
        tracer's command line (options the caller gives come later, and win)."""
        real = trace_binary()
        wrapper = self.build.workdir / "trace"
        lim = self.limits
        wrapper.write_text("#!/bin/sh\n# tracelab grading: every run of the tracer has limits\n"
                           f"exec {shlex.quote(str(real))} --timeout {lim.timeout} "
                           f"--max-procs {lim.max_procs} --max-mem {lim.max_mem_mb} \"$@\"\n")
        wrapper.chmod(0o755)
        os.environ["TRACELAB_TRACE"] = str(wrapper)


def _state(config):
    return config._tracelab


# -------------------------------------------------------------- collection

def pytest_collection_modifyitems(session, config, items):
    state = _state(config)
    state.prepare(items)
    _keep_the_graded_labs(state, config, items)
    for item in items:
        points = item.get_closest_marker("points")
        hidden = item.get_closest_marker("hidden")
        repeat = item.get_closest_marker("repeat")
        if points is not None and (not points.args or not isinstance(points.args[0], (int, float))):
            raise pytest.UsageError(f"{item.nodeid}: use @pytest.mark.points(N) with a number")
        if repeat is not None and (not repeat.args or not isinstance(repeat.args[0], int)
                                   or repeat.args[0] < 1):
            raise pytest.UsageError(f"{item.nodeid}: use @pytest.mark.repeat(N) with N >= 1")
        vis = None
        if hidden is not None:
            vis = (hidden.args[0] if hidden.args else hidden.kwargs.get("visibility")) \
                or config.option.hidden_visibility
            if vis not in _VISIBILITIES:
                raise pytest.UsageError(f"{item.nodeid}: hidden visibility is one of "
                                        f"{', '.join(_VISIBILITIES)}, not {vis!r}")
        item._tracelab = {"points": points.args[0] if points else 1,
                          "visibility": vis,
                          "title": _title(item)}


def _keep_the_graded_labs(state, config, items):
    """Grading lab 7: a test file named for another lab (test_lab06_...)
    would test the kit's own program, not the student's; leave it out."""
    if not state.submission:
        return
    if state.build is not None and state.build.labs:
        wanted = {_sub.lab_number(b.lab) for b in state.build.labs}
    elif state.lab is not None:
        wanted = {_sub.lab_number(state.lab)}
    else:
        return
    keep, drop = [], []
    for item in items:
        num = _sub.lab_number(Path(str(item.fspath)).name)
        (drop if num is not None and num not in wanted else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def _title(item, width=64):
    """The docstring's first sentence (or paragraph), else the test's name."""
    doc = (getattr(getattr(item, "obj", None), "__doc__", None) or "").strip()
    para = " ".join(doc.split("\n\n")[0].split())
    first = re.split(r"(?<=[.!?:])\s", para)[0].rstrip(".:") if para else ""
    if len(first) > width:
        first = first[:width - 3].rstrip() + "..."
    name = first or item.name
    if first and "[" in item.name:
        name += " [" + item.name.split("[", 1)[1]
    return name


def pytest_runtest_setup(item):
    state = _state(item.config)
    if state.build_error:
        pytest.fail(state.build_error + "\n\nEvery test scores zero.", pytrace=False)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    marker = pyfuncitem.get_closest_marker("repeat")
    if marker is None or marker.args[0] == 1:
        return None
    n = marker.args[0]
    fn = pyfuncitem.obj
    args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    for i in range(1, n + 1):
        try:
            fn(**args)
        except BaseException as e:
            note = f"(run {i} of {n}; every run must pass) "
            if isinstance(e, pytest.fail.Exception):
                e.msg = note + e.msg
            elif e.args and isinstance(e.args[0], str):
                e.args = (note + e.args[0],) + e.args[1:]
            raise
    return True


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    info = dict(getattr(item, "_tracelab", None) or {"points": 1, "visibility": None,
                                                     "title": item.name})
    if rep.failed:
        info["message"] = _message(rep, call)
    elif rep.skipped:
        info["message"] = _skip_reason(rep)
    rep.tracelab = info


def _message(rep, call):
    exc = call.excinfo.value if call.excinfo is not None else None
    if isinstance(exc, (ExpectationFailed, Stopped)):
        text = str(exc)
    elif isinstance(exc, pytest.fail.Exception):
        text = exc.msg
    else:
        # What pytest prints after "E", without the test's source around it.
        lines = [l[4:] if l.startswith("E   ") else l[1:].lstrip() for l in rep.longreprtext.splitlines()
                 if l.startswith("E ") or l == "E"]
        where = getattr(getattr(rep.longrepr, "reprcrash", None), "lineno", None)
        text = textwrap.dedent("\n".join(lines)) if lines else rep.longreprtext
        if lines and where:
            text += f"\n({Path(str(rep.location[0])).name}, line {where})"
    if len(text) > _MESSAGE_CAP:
        text = text[:_MESSAGE_CAP] + "\n... (cut short)"
    return text


def _skip_reason(rep):
    if isinstance(rep.longrepr, tuple) and len(rep.longrepr) == 3:
        return str(rep.longrepr[2])
    return "skipped"


# ---------------------------------------------------------------- fixtures

@pytest.fixture
def tracelab_limits(request):
    """The limits of every traced run in this session."""
    return _state(request.config).limits


@pytest.fixture
def submission(request):
    """The Build of --submission (None when not grading)."""
    return _state(request.config).build


def _default_lab(request):
    state = _state(request.config)
    num = _sub.lab_number(Path(str(request.node.fspath)).name)
    if num is not None:
        return f"lab{num:02d}"
    if state.lab:
        return state.lab
    raise pytest.UsageError(f"{request.node.nodeid}: say which lab: trace_lab('lab7')")


def _run(request, stopped_ok, **kw):
    __tracebackhide__ = True
    state = _state(request.config)
    limits = state.limits.but(timeout=kw.pop("timeout", None), max_procs=kw.pop("max_procs", None),
                              max_mem_mb=kw.pop("max_mem", None), max_output=kw.pop("max_output", None))
    try:
        trace = run_limited(limits=limits, **kw)
    except TraceError as e:
        pytest.fail(f"The tracer could not run it: {e}", pytrace=False)
    request.node._tracelab_traces = getattr(request.node, "_tracelab_traces", []) + [trace]
    if trace.stopped and not stopped_ok:
        raise Stopped(trace.stopped, trace)
    return trace


@pytest.fixture
def trace_lab(request):
    """trace_lab(name=None, variant=None, *, hold=None, classes=None,
    timeout=None, max_procs=None, max_mem=None, max_output=None, env=None,
    stopped_ok=False) -> Trace. hold="sigchld" arranges the SIGCHLD race
    (every SIGCHLD coalesces), so a handler that works by luck fails."""
    def run(name=None, variant=None, *, hold=None, classes=None, env=None, stopped_ok=False,
            extra_args=(), **limits):
        __tracebackhide__ = True
        return _run(request, stopped_ok, lab=name or _default_lab(request), variant=variant,
                    hold=hold, classes=classes, env=env, extra_args=extra_args, **limits)
    return run


@pytest.fixture
def trace_cmd(request):
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
        root = _sub.labs_root()
        return root / _sub.find_lab(name, root)
    return find


# --------------------------------------------------------------- reporting

def pytest_runtest_logreport(report):
    info = getattr(report, "tracelab", None)
    if info is None:
        return
    state = getattr(_config_holder, "state", None)
    if state is None:
        return
    r = state.results.setdefault(report.nodeid, {
        "nodeid": report.nodeid, "title": info.get("title"), "points": info.get("points", 1),
        "visibility": info.get("visibility"), "outcome": "passed", "message": "",
        "location": (str(report.location[0]), report.location[1] or 0)})
    if report.failed:
        r["outcome"] = "failed"
        if not r["message"]:
            r["message"] = info.get("message") or ""
    elif report.skipped and r["outcome"] == "passed":
        r["outcome"] = "skipped"
        r["message"] = info.get("message") or "skipped"


class _ConfigHolder:
    state = None


_config_holder = _ConfigHolder()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    _config_holder.state = _state(session.config)


def _ordered(state):
    return sorted(state.results.values(), key=lambda r: (r["location"], r["nodeid"]))


def _score(r):
    return r["points"] if r["outcome"] == "passed" else 0


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    state = _state(config)
    if hasattr(config, "workerinput") or not state.grading or not state.results:
        return
    tr = terminalreporter
    what = f" for {state.lab}" if state.lab else ""
    if state.submission:
        what += f" ({state.submission})"
    tr.write_sep("=", f"tracelab grade{what}")
    total = maximum = 0
    for r in _ordered(state):
        score = _score(r)
        total += score
        maximum += r["points"]
        status = {"passed": "OK", "failed": "FAIL", "skipped": "SKIP"}[r["outcome"]]
        title = r["title"] + (" (hidden)" if r["visibility"] else "")
        dots = "." * max(3, 60 - len(title))
        tr.write_line(f"  {title} {dots} {status:<4} {_num(score):>4}/{_num(r['points'])}")
        if r["outcome"] != "passed" and r["message"]:
            first = r["message"].strip().splitlines()[0] if r["message"].strip() else ""
            tr.write_line(f"      {first[:110]}")
    tr.write_line(f"  Score: {_num(total)}/{_num(maximum)}")


def _num(x):
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    state = _state(config)
    path = config.option.gradescope
    if hasattr(config, "workerinput") or not path:
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(gradescope_results(state), f, indent=2)
        f.write("\n")


def gradescope_results(state):
    """Gradescope's results.json for this session's tests."""
    tests = []
    for r in _ordered(state):
        t = {"name": r["title"], "score": _score(r), "max_score": r["points"],
             "status": "passed" if r["outcome"] == "passed" else "failed",
             "output": r["message"] if r["outcome"] != "passed" else "",
             "visibility": r["visibility"] or "visible"}
        tests.append(t)
    notes = []
    if state.build is not None:
        for b in state.build.labs:
            if b.ok:
                notes.append(f"{b.source.name} compiled for {b.lab}" +
                             (" with warnings:\n" + b.output if b.output else "."))
    if state.build_error:
        notes.append(state.build_error)
    if not tests:
        notes.append("No test ran: the autograder found no tests for this submission.")
    return {"score": sum(t["score"] for t in tests),
            "execution_time": int(time.time() - state.started),
            "output": "\n\n".join(notes),
            "stdout_visibility": "hidden",
            "extra_data": {"max_score": sum(t["max_score"] for t in tests), "lab": state.lab,
                           "built": bool(state.build and state.build.ok)},
            "tests": tests}
