"""Grading with the pytest plugin, as an instructor runs it: a correct and a
wrong lab 7 get the scores they deserve, a build failure scores zero with
the compiler's words, results.json follows Gradescope's spec, JUnit still
works, `repeat` and `hidden` do what they say, and `make grade` grades.

The expectations graded are tests/grading/lab07_checks.py (ours, so the
scores are known: 2 + 4 + 4 points); lab 7's own tests are used too when
they exist."""

import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

from grading.gradescope_spec import problems
from grading.nested import (GRADING, PYTHON, REPO, by_name, clean_env, grade, pytest as run_pytest,
                            section)
from tracelab.runner import build_kit

CHECKS = GRADING / "lab07_checks.py"
CORRECT = REPO / "labs" / "lab07-waitpid-loop" / "lab07.c"
WAIT_ONCE = GRADING / "submissions" / "lab07_wait_once.c"
BROKEN = GRADING / "submissions" / "lab07_broken.c"

T_ORDER = "sigaction(SIGCHLD) comes before the first fork"
T_WNOHANG = "the SIGCHLD handler calls waitpid(-1, WNOHANG)"
T_ZOMBIE = "no zombie is left when SIGCHLDs coalesce"


def test_correct_submission_scores_full_marks(tmp_path):
    done, results = grade(CHECKS, CORRECT, tmp_path)
    assert done.returncode == 0, done.stdout
    assert problems(results) == []
    assert results["score"] == 10
    sandbox = results["extra_data"].pop("sandbox")
    assert results["extra_data"] == {"max_score": 10, "lab": "lab07-waitpid-loop", "built": True}
    assert sandbox["own_user"] == (os.geteuid() == 0)     # what it ran in: test_grading_enclosure.py
    assert [(t["name"], t["score"], t["max_score"], t["status"]) for t in results["tests"]] == [
        (T_ORDER, 2, 2, "passed"), (T_WNOHANG, 4, 4, "passed"), (T_ZOMBIE, 4, 4, "passed")]
    # the score table, like xv6's make grade
    assert f"{T_ORDER} " in done.stdout and "OK      2/2" in done.stdout
    assert "Score: 10/10" in done.stdout


def test_wrong_handler_loses_the_handler_and_zombie_points(tmp_path):
    """Lab 6's handler (one wait() per SIGCHLD) in lab 7: with the SIGCHLD
    race arranged (hold), it fails every one of the repeated runs."""
    done, results = grade(CHECKS, WAIT_ONCE, tmp_path, "--lab", "7")
    assert problems(results) == []
    assert results["score"] == 2
    tests = by_name(results)
    assert tests[T_ORDER]["status"] == "passed"
    wnohang = tests[T_WNOHANG]
    assert (wnohang["score"], wnohang["status"]) == (0, "failed")
    assert wnohang["output"].startswith("(run 1 of 3; every run must pass) Expected, in every run "
                                        "of the SIGCHLD handler in the parent")
    assert "it is wait(), not waitpid(); options is 0, without WNOHANG" in wnohang["output"]
    assert " >>> " in wnohang["output"] and "wait(pid=-1 (any child), options=0) = " in wnohang["output"]
    zombie = tests[T_ZOMBIE]
    assert zombie["score"] == 0 and "leaked zombie" in zombie["output"]
    assert zombie["visibility"] == "after_published"
    assert "FAIL    0/4" in done.stdout and "Score: 2/10" in done.stdout


def test_build_failure_scores_zero_with_the_compiler_message(tmp_path):
    done, results = grade(CHECKS, BROKEN, tmp_path)
    assert problems(results) == []
    assert results["score"] == 0
    assert "lab07_broken.c:7" in results["output"] and "error:" in results["output"]
    for t in results["tests"]:
        assert t["score"] == 0 and t["status"] == "failed"
        assert t["output"].startswith("Your program did not compile")
        assert "expected" in t["output"] and "before" in t["output"]   # gcc's own words
    assert "Score: 0/10" in done.stdout


def test_submission_folder_and_env_variable(tmp_path):
    folder = tmp_path / "alice"
    folder.mkdir()
    (folder / "server.c").write_text(CORRECT.read_text())
    out = tmp_path / "r.json"
    done = run_pytest(CHECKS, "--gradescope", out, "--lab", "lab07",
                      env=clean_env(TRACELAB_SUBMISSION=folder))
    results = json.loads(out.read_text())
    assert results["score"] == 10, done.stdout
    assert "server.c compiled for lab07-waitpid-loop" in results["output"]


