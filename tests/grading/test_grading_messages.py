"""What a student reads, graded by the lab's own tests (tests/labs/, the
default of `make grade` and `make autograder`): each of them says what it
is worth; the score table in
docs/instructors.md is what `make grade` prints; every failure of labs 6
and 7 on a wrong submission is in plain words, never a raw Python
assertion; a waitpid() without WNOHANG is called a waitpid that blocks;
a SIGCHLD set to SIG_IGN is named as the reason the handler's tests fail."""

import ast
import os
import re
import subprocess

import pytest

from grading.gradescope_spec import problems
from grading.nested import GRADING, PYTHON, REPO, clean_env, grade, score_table
from tracelab import points
from tracelab.autograder import lab_tests
from tracelab.runner import build_kit

SUBMISSIONS = GRADING / "submissions"
REFERENCE7 = REPO / "labs" / "lab07-waitpid-loop" / "lab07.c"
DOCS = REPO / "docs" / "instructors.md"
DOC_COMMAND = "make grade LAB=7 SUBMISSION=tests/grading/submissions/lab07_wait_once.c"

# Wrong for the lab they are graded for, each in its own way.
WRONG = {
    7: ["lab07_wait_once.c", "lab07_waitpid_blocks.c", "lab07_sig_ign.c", "lab07_forkbomb.c",
        "lab07_broken.c"],
    6: ["lab07_sig_ign.c", "lab07_waitpid_blocks.c", "lab07_forkbomb.c", "lab07_broken.c",
        REFERENCE7],
}
CASES = [(lab, s) for lab, subs in WRONG.items() for s in subs]

# What pytest or Python say when a test is not written in the assertion
# language, or when the kit itself breaks: never for a student to read.
RAW = [re.compile(p, re.M) for p in (
    r"^\s*(E\s+)?assert\b",                 # assert [13273, 13274] == []
    r"\bAssertionError\b",
    r"\b[A-Z][A-Za-z]*(Error|Exception): ",   # ValueError: max() arg is an empty sequence
    r"Traceback \(most recent call last\)",
    r"^\s*[+-]\s+where\b",                   # pytest's explanation of an assert
    r"\.py:\d+: ",                           # a file and line of the kit or the tests
)]

SIG_IGN_SAYS = ("The children are reaped by the kernel because SIGCHLD is ignored: the program "
                "set it to SIG_IGN")
ASKS_FOR_A_HANDLER = "But this lab asks for a SIGCHLD handler that reaps them."


def lab_test_files(lab):
    return [str(p.relative_to(REPO)) for p in lab_tests(lab)]


def _graded(lab, submission, tmp_path):
    path = submission if os.path.isabs(str(submission)) else SUBMISSIONS / submission
    done, results = grade(lab_test_files(lab)[0], path, tmp_path, "--lab", str(lab))
    assert problems(results) == [], results
    return done, results


def student_text(results):
    return [results["output"]] + [t["output"] for t in results["tests"]]


def _marked_points(path):
    """test function -> the n of its @pytest.mark.points(n), or None."""
    found = {}
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            found[node.name] = next((d.args[0].value for d in node.decorator_list
                                     if isinstance(d, ast.Call) and ast.unparse(d.func) == "pytest.mark.points"),
                                    None)
    return found


def test_every_lab_test_says_what_it_is_worth():
    """Each test of tests/labs/ has its points, and each lab's add up to 10;
    in lab 7 what the lesson is (no zombie left, the WNOHANG loop) is worth
    more than installing the handler before the first fork."""
    files = sorted((REPO / "tests" / "labs").glob("test_lab[0-9][0-9]_*.py"))
    assert files
    for path in files:
        marked = _marked_points(path)
        assert marked and all(isinstance(n, int) and n > 0 for n in marked.values()), (path.name, marked)
    totals = points.by_lab(points.worth([str(p.relative_to(REPO)) for p in files]))
    assert set(totals) == {int(p.name[8:10]) for p in files}      # test_labNN_...
    assert set(totals.values()) == {10}, totals
    lab7 = _marked_points(REPO / lab_test_files(7)[0])
    before_fork = lab7["test_handler_installed_before_the_first_fork"]
    assert lab7["test_no_zombie_leaks"] > before_fork
    assert lab7["test_each_loop_ends_when_nothing_is_left_to_reap"] > before_fork


@pytest.mark.parametrize("lab,submission", CASES,
                         ids=[f"lab{lab}-{os.path.basename(str(s))}" for lab, s in CASES])
def test_wrong_submissions_read_in_plain_words(lab, submission, tmp_path):
    done, results = _graded(lab, submission, tmp_path)
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert failed, f"{submission} is wrong for lab {lab}, and passed:\n{done.stdout}"
    for t in failed:
        assert t["output"].strip(), t
    for text in student_text(results):
        for raw in RAW:
            m = raw.search(text)
            assert m is None, f"raw Python in what the student reads ({m.group(0)!r}):\n{text}"


def test_a_waitpid_without_wnohang_is_a_waitpid_that_blocks(tmp_path):
    """The student wrote waitpid(-1, &status, 0) in the handler: the message
    names waitpid, not wait, and says that it blocks."""
    _, results = _graded(7, "lab07_waitpid_blocks.c", tmp_path)
    loop = next(t for t in results["tests"] if t["name"].startswith("Each handler loop ends"))
    assert loop["status"] == "failed"
    assert "waitpid(pid=-1 (any child), options=0) = " in loop["output"]
    assert "options is 0, without WNOHANG, so this waitpid() blocks until a child exits" in loop["output"]
    assert "wait(pid=-1" not in loop["output"] and "wait() or waitpid" not in loop["output"]


@pytest.mark.parametrize("lab", [6, 7])
def test_sigchld_set_to_sig_ign_is_named(lab, tmp_path):
    """No handler, SIGCHLD ignored: each test that checks the handler says
    the kernel reaped the children because of SIG_IGN, and that the lab
    asks for a handler."""
    _, results = _graded(lab, "lab07_sig_ign.c", tmp_path)
    assert results["score"] == 0
    for t in results["tests"]:
        assert SIG_IGN_SAYS in t["output"], t
    handler_tests = [t for t in results["tests"] if ASKS_FOR_A_HANDLER in t["output"]]
    # lab 7: sigaction with a handler, the handler's two loops, its 0 while
    # a child runs, and its never sleeping; lab 6: the handler's wait(),
    # with and without SA_RESTART
    assert len(handler_tests) == {7: 5, 6: 2}[lab], [t["output"][:300] for t in results["tests"]]


def test_a_correct_lab7_is_not_told_about_sig_ign(tmp_path):
    _, results = _graded(7, REFERENCE7, tmp_path)
    assert results["score"] == results["extra_data"]["max_score"] == 10


def _table(text):
    return score_table(text, "tracelab grade for", "Score:")


def test_the_score_table_in_the_docs_is_what_make_grade_prints():
    doc = DOCS.read_text()
    assert f"`{DOC_COMMAND}`" in doc
    block = re.search(r"```\n(=[^\n]*tracelab grade for .*?)\n```", doc, re.S)
    assert block, "docs/instructors.md has no score table"
    build_kit()
    done = subprocess.run(DOC_COMMAND.split() + ["-s", f"PYTHON={PYTHON}"], cwd=REPO,
                          env=clean_env(COLUMNS="80"), capture_output=True, text=True, timeout=300)
    assert "Score:" in done.stdout, done.stdout + done.stderr
    assert _table(done.stdout) == _table(block.group(1))
