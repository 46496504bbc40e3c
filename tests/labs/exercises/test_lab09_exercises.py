"""Lab 9's exercises, each check of its README run on a worked solution
(tests/labs/solutions/lab09-*.diff) and on the lab as given, where it must
not pass."""

import re

import pytest

from worked import shell, worked

LAB = "lab09-join-detach"
NEVER_JOINED = re.compile(r"^(\d+) threads of \d+ never joined nor detached: ([\d ]+)$", re.M)


@pytest.fixture(scope="module")
def as_given(tmp_path_factory):
    return worked(tmp_path_factory.mktemp("lab09"), LAB)


def test_exercise1_join_them_all(tmp_path, as_given):
    """Exercise 1: keep and join the never-joined threads too. Check:
    `./trace -q lab9` has no `never joined nor detached` line, and its
    lesson says `0 neither`."""
    check = "./trace -q lab9 2>&1"
    fixed = shell(worked(tmp_path, LAB, "lab09-join-all.diff"), check)
    lesson = " ".join(fixed[fixed.index("the lesson of this run:"):].split())
    assert "zombies:" in fixed and "never joined nor detached" not in fixed, fixed
    assert ", 0 neither." in lesson, lesson
    given = shell(as_given, check)
    assert "never joined nor detached" in given, given


def test_exercise2_thirty_clients_leak_ten(tmp_path, as_given):
    """Exercise 2: 30 clients. Check: the summary's `never joined nor
    detached` line lists 10 tids (the lab as given: 2)."""
    out = shell(worked(tmp_path, LAB, "lab09-thirty-clients.diff"), "./trace lab9 2>&1")
    count, tids = NEVER_JOINED.search(out).groups()
    assert (int(count), len(tids.split())) == (10, 10), out
    count, tids = NEVER_JOINED.search(shell(as_given, "./trace lab9 2>&1")).groups()
    assert (int(count), len(tids.split())) == (2, 2)
