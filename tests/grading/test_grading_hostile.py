"""Hostile submissions graded the way an instructor grades (real programs,
tests/grading/submissions/): an output flood, a class run in which one
submission tries to rewrite the class's tests, and builds that would eat
the machine's memory or never end. Each is scored below full with a plain
reason, and leaves nothing running (by the user it ran as, which it
reports itself, and by working folder); the class run leaves every file of
the checkout as it was, and the next student gets their own score.

The class run grades a copy of the repository, in a folder the grading
user may read as it may read a real checkout, inside a PID namespace of
its own: if the sandbox failed, the copy would be damaged, not this
checkout, which the submission cannot even find from there (the test
runner above it, whose working folder this checkout is, is out of its
sight)."""

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest

from grading.gradescope_spec import problems
from grading.hostile import SAFE, Reserved, checkout_hashes, grade_safely, left_behind
from grading.nested import GRADING, PYTHON, REPO, clean_env
from tracelab import submission

CHECKS = GRADING / "lab07_checks.py"
SUBMISSIONS = GRADING / "submissions"
FLOOD_LINE = "all work and no play makes jack a dull boy"
STOPPED_LINES = 5        # the lines of its output a stopped program's message shows (guard.py)
AS_ROOT = pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None,
                             reason="the grading user is used when root grades; "
                                    "this test needs a PID namespace of its own")


