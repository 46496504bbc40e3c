"""A test set for tests/grading/test_grading_budget.py, graded on
submissions/lab07_sleeps.c: a test that needs no run, then runs of lab 7,
each of which lasts until its time limit, so that the submission's time
budget runs out part of the way. Not collected by a plain pytest (its name
does not start with test_)."""

import pytest

RUNS = 6


def test_it_was_built(submission):
    """it was built"""
    assert submission is not None and submission.ok


@pytest.mark.parametrize("n", range(1, RUNS + 1))
def test_a_run(trace_lab, n):
    """a run of lab 7"""
    trace_lab("lab7")
