"""Lab 10's exercises, each check of its README run on a worked solution
(tests/labs/solutions/lab10-*.diff) and on the lab as given, where it must
not pass."""

import re

import pytest

from worked import run_trace, worked

LAB = "lab10-fork-vs-threads"
CRASHED_LEAKED = re.compile(r"^ +\d+ lab10 \(fork\): killed by SIGSEGV, LEAKED zombie", re.M)
OTHER_LEAKED = re.compile(r"^ +\d+ lab10 \(fork\): exited \d+, LEAKED zombie", re.M)


@pytest.fixture(scope="module")
def as_given(tmp_path_factory):
    return worked(tmp_path_factory.mktemp("lab10"), LAB)


def test_exercise1_no_handler_every_child_leaks(tmp_path, as_given):
    """Exercise 1: SIG_DFL for SIGCHLD. Check: the crashed child is
    `killed by SIGSEGV, LEAKED zombie`, and the other two leak as well."""
    _, fixed, _ = run_trace(worked(tmp_path, LAB, "lab10-no-handler.diff"), "lab10")
    assert len(CRASHED_LEAKED.findall(fixed)) == 1 and len(OTHER_LEAKED.findall(fixed)) == 2, fixed
    _, given, _ = run_trace(as_given, "lab10")
    assert not CRASHED_LEAKED.search(given) and not OTHER_LEAKED.search(given), given


def test_exercise2_the_last_client_crashes(tmp_path, as_given):
    """Exercise 2: --crash 3. Check: in thread mode `threads created: 3`
    and still `killed by SIGSEGV`."""
    _, fixed, _ = run_trace(worked(tmp_path, LAB, "lab10-crash-last.diff"), "lab10", "thread")
    assert re.search(r"^processes: 1, threads created: 3, ", fixed, re.M), fixed
    assert re.search(r"^\d+ lab10: killed by SIGSEGV", fixed, re.M), fixed
    _, given, _ = run_trace(as_given, "lab10", "thread")
    assert not re.search(r"^processes: 1, threads created: 3, ", given, re.M), given