def test_unknown_lab_is_said_plainly(tmp_path):
    odd = tmp_path / "homework.c"
    odd.write_text(CORRECT.read_text())
    # the lab is read off the test file (lab07_checks.py) when the file does not say
    done, results = grade(CHECKS, odd, tmp_path)
    assert results["score"] == 10, done.stdout
    bob = tmp_path / "bob"
    bob.mkdir()
    (bob / "server.c").write_text(CORRECT.read_text())
    done, results = grade(CHECKS, bob, tmp_path, name="bob.json")
    assert results["score"] == 10, done.stdout
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "a.c").write_text("int main(void) { return 0; }\n")
    (folder / "b.c").write_text("int main(void) { return 0; }\n")
    done, results = grade(CHECKS, folder, tmp_path, "--lab", "7", name="two.json")
    assert results["score"] == 0
    assert "several .c files (a.c, b.c) and none is named lab07.c" in results["output"]


def test_gradescope_visibility_and_junit_together(tmp_path):
    xml = tmp_path / "junit.xml"
    done, results = grade(CHECKS, WAIT_ONCE, tmp_path, "--hidden-visibility", "hidden",
                          "--junitxml", xml)
    assert problems(results) == []
    assert [t["visibility"] for t in results["tests"]] == ["visible", "visible", "hidden"]
    suite = ET.parse(xml).getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("3", "2")
    names = [c.get("name") for c in suite.iter("testcase")]
    assert names == ["test_handler_installed_before_first_fork",
                     "test_handler_loops_on_waitpid_wnohang",
                     "test_no_zombie_when_sigchlds_coalesce"]


def test_parallel_grading_gives_the_same_scores(tmp_path):
    """pytest -n: each worker builds its own copy; the scores add up the same."""
    done, results = grade(CHECKS, WAIT_ONCE, tmp_path, "-n", "2")
    assert results["score"] == 2, done.stdout
    assert "Score: 2/10" in done.stdout


# A test file outside the repository gets the plugin with -p (and
# PYTHONPATH, since -p imports it before pyproject's pythonpath applies).
OUTSIDE = ("--rootdir", REPO, "-c", REPO / "pyproject.toml", "-p", "tracelab.pytest_plugin")

MARKERS = '''
import os, pytest
from pathlib import Path

COUNT = Path(os.environ["COUNT_FILE"])

def bump():
    n = int(COUNT.read_text() or 0) + 1 if COUNT.exists() else 1
    COUNT.write_text(str(n))
    return n

@pytest.mark.repeat(4)
@pytest.mark.points(3)
def test_repeated():
    """runs four times"""
    bump()

@pytest.mark.repeat(3)
def test_fails_on_the_second_run():
    assert bump() < 6, "the second run went the unlucky way"

@pytest.mark.hidden("after_due_date")
@pytest.mark.points(0.5)
def test_hidden():
    pass

@pytest.mark.skip(reason="not graded this term")
def test_skipped():
    pass
'''


def test_repeat_points_hidden_and_skip_markers(tmp_path):
    checks = tmp_path / "markers_checks.py"
    checks.write_text(MARKERS)
    count = tmp_path / "count"
    out = tmp_path / "r.json"
    done = run_pytest(checks, "--gradescope", out, *OUTSIDE,
                      env=clean_env(COUNT_FILE=count, PYTHONPATH=REPO / "kit"))
    results = json.loads(out.read_text())
    assert problems(results) == []
    tests = by_name(results)
    assert tests["runs four times"]["score"] == 3
    failing = tests["test_fails_on_the_second_run"]
    assert failing["score"] == 0 and failing["max_score"] == 1
    assert failing["output"].startswith("(run 2 of 3; every run must pass) "
                                        "the second run went the unlucky way\nassert 6 < 6")
    assert int(count.read_text()) == 4 + 2          # 4 runs, then 2 until the failure
    assert tests["test_hidden"]["visibility"] == "after_due_date"
    assert tests["test_hidden"]["score"] == 0.5
    assert tests["test_skipped"]["score"] == 0 and tests["test_skipped"]["status"] == "failed"
    assert results["score"] == 3.5, done.stdout