def running_in(folder):
    """Live processes whose working folder is folder or under it (the
    caller aside)."""
    folder = os.path.realpath(folder)
    found = []
    for name in filter(str.isdigit, os.listdir("/proc")):
        if int(name) == os.getpid():
            continue
        try:
            cwd = os.readlink(f"/proc/{name}/cwd")
            with open(f"/proc/{name}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if (cwd == folder or cwd.startswith(folder + "/")) and state not in ("Z", "X"):
            found.append(int(name))
    return found


@AS_ROOT
def test_an_output_flood_is_stopped_and_a_student_reads_a_few_of_its_lines(tmp_path):
    before = checkout_hashes()
    done, results, uids = grade_safely(CHECKS, SUBMISSIONS / "lab07_flood.c", tmp_path)
    assert problems(results) == []
    assert results["score"] == 0 < results["extra_data"]["max_score"]
    for t in results["tests"]:
        assert "Your program was stopped: it printed more than 1 MB of output, the limit" in t["output"], t
        flood = [l for l in t["output"].splitlines() if FLOOD_LINE in l]
        assert 0 < len(flood) <= STOPPED_LINES, t["output"]
        assert all(len(l) <= 124 for l in flood), flood
    # The table runs from its header to "Score:" and its notes; pytest's
    # own short summary follows it, and under CI=true that summary quotes
    # whole failure messages, which may hold the flood (they are the
    # grader's reading, not the student's).
    table = done.stdout[done.stdout.index("tracelab grade for"):]
    table = table[:table.index("short test summary")] if "short test summary" in table else table
    assert FLOOD_LINE not in table and "Score: 0/10" in table
    assert len(uids) == 1 and left_behind(uids[0]) == {}
    assert checkout_hashes() == before


def test_a_build_that_would_eat_the_machines_memory_fails_at_once(tmp_path):
    """#include "/dev/zero": gcc would read on, gigabytes of it (4 GB in
    18 s here, until an 8 GiB allocation failed). The compiler's address
    space is limited (submission.py, 1 GiB): the build fails at once,
    saying so, and no process of the grading took 1 GiB (the oracle: the
    kernel's peak resident size over the nested pytest and everything it
    waited for)."""
    source = tmp_path / "lab07.c"
    source.write_text('#include "/dev/zero"\n')
    out = tmp_path / "results.json"
    nested = subprocess.Popen([PYTHON, "-m", "pytest", "-p", "no:cacheprovider", str(CHECKS),
                               "--submission", str(source), "--gradescope", str(out)],
                              cwd=REPO, env=clean_env(), stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(nested.pid, 0)
    nested.returncode = os.waitstatus_to_exitcode(status)
    assert nested.returncode == 1
    assert usage.ru_maxrss < (1 << 30) // 1024, usage.ru_maxrss       # kB
    results = json.loads(out.read_text())
    assert re.fullmatch(r"Your program did not compile:\n\ncc1: out of memory allocating \d+ bytes "
                        r"after a total of \d+ bytes", results["output"]), results["output"]
    assert results["score"] == 0


def test_a_build_that_hangs_is_stopped_with_every_process_of_it(tmp_path, monkeypatch):
    """#include of a pipe nobody writes: the compiler waits for ever. Past
    the build's time limit (2 s here) the build fails saying so, and
    nothing of the compiler is left waiting (cc1 is gcc's child: killing
    gcc alone once left it)."""
    pipe = tmp_path / "never"
    os.mkfifo(pipe)
    source = tmp_path / "lab07.c"
    source.write_text(f'#include "{pipe}"\n')
    monkeypatch.setattr(submission, "_BUILD_TIMEOUT", 2)
    workdir = Path(tempfile.mkdtemp(prefix="tracelab-hangs-"))
    built = []
    # In a thread: a compiler left holding the pipe would hold prepare() too.
    worker = threading.Thread(target=lambda: built.append(submission.prepare(source, workdir=workdir)),
                              daemon=True)
    worker.start()
    worker.join(timeout=60)
    try:
        assert built, "the build never ended: the compiler's children kept its pipe open"
        assert not built[0].ok and built[0].labs[0].output == "the compiler took more than 2 s"
        assert running_in(workdir) == []
    finally:
        for pid in running_in(workdir):
            os.kill(pid, 9)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def open_folder():
    """A folder the grading user may enter and write (its report goes
    there), outside pytest's own 0700 temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="tracelab-hostile-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _hashes(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink() and "__pycache__" not in p.parts}


def _copy_of_the_repository(dest):
    shutil.copytree(REPO, dest, symlinks=True,
                    ignore=shutil.ignore_patterns(".git", "__pycache__", ".pytest_cache", "*.zip"))
    return dest


# Run in the PID namespace: the class's grading, then what is left of each
# user the submission ran as, and what still runs in the copy, looked for
# before the namespace ends (its end would kill everything in it anyway).
INSIDE = """
import json, os, subprocess, sys
from grading.hostile import left_behind
from grading.test_grading_hostile import running_in
copy, report, out, *subs = sys.argv[1:]
done = subprocess.run([sys.executable, "-m", "tracelab.grade", "--lab", "7", "--out", out,
                       "--jobs", "2", *subs], cwd=copy, capture_output=True, text=True, timeout=600)
said = open(report).read().split() if os.path.exists(report) else []
uids = sorted({int(said[i + 1]) for i, w in enumerate(said[:-1]) if w == "uid"})
print(json.dumps({"rc": done.returncode, "stdout": done.stdout, "stderr": done.stderr, "uids": uids,
                  "left": [left_behind(u) for u in uids], "in_copy": running_in(copy)}))
"""


def _grade_class(copy, out, report, *submissions):
    with Reserved(2) as reserved:          # --jobs 2: two sessions at once at most
        env = clean_env(PYTHONPATH=f"{copy / 'kit'}:{copy / 'tests'}", HOSTILE_REPORT=report, PWD=copy,
                        **reserved.env)
        done = subprocess.run([*SAFE, PYTHON, "-c", INSIDE, copy, report, out, *submissions],
                              cwd=copy, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    inside = json.loads(done.stdout)
    assert inside["rc"] == 0, inside["stdout"] + inside["stderr"]
    graded = {p.stem: json.loads(p.read_text()) for p in Path(out).glob("*.json")}
    return inside, graded


@AS_ROOT
def test_a_class_run_keeps_its_tests_whatever_a_submission_writes(open_folder):
    """The hostile one goes first; with --jobs 2 the wrong one starts once
    one of the first two is graded, after the hostile one's first run."""
    copy = _copy_of_the_repository(open_folder / "checkout")
    target = copy / "tests" / "labs" / "test_lab07_waitpid_loop.py"
    assert target.is_file()
    report = open_folder / "report.txt"
    wrong = SUBMISSIONS / "lab07_wait_once.c"
    reference = copy / "labs" / "lab07-waitpid-loop" / "lab07.c"
    _, alone = _grade_class(copy, open_folder / "alone", report, wrong)
    before, ours_before = _hashes(copy), checkout_hashes()
    inside, graded = _grade_class(copy, open_folder / "class", report,
                                  SUBMISSIONS / "lab07_rewrite_tests.c", reference, wrong)
    said = report.read_text().splitlines()
    # It found the checkout (through $PWD and $PYTHONPATH) and every write was refused.
    tries = [l for l in said if l.startswith(("rewrite ", "replace "))]
    assert f"rewrite {target}: Permission denied" in said, said
    assert tries and not [l for l in tries if l.endswith(": ok")], said
    assert not [l for l in said if str(REPO) in l], said         # this checkout was out of its sight
    assert _hashes(copy) == before and checkout_hashes() == ours_before
    for results in graded.values():
        assert problems(results) == []
    top = graded["lab07"]["extra_data"]["max_score"]
    assert graded["lab07"]["score"] == top > 0                       # the honest reference
    assert graded["lab07_wait_once"]["score"] == alone["lab07_wait_once"]["score"] < top
    assert graded["lab07_rewrite_tests"]["score"] < top
    assert len(inside["uids"]) == 1 and inside["left"] == [{}] and inside["in_copy"] == []
    assert running_in(copy) == [] and running_in(open_folder) == []
    assert "lab07_wait_once" in inside["stdout"] and "scores.csv" in inside["stdout"]
