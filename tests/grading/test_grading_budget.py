"""The time budget of a graded submission (--budget, plugin/budget.py): a
submission whose every run lasts until its time limit is graded with a
small budget; results.json keeps the scores of the tests that ran, the
ones that did not run score 0 and say why, a run under way when the
budget ran out is cut short and says so, and the whole run ends within the
budget and MARGIN_S, counted from $TRACELAB_STARTED as run_autograder sets
it. Under pytest -n the workers count from that same start."""

import json
import re
import time

import pytest

from grading.gradescope_spec import problems
from grading.nested import GRADING, clean_env, pytest as run_pytest
from tracelab.plugin.budget import DEFAULT_BUDGET

CHECKS = GRADING / "budget_checks.py"
SLEEPS = GRADING / "submissions" / "lab07_sleeps.c"
# What a graded run may take past its budget: a run started with less
# than 1 s left has 1 s, the tracer stops the tree and writes its summary,
# pytest writes results.json and empties its session. docs/instructors.md
# says this number.
MARGIN_S = 5

NOT_RUN = re.compile(r"^Not run: the (\d+) s that grading this submission may take ran out; its build "
                     r"and the tests before this one took [\d.]+ s\. This test scores zero\.$")
OWN_LIMIT = re.compile(r"Your program was stopped: it was still (running|waiting in \w+\(\)) after 2 s, "
                       r"the time limit")
CUT = re.compile(r"^Your program was stopped: the (\d+) s that grading this submission may take ran "
                 r"out while it ran: [\d.]+ s were left of it, less than its own time limit of \d+ s\.")


def kinds(results):
    """Each test's outcome in order: built, limit (stopped by its own time
    limit), cut (by the budget), not-run; the budget each message names."""
    out, budgets = [], set()
    for t in results["tests"]:
        text = t["output"]
        if t["status"] == "passed":
            out.append("built")
        elif OWN_LIMIT.match(text):
            out.append("limit")
        elif CUT.match(text):
            out.append("cut")
            budgets.add(int(CUT.match(text).group(1)))
        elif NOT_RUN.match(text.strip()):
            out.append("not-run")
            budgets.add(int(NOT_RUN.match(text.strip()).group(1)))
        else:
            out.append(text)
    return out, budgets


def grade_with_budget(tmp_path, budget, *args, started_ago=0):
    out = tmp_path / "results.json"
    began = time.time()
    done = run_pytest(CHECKS, "--submission", SLEEPS, "--lab", "7", "--gradescope", out,
                      "--budget", budget, *args,
                      env=clean_env(TRACELAB_STARTED=f"{began - started_ago:.6f}"))
    took = time.time() - began
    assert out.is_file(), done.stdout + done.stderr
    results = json.loads(out.read_text())
    assert problems(results) == []
    return done, results, took


def test_the_tests_left_when_the_budget_runs_out_score_zero_and_say_why(tmp_path):
    """2 s runs, 9 s budget: some runs end at their own limit, then the
    budget runs out (maybe in a run, cut short), and the rest do not run."""
    done, results, took = grade_with_budget(tmp_path, 9, "--trace-timeout", "2")
    got, budgets = kinds(results)
    assert re.fullmatch(r"built( limit)+( cut)?( not-run)+", " ".join(got)), got
    assert budgets == {9}
    assert results["score"] == 1 and results["tests"][0]["score"] == 1
    assert took <= 9 + MARGIN_S, took
    assert "Score: 1/7" in done.stdout


def test_under_pytest_n_every_worker_counts_from_the_shared_start(tmp_path):
    """TRACELAB_STARTED 20 s ago and a 30 s budget: 10 s are left. Each
    worker's first run (its limit 60 s) is cut when they are up; had a
    worker counted from its own start, it would have run 30 s or more."""
    done, results, took = grade_with_budget(tmp_path, 30, "--trace-timeout", "60", "-n", "2",
                                            started_ago=20)
    got, budgets = kinds(results)
    assert got[0] == "built" and set(got[1:]) <= {"cut", "not-run"} and "cut" in got, got
    assert budgets == {30}
    assert took <= 10 + MARGIN_S, took
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
