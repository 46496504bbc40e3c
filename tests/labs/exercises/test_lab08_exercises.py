"""Lab 8's exercises, each check of its README run on a worked solution
(tests/labs/solutions/lab08-*.diff) and on the lab as given, where it must
not pass."""

import re
import subprocess
import sys

import pytest

from worked import REPO, run_trace, worked

LAB = "lab08-thread-per-client"
NEVER_JOINED = re.compile(r"^(\d+) threads of \d+ never joined nor detached: ([\d ]+)$", re.M)
# \s+: the default timeline breaks a long line, and may break it inside the brackets
ATTR_CREATE = re.compile(r"pthread_create\(thread=\d+, attr=PTHREAD_CREATE_DETACHED\) = 0\s+\[library\s+call\]")


@pytest.fixture(scope="module")
def as_given(tmp_path_factory):
    return run_trace(worked(tmp_path_factory.mktemp("lab08"), LAB), "lab8")[1]


def lab_tests(source):
    """The README's pytest command on the file source: its summary line."""
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "tests/labs/test_lab08_thread_per_client.py", "--submission", str(source),
                          "--lab", "8"], cwd=REPO, capture_output=True, text=True, timeout=300)
    return run.returncode, run.stdout


def test_exercise1_no_detach_leaks_four(tmp_path, as_given):
    """Exercise 1: no pthread_detach. Check: the summary lists 4 threads
    never joined nor detached, and the lab's test of detaching fails."""
    labs = worked(tmp_path, LAB, "lab08-no-detach.diff")
    _, timeline, _ = run_trace(labs, "lab8")
    count, tids = NEVER_JOINED.search(timeline.split("== summary ==")[1]).groups()
    assert (count, len(tids.split())) == ("4", 4), timeline
    status, said = lab_tests(labs / LAB / "lab08.c")
    assert status != 0 and \
        "FAILED tests/labs/test_lab08_thread_per_client.py::test_every_thread_is_detached" in said, said
    assert not NEVER_JOINED.search(as_given)


def test_exercise2_detached_by_attribute(tmp_path, as_given):
    """Exercise 2: PTHREAD_CREATE_DETACHED. Check: the library-call line for
    each pthread_create, no thread never joined, and the lab's tests pass."""
    labs = worked(tmp_path, LAB, "lab08-detached-attr.diff")
    _, timeline, _ = run_trace(labs, "lab8")
    assert len(ATTR_CREATE.findall(timeline)) == 4 and not NEVER_JOINED.search(timeline), timeline
    status, said = lab_tests(labs / LAB / "lab08.c")
    assert status == 0, said
    assert not ATTR_CREATE.search(as_given)