SHOWN = '''
import pytest
from tracelab.failures import ExpectationFailed

def test_expected():
    """The server reaps every child.

    No zombie may be left.

    vi: Máy chủ thu dọn mọi tiến trình con"""
    raise ExpectationFailed("Expected, in the whole trace: no leaked zombie\\n\\nFound 2.")

def test_asserted():
    served = 3
    assert served == 5, "the server served 3 clients of 5"

def test_stopped():
    pytest.fail("The build timed out.")

def test_author_bug():
    """A test with a bug of its own."""
    return len(5)
'''
# What pytest shows of a test's code and traceback (its long report).
TRACEBACK = re.compile(r"^(>|E) |^\s+def test_|\.py:\d+: |\b(AssertionError|ExpectationFailed|Failed)\b|"
                       r"Traceback", re.M)


def _sections(stdout):
    """pytest's FAILURES section (in either language): test name -> what it
    shows of it."""
    start = section(stdout, "FAILURES")
    assert start >= 0, stdout
    failures = stdout[start:section(stdout, "short test summary info", start)]
    parts = re.split(r"^_{3,} (\w+) _{3,}$", failures, flags=re.M)
    return dict(zip(parts[1::2], (p.strip() for p in parts[2::2])))


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_failed_expectation_is_shown_without_its_traceback(tmp_path, lang):
    """pytest shows a failed expectation (the kit's, pytest.fail, a graded
    test's assert) as its title and message, in either language, with no
    traceback, no test code and no exception name; an error in the test's
    own code (a TypeError) keeps its traceback, for its author."""
    checks = tmp_path / "shown_checks.py"
    checks.write_text(SHOWN)
    out = tmp_path / "r.json"
    done = run_pytest(checks, "--gradescope", out, *OUTSIDE,
                      env=clean_env(PYTHONPATH=REPO / "kit", TRACELAB_LANG=lang))
    assert done.returncode == 1, done.stdout + done.stderr
    shown = _sections(done.stdout)
    assert set(shown) == {"test_expected", "test_asserted", "test_stopped", "test_author_bug"}, shown
    title = "Máy chủ thu dọn mọi tiến trình con" if lang == "vi" else "The server reaps every child"
    assert shown["test_expected"] == (f"{title}\n\nExpected, in the whole trace: "
                                              "no leaked zombie\n\nFound 2.")
    assert shown["test_asserted"].startswith("the server served 3 clients of 5\nassert 3 == 5\n")
    assert shown["test_stopped"] == "The build timed out."
    for name in ("test_expected", "test_asserted", "test_stopped"):
        m = TRACEBACK.search(shown[name])
        assert m is None, (name, m.group(0), shown[name])
    # the author's bug: pytest's own report, code and exception
    bug = shown["test_author_bug"]
    assert ">       return len(5)" in bug and "E       TypeError: object of type 'int' has no len()" in bug
    assert "A test with a bug of its own" in bug       # its docstring, among its code
    # results.json says the same, without the title (Gradescope shows it as the name)
    tests = by_name(json.loads(out.read_text()))
    assert tests[title]["output"] == "Expected, in the whole trace: no leaked zombie\n\nFound 2."


# A failure whose first line is long, in Vietnamese (the longer language).
LONG_VI = '''
from tracelab.failures import ExpectationFailed

def test_long():
    """A long message.

    vi: Một thông điệp dài"""
    raise ExpectationFailed(" ".join(["Yêu cầu, trong mọi lần chạy trình xử lý SIGCHLD trong tiến trình "
                                      "cha (pid 2): mọi tiến trình con đã thoát đều được thu dọn"] * 4))
'''


def test_the_score_table_stays_within_100_columns(tmp_path):
    """A failed test's message is wrapped under it, indented, in lines of
    at most 100 characters, however long it is."""
    checks = tmp_path / "long_checks.py"
    checks.write_text(LONG_VI)
    done = run_pytest(checks, "--score-table", *OUTSIDE,
                      env=clean_env(PYTHONPATH=REPO / "kit", TRACELAB_LANG="vi", COLUMNS="200"))
    start = done.stdout.index("=== tracelab ")
    table = done.stdout[start:section(done.stdout, "short test summary info", start)]
    table = table.splitlines()
    assert "Một thông điệp dài ...." in table[1], table
    said = [l for l in table if l.startswith("      ")]
    assert len(said) == 3 and said[0].strip().startswith("Yêu cầu, trong mọi lần chạy"), table
    assert max(len(l) for l in said) > 90, said        # the lines are filled, not cut short
    assert all(len(l) <= 100 for l in table), [l for l in table if len(l) > 100]


