"""What a student reads of text the kit did not write (tracelab.shown): a
few lines of the compiler's messages, and never a line of a file outside
the submission. Three real submissions reach for a planted file that the
grading user can read -- by #include, by #line, by the assembler's
.include -- and a fourth submits symbolic links to it; the file's marker
strings must appear nowhere in results.json or in what pytest printed,
while the student still learns that the build failed, and on which line of
theirs when there is one. The oracle that each trick works: gcc itself,
run on the same file in the same layout, prints the markers."""

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from grading.gradescope_spec import problems
from grading.nested import GRADING, REPO, clean_env, pytest as run_pytest
from tracelab.shown import MESSAGE_LINES, SHOWN_LINES

CHECKS = GRADING / "lab07_checks.py"
SUBMISSIONS = GRADING / "submissions"
SECRET = '''HIDDEN_MARKER_ONE = "tl-secret-alpha-4821"   # planted by tests/grading/test_grading_shown.py
def test_hidden_marker_two():
    assert tl_secret_beta_9377 == 1
    return "tl-secret-gamma-5150"
'''
MARKERS = ["tl-secret-alpha-4821", "tl_secret_beta_9377", "tl-secret-gamma-5150", "HIDDEN_MARKER_ONE",
           "test_hidden_marker_two"]
# How each submission reaches the file, and the line of its own the
# student is told about (None: the compiler names none of theirs).
TRICKS = {"lab07_include_secret.c": 8, "lab07_line_secret.c": None, "lab07_asm_secret.c": None}


@pytest.fixture
def planted():
    """A folder the grading user may enter (TMPDIR of the graded session),
    with the secret in it: the submissions name it as ../../../planted_secret.py
    from the folder their build runs in."""
    folder = Path(tempfile.mkdtemp(prefix="tracelab-planted-"))
    try:
        folder.chmod(0o755)
        (folder / "planted_secret.py").write_text(SECRET)
        (folder / "planted_secret.py").chmod(0o644)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def gcc_says(planted, source):
    """gcc's own messages for source, built the way the kit builds it, in a
    folder three levels under the planted one."""
    folder = planted / "oracle" / "labs" / "lab07-waitpid-loop"
    folder.mkdir(parents=True)
    try:
        shutil.copyfile(source, folder / "lab07.c")
        done = subprocess.run(["gcc", "-Wall", "-Wextra", "-O2", "-pthread", f"-I{REPO / 'kit' / 'lib'}",
                               "-o", "lab07", "lab07.c", str(REPO / "kit" / "lib" / "labkit.c")],
                              cwd=folder, capture_output=True, text=True, errors="replace")
        return done.stdout + done.stderr
    finally:
        shutil.rmtree(planted / "oracle")


def grade_in(planted, submission, tmp_path):
    out = tmp_path / "results.json"
    done = run_pytest(CHECKS, "--submission", submission, "--lab", "7", "--gradescope", out,
                      env=clean_env(TMPDIR=planted))
    assert out.is_file(), done.stdout + done.stderr
    return done, out.read_text()


@pytest.mark.parametrize("name", sorted(TRICKS))
def test_a_file_outside_the_submission_is_counted_never_quoted(planted, tmp_path, name):
    source = SUBMISSIONS / name
    raw = gcc_says(planted, source)
    assert any(m in raw for m in MARKERS), raw          # the trick works on gcc itself
    done, text = grade_in(planted, source, tmp_path)
    for where in (text, done.stdout, done.stderr):
        assert not [m for m in MARKERS if m in where], where
    results = json.loads(text)
    assert problems(results) == []
    assert results["score"] == 0 and results["extra_data"]["built"] is False
    assert "not part of your submission (not shown)" in results["output"], results["output"]
    line = TRICKS[name]
    if line is not None:
        assert f"{name}:{line}: " in results["output"], results["output"]
    for t in results["tests"]:
        assert t["output"].startswith("Your program did not compile"), t
    assert "Score: 0/10" in done.stdout


@pytest.mark.parametrize("linked", ["lab07.c", "mine.h"])
def test_a_symbolic_link_to_a_file_outside_is_refused(planted, tmp_path, linked):
    """Copying the submission follows a link, with the grader's rights;
    the link's target would then be compiled as the student's own file."""
    sub = tmp_path / "alice"
    sub.mkdir()
    (sub / "lab07.c").write_text('#include "mine.h"\n')
    (sub / "mine.h").write_text("int main(void) { return 0; }\n")
    (sub / linked).unlink()
    (sub / linked).symlink_to(planted / "planted_secret.py")
    done, text = grade_in(planted, sub, tmp_path)
    for where in (text, done.stdout, done.stderr):
        assert not [m for m in MARKERS if m in where], where
    results = json.loads(text)
    assert results["score"] == 0
    assert f"{linked} is a symbolic link or not a plain file: submit the file itself" in results["output"]


def test_a_long_build_failure_shows_a_few_lines_and_says_how_many_more(tmp_path):
    """300 errors of the student's own: the first SHOWN_LINES lines of the
    compiler's messages, then how many more there were."""
    source = tmp_path / "lab07.c"
    source.write_text("".join(f"int v{i} = ;\n" for i in range(300)))
    out = tmp_path / "results.json"
    done = run_pytest(CHECKS, "--submission", source, "--gradescope", out)
    results = json.loads(out.read_text())
    shown = results["output"].splitlines()
    assert shown[0] == "Your program did not compile:" and shown[1] == ""
    messages = shown[2:]
    assert len(messages) == SHOWN_LINES + 1, results["output"]
    assert messages[0].startswith("lab07.c:1:")
    assert messages[-1].startswith("... (") and "more lines of the compiler's messages left out" in messages[-1]
    assert int(messages[-1].split("(")[1].split()[0]) > 300    # each error is 3 lines: counted, not shown
    for t in results["tests"]:
        assert len(t["output"].splitlines()) == SHOWN_LINES + 5, t["output"]   # + the words around them
    assert "Score: 0/10" in done.stdout


DUMPS = '''

def test_dumps_a_file():
    """dumps a file in its message"""
    assert False, "\\n".join(f"line {i} of something long" for i in range(500))
'''


def test_any_message_is_cut_to_a_few_dozen_lines(tmp_path):
    """Whatever a test puts in its message (a program's output, a file it
    read), results.json keeps MESSAGE_LINES lines of it and a count."""
    checks = tmp_path / "dumps_checks.py"
    checks.write_text(DUMPS)
    out = tmp_path / "results.json"
    done = run_pytest(checks, "--gradescope", out, "--rootdir", REPO, "-c", REPO / "pyproject.toml",
                      "-p", "tracelab.pytest_plugin", env=clean_env(PYTHONPATH=REPO / "kit"))
    [t] = json.loads(out.read_text())["tests"]
    lines = t["output"].splitlines()
    assert len(lines) == MESSAGE_LINES + 1, done.stdout
    left_out = re.fullmatch(r"\.\.\. \((\d+) more lines left out\)", lines[-1])
    assert left_out and int(left_out.group(1)) >= 500 - MESSAGE_LINES, lines[-1]
    assert "line 499 of something long" not in t["output"]
