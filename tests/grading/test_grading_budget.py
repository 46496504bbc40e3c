"""The time budget of a graded submission (--budget, plugin/budget.py): a
submission whose every run lasts until its time limit is graded with a
small budget; results.json keeps the scores of the tests that ran, the
ones that did not run score 0 and say why, a run under way when the
budget ran out is cut short to what was left of it and says so, counted
from $TRACELAB_STARTED as run_autograder sets it. Under pytest -n the
workers count from that same start. No test here times the grading: what
each message says was left is the fact checked (how long a grading takes
past its budget is a matter for the benchmark)."""

import json
import re
import time

import pytest

from grading.gradescope_spec import problems
from grading.nested import GRADING, clean_env, pytest as run_pytest
from tracelab.plugin.budget import DEFAULT_BUDGET

CHECKS = GRADING / "budget_checks.py"
SLEEPS = GRADING / "submissions" / "lab07_sleeps.c"

NOT_RUN = re.compile(r"^Not run: the (\d+) s that grading this submission may take ran out; its build "
                     r"and the tests before this one took [\d.]+ s\. This test scores zero\.$")
OWN_LIMIT = re.compile(r"Your program was stopped: it was still (running|waiting in \w+\(\)) after 2 s, "
                       r"the time limit")
CUT = re.compile(r"^Your program was stopped: the (\d+) s that grading this submission may take ran "
                 r"out while it ran: ([\d.]+) s were left of it, less than its own time limit of (\d+) s\.")


def kinds(results):
    """Each test's outcome in order: built, limit (stopped by its own time
    limit), cut (by the budget), not-run; the budget each message names;
    (seconds left, own limit) of each cut run."""
    out, budgets, cuts = [], set(), []
    for t in results["tests"]:
        text = t["output"]
        if t["status"] == "passed":
            out.append("built")
        elif OWN_LIMIT.match(text):
            out.append("limit")
        elif CUT.match(text):
            out.append("cut")
            budgets.add(int(CUT.match(text).group(1)))
            cuts.append((float(CUT.match(text).group(2)), int(CUT.match(text).group(3))))
        elif NOT_RUN.match(text.strip()):
            out.append("not-run")
            budgets.add(int(NOT_RUN.match(text.strip()).group(1)))
        else:
            out.append(text)
    return out, budgets, cuts


def grade_with_budget(tmp_path, budget, *args, started_ago=0):
    """Grades with the budget counted from started_ago seconds before now
    (the start run_autograder would have given)."""
    out = tmp_path / "results.json"
    done = run_pytest(CHECKS, "--submission", SLEEPS, "--lab", "7", "--gradescope", out,
                      "--budget", budget, *args,
                      env=clean_env(TRACELAB_STARTED=f"{time.time() - started_ago:.6f}"))
    assert out.is_file(), done.stdout + done.stderr
    results = json.loads(out.read_text())
    assert problems(results) == []
    return done, results


def test_the_tests_left_when_the_budget_runs_out_score_zero_and_say_why(tmp_path):
    """2 s runs, 9 s budget: some runs end at their own limit, then the
    budget runs out (maybe in a run, cut short to less than its own 2 s),
    and the rest do not run."""
    done, results = grade_with_budget(tmp_path, 9, "--trace-timeout", "2")
    got, budgets, cuts = kinds(results)
    assert re.fullmatch(r"built( limit)+( cut)?( not-run)+", " ".join(got)), got
    assert budgets == {9}
    assert all(left <= own == 2 for left, own in cuts), cuts     # (left is rounded to 0.1 s)
    assert results["score"] == 1 and results["tests"][0]["score"] == 1
    assert "Score: 1/7" in done.stdout


def test_under_pytest_n_every_worker_counts_from_the_shared_start(tmp_path):
    """TRACELAB_STARTED 40 s ago and a 60 s budget: 20 s are left, room
    for pytest -n to start and build on a busy machine. Each worker's
    first run (its limit 90 s) is cut when they are up. Each cut run says
    what was left: at most the 20 s the shared start leaves; had a worker
    counted from its own start, it would have had nearly 60 s."""
    budget, ago = 60, 40
    done, results = grade_with_budget(tmp_path, budget, "--trace-timeout", "90", "-n", "2", started_ago=ago)
    got, budgets, cuts = kinds(results)
    assert got[0] == "built" and set(got[1:]) <= {"cut", "not-run"} and "cut" in got, got
    assert budgets == {budget}
    assert cuts and all(left <= budget - ago and own == 90 for left, own in cuts), cuts
    assert results["score"] == 1


@pytest.mark.parametrize("args, env, words", [
    (["--budget", "-5"], {}, "--budget -5: give seconds (0: no budget)"),
    ([], {"TRACELAB_STARTED": "yesterday"}, "TRACELAB_STARTED='yesterday': give the start in seconds"),
])
def test_a_bad_budget_is_a_one_line_usage_error(args, env, words):
    done = run_pytest(CHECKS, "--submission", SLEEPS, "--lab", "7", *args, env=clean_env(**env))
    assert done.returncode == 4, done.stdout + done.stderr
    said = [l for l in done.stderr.splitlines() if l.strip()]
    assert len(said) == 1 and words in said[0], done.stderr


def test_the_default_budget_is_said_in_the_help():
    done = run_pytest("--help")
    help_text = " ".join(done.stdout.split())
    assert f"(default {DEFAULT_BUDGET} when grading a --submission, else none; 0: none)" in help_text