def test_a_message_that_goes_on_says_so_in_the_table(tmp_path):
    """The table shows a message's first line; one that ends on a colon
    (a list of events follows, or the compiler's errors) says that more
    follows, instead of stopping at the colon."""
    checks = tmp_path / "colon_checks.py"
    checks.write_text("def test_listed():\n"
                      "    raise AssertionError('It ends with these events:\\n  read\\n  write')\n")
    done = run_pytest(checks, "--score-table", *OUTSIDE, env=clean_env(PYTHONPATH=REPO / "kit"))
    said = [l.strip() for l in done.stdout.splitlines() if l.startswith("      ")]
    assert "It ends with these events: ..." in said, said


def test_bad_markers_are_usage_errors(tmp_path):
    checks = tmp_path / "bad_checks.py"
    checks.write_text("import pytest\n@pytest.mark.points('many')\ndef test_x():\n    pass\n")
    done = run_pytest(checks, *OUTSIDE, env=clean_env(PYTHONPATH=REPO / "kit"))
    assert done.returncode == 4
    assert "use @pytest.mark.points(N) with a number" in done.stderr


def test_make_grade_runs_the_labs_own_tests():
    """`make grade LAB=7 SUBMISSION=...` grades with tests/labs/test_lab07_*.py."""
    if not list((REPO / "tests" / "labs").glob("test_lab07_*.py")):
        pytest.skip("lab 7 has no tests yet")
    full = _make_grade(CORRECT)
    wrong = _make_grade(WAIT_ONCE)
    got, top = full
    assert got == top > 0
    assert wrong[1] == top and wrong[0] < top


def _make_grade(submission, *more):
    build_kit()         # `make all` once, under the lock the trace fixtures use
    done = subprocess.run(["make", "-s", "grade", "LAB=7", f"SUBMISSION={submission}",
                           f"PYTHON={PYTHON}", *more], cwd=REPO, env=clean_env(),
                          capture_output=True, text=True, timeout=300)
    m = re.search(r"Score: (\d+)/(\d+)", done.stdout)
    assert m, done.stdout + done.stderr
    return int(m.group(1)), int(m.group(2))


def test_make_grade_with_several_test_files_grades_the_submission():
    """TESTS="a.py b.py" as docs/instructors.md shows it: the submission is
    still the one graded (the list once swallowed its path). The wrong
    submission scores the same with the lab's file given twice over."""
    tests = sorted((REPO / "tests" / "labs").glob("test_lab07_*.py"))
    if not tests:
        pytest.skip("lab 7 has no tests yet")
    both = " ".join(str(p.relative_to(REPO)) for p in tests + tests)
    assert _make_grade(WAIT_ONCE, f"TESTS={both}") == _make_grade(WAIT_ONCE)


def test_only_the_graded_labs_tests_count(tmp_path):
    """Grading lab 7 with tests of several labs: another lab's tests would
    test the kit's own program, so they are left out of the score."""
    others = sorted((REPO / "tests" / "labs").glob("test_lab0[1-6]_*.py"))[:1]
    if not others:
        pytest.skip("no other lab's tests yet")
    done, results = grade(CHECKS, WAIT_ONCE, tmp_path, *others)
    assert results["score"] == 2 and len(results["tests"]) == 3, done.stdout
    assert "deselected" in done.stdout


@pytest.mark.parametrize("submission", [BROKEN, WAIT_ONCE], ids=["broken", "wait_once"])
def test_results_under_pytest_n_keep_what_a_serial_run_has(submission, tmp_path):
    """Under pytest -n the workers build and the controller writes
    results.json: the compiler's messages (top-level output), the lab's
    name and whether it built come from a worker, as a serial run has them."""
    _, serial = grade(CHECKS, submission, tmp_path, name="serial.json")
    done, spread = grade(CHECKS, submission, tmp_path, "-n", "2", name="spread.json")
    def kept(results):   # what does not change from run to run (test outputs quote pids)
        return (results["output"], results["extra_data"], results["score"],
                [(t["name"], t["score"], t["status"]) for t in results["tests"]])
    assert kept(spread) == kept(serial), done.stdout
    assert serial["extra_data"]["lab"] == "lab07-waitpid-loop" and serial["output"]
    assert "tracelab grade for lab07-waitpid-loop" in done.stdout
