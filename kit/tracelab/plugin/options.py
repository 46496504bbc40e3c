"""The plugin's command-line options (and the environment variables that
stand in for some of them), and the session state they make."""

import os
from pathlib import Path

import pytest

from ..enclosure import TREE_MEM_MB
from ..guard import DEFAULT_LIMITS
from ..i18n import _, language
from .state import SESSION, Session

VISIBILITIES = ("hidden", "after_due_date", "after_published")


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
    g.addoption("--points-json", metavar="PATH", default=None,
                help="write what each collected test is worth to PATH (JSON: nodeid -> points); "
                     "with --collect-only, what `make autograder` adds up")
    g.addoption("--hidden-visibility", default="after_published", choices=VISIBILITIES,
                help="Gradescope visibility of @pytest.mark.hidden tests")
    g.addoption("--trace-timeout", type=int, metavar="S", default=None,
                help=f"time limit of each traced run (default {DEFAULT_LIMITS.timeout})")
    g.addoption("--trace-max-procs", type=int, metavar="N", default=None,
                help=f"processes alive at once (default {DEFAULT_LIMITS.max_procs})")
    g.addoption("--trace-max-mem", type=int, metavar="MB", default=None,
                help=f"memory per process (default {DEFAULT_LIMITS.max_mem_mb})")
    g.addoption("--trace-max-tree-mem", type=int, metavar="MB", default=None,
                help=f"memory of a graded run's whole tree, in a cgroup (default {TREE_MEM_MB}, "
                     f"or half the grader's memory if less)")
    g.addoption("--trace-max-cpu", type=int, metavar="S", default=None,
                help=f"CPU time of a graded run's whole tree, in a cgroup "
                     f"(default {DEFAULT_LIMITS.max_cpu_s})")
    g.addoption("--trace-max-output", type=int, metavar="BYTES", default=None,
                help=f"output a program may print (default {DEFAULT_LIMITS.max_output})")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    try:
        language()          # TRACELAB_LANG must name a language before anything is said
    except ValueError as e:
        raise pytest.UsageError(str(e))
    session = Session(config)
    config.stash[SESSION] = session
    if session.submission and not Path(session.submission).exists():
        raise pytest.UsageError(_("--submission {path}: no such file or folder").format(
            path=session.submission))


def pytest_unconfigure(config):
    session = config.stash.get(SESSION, None)
    if session is not None:
        session.close()
