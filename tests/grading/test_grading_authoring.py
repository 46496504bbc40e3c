"""Authoring: `make new-lab` scaffolds a lab that builds and passes out of
the box (in a copy of the repository, so this one is untouched), and
`make autograder` builds a Gradescope zip whose run_autograder, unzipped
and pointed at a fake submission, writes a results.json to the spec."""

import json
import os
import re
import shutil
import subprocess

import pytest

from grading.gradescope_spec import problems
from grading.nested import GRADING, PYTHON, REPO, by_name, clean_env, pytest as run_pytest
from tracelab.autograder import extract

# What a copy of the repository needs; build/ keeps the tracer's objects
# (copied with their times, so make finds them up to date).
_SKIP = {".git", "bench", "asan", "__pycache__", ".pytest_cache", "results"}


def copy_repo(dest):
    shutil.copytree(REPO, dest, symlinks=True,
                    ignore=lambda d, names: [n for n in names if n in _SKIP or n.endswith(".zip")])
    return dest


def make(*args, cwd, timeout=300):
    return subprocess.run(["make", "-s", *args, f"PYTHON={PYTHON}"], cwd=cwd, env=clean_env(),
                          capture_output=True, text=True, timeout=timeout)


def free_lab_number(repo):
    taken = {int(p.name[3:5]) for p in (repo / "labs").glob("lab[0-9][0-9]-*")}
    return next(n for n in range(98, 11, -1) if n not in taken)


def test_new_lab_builds_and_passes_out_of_the_box(tmp_path):
    repo = copy_repo(tmp_path / "kit")
    n = free_lab_number(repo)
    name = f"lab{n:02d}-prefork"
    done = make("new-lab", f"NAME={name}", cwd=repo)
    assert done.returncode == 0, done.stderr
    folder = repo / "labs" / name
    test_file = repo / "tests" / "labs" / f"test_lab{n:02d}_prefork.py"
    assert sorted(p.name for p in folder.iterdir()) == ["README.md", "README.vi.md", "lab.conf", f"lab{n:02d}.c"]
    assert test_file.is_file()
    assert f"created tests/labs/{test_file.name}" in done.stdout
    # The Makefile finds the new folder: make labN builds it.
    done = make(f"lab{n}", cwd=repo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert os.access(folder / f"lab{n:02d}", os.X_OK)
    listed = subprocess.run([repo / "trace", "--list"], capture_output=True, text=True, env=clean_env())
    assert f"lab{n:<3d} {name:<24} Lab {n}: Prefork" in listed.stdout
    # Its tests pass, scored.
    done = run_pytest(test_file, "--score-table", cwd=repo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Score: 4/4" in done.stdout
    # and in Vietnamese: the template's tests have their `vi:` names.
    done = run_pytest(test_file, "--score-table", cwd=repo, env=clean_env(TRACELAB_LANG="vi"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Điểm: 4/4" in done.stdout and "Máy chủ nhận cả hai máy khách" in done.stdout, done.stdout
    # A second time, or a taken number, is refused; nothing is overwritten.
    again = make("new-lab", f"NAME={name}", cwd=repo)
    assert again.returncode != 0 and "exists already" in again.stderr
    assert make("new-lab", "NAME=lab7", cwd=repo).returncode != 0
    assert not (REPO / "labs" / name).exists()      # this repository is untouched


@pytest.fixture(scope="module")
def autograder(tmp_path_factory):
    """The zip for lab 7 with our expectations, unzipped and set up as
    Gradescope's setup.sh would (make all; the packages are here already)."""
    tmp = tmp_path_factory.mktemp("autograder")
    zip_path = tmp / "autograder.zip"
    done = make("autograder", "LAB=7", "TESTS=tests/grading/lab07_checks.py", f"OUT={zip_path}",
                cwd=REPO)
    assert done.returncode == 0, done.stderr
    (tmp / "made.txt").write_text(done.stdout)      # what the build printed
    source = extract(zip_path, tmp / "root" / "source")
    build = subprocess.run(["make", "-s", f"-j{os.cpu_count() or 2}", "all"], cwd=source,
                           capture_output=True, text=True, env=clean_env(), timeout=600)
    assert build.returncode == 0, build.stderr
    return tmp / "root"


def run_autograder(root, submission_files):
    sub = root / "submission"
    shutil.rmtree(sub, ignore_errors=True)
    sub.mkdir()
    for name, text in submission_files.items():
        (sub / name).write_text(text)
    results = root / "results" / "results.json"
    if results.exists():
        results.unlink()
    done = subprocess.run([root / "source" / "run_autograder"], env=clean_env(AUTOGRADER_ROOT=root),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    data = json.loads(results.read_text())
    assert problems(data) == [], data
    return data, done


def test_autograder_zip_layout(autograder):
    source = autograder / "source"
    assert os.access(source / "run_autograder", os.X_OK) and os.access(source / "setup.sh", os.X_OK)
    setup = (source / "setup.sh").read_text()
    assert "apt-get install" in setup and "libseccomp-dev" in setup and "python3-pytest" in setup
    assert (source / "tests" / "grading" / "lab07_checks.py").is_file()
    assert (source / "tests" / "conftest.py").is_file()
    assert not (source / "tests" / "tracer").exists()
    assert (source / "labs" / "lab07-waitpid-loop" / "lab07.c").is_file()


def test_autograder_grades_a_fake_submission(autograder):
    right = (REPO / "labs" / "lab07-waitpid-loop" / "lab07.c").read_text()
    data, done = run_autograder(autograder, {"lab07.c": right})
    assert data["score"] == 10, done.stdout
    wrong = (GRADING / "submissions" / "lab07_wait_once.c").read_text()
    data, done = run_autograder(autograder, {"lab07.c": wrong})
    assert data["score"] == 2, done.stdout
    tests = by_name(data)
    assert tests["no zombie is left when SIGCHLDs coalesce"]["visibility"] == "after_published"
    assert "Score: 2/10" in done.stdout


def test_the_total_it_prints_is_what_gradescope_will_add_up(autograder):
    """Gradescope reads no total from results.json: the build prints it
    (and AUTOGRADER.md in the zip says it), and it is the sum of the
    max_score of a real results.json, the reference's, at full marks."""
    printed = (autograder.parent / "made.txt").read_text()
    m = re.search(r"its tests are worth (\d+) points: set the assignment's points on Gradescope to (\d+)",
                  printed)
    assert m and m.group(1) == m.group(2), printed
    total = int(m.group(1))
    notes = (autograder / "source" / "AUTOGRADER.md").read_text()
    assert f"The tests are worth {total} points in all: set the assignment's points to {total}." in notes
    assert "tests/grading/lab07_checks.py" in notes
    right = (REPO / "labs" / "lab07-waitpid-loop" / "lab07.c").read_text()
    data, _ = run_autograder(autograder, {"lab07.c": right})
    assert sum(t["max_score"] for t in data["tests"]) == total == data["score"]


def test_every_labs_total_is_printed(tmp_path):
    """Without LAB=, the zip grades every lab: the total of each is said."""
    done = make("autograder", f"OUT={tmp_path / 'all.zip'}", cwd=REPO)
    assert done.returncode == 0, done.stderr
    totals = dict(re.findall(r"lab(\d\d) (\d+)", done.stdout.splitlines()[-1]))
    labs = sorted(p.name[3:5] for p in (REPO / "labs").glob("lab[0-9][0-9]-*"))
    assert sorted(totals) == labs and all(int(n) > 0 for n in totals.values()), done.stdout


def test_autograder_on_bad_submissions(autograder):
    data, _ = run_autograder(autograder, {"lab07.c": (GRADING / "submissions" / "lab07_broken.c").read_text()})
    assert data["score"] == 0 and "error:" in data["output"]
    data, _ = run_autograder(autograder, {"README.txt": "forgot the code"})
    assert data["score"] == 0 and "holds no .c file" in data["output"]
    assert all(t["score"] == 0 for t in data["tests"])


@pytest.mark.skipif(os.geteuid() != 0, reason="the hidden tests are hidden from the grading user, which root grades as")
def test_a_submission_cannot_read_the_hidden_tests_or_the_reference(autograder):
    """`#include` of a hidden test file, or of the lab's reference source,
    once printed them back through the compiler's errors. The compiler runs
    as the grading user, to whom run_autograder leaves neither readable."""
    source = autograder / "source"
    hidden = source / "tests" / "grading" / "lab07_checks.py"
    reference = source / "labs" / "lab07-waitpid-loop" / "lab07.c"
    secrets = ["def test_handler_installed_before_first_fork", "while ((pid = waitpid(-1, &status, WNOHANG)) > 0)"]
    assert secrets[0] in hidden.read_text()
    for target in (hidden, reference):
        data, done = run_autograder(autograder, {"lab07.c": f'#include "{target}"\nint main(void) {{ return 0; }}\n'})
        shown = data["output"] + "".join(t.get("output", "") for t in data["tests"])
        assert data["score"] == 0 and "Permission denied" in shown, shown
        assert not any(s in shown for s in secrets), shown
    assert (source / "tests").stat().st_mode & 0o077 == 0
    assert reference.stat().st_mode & 0o077 == 0


def test_a_test_runner_that_dies_gives_a_failed_result_not_its_file(autograder, tmp_path):
    """A submission that got the test runner killed (once: SIGKILL to
    pytest, after writing {"score": 100}) must not get that file: the
    result is written where only run_autograder can, and copied only when
    pytest ended as a test run ends. Here a stand-in for python writes the
    forged file where it was told to, then dies of SIGKILL."""
    fake = tmp_path / "python"
    fake.write_text('#!/bin/sh\n'
                    'if [ "$1 $2" = "-m pytest" ]; then\n'
                    '  while [ $# -gt 0 ]; do [ "$1" = "--gradescope" ] && out=$2; shift; done\n'
                    '  echo \'{"score": 100, "tests": []}\' > "$out"\n'
                    '  kill -KILL $$\n'
                    'fi\n'
                    'exec /usr/bin/python3 "$@"\n')
    fake.chmod(0o755)
    sub = autograder / "submission"
    shutil.rmtree(sub, ignore_errors=True)
    sub.mkdir()
    (sub / "lab07.c").write_text("int main(void) { return 0; }\n")
    results = autograder / "results" / "results.json"
    done = subprocess.run([autograder / "source" / "run_autograder"],
                          env=clean_env(AUTOGRADER_ROOT=autograder, TRACELAB_AG_PYTHON=fake),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    data = json.loads(results.read_text())
    assert data["score"] == 0 and "ended abnormally (pytest exit status 137)" in data["output"], data


def test_run_autograder_ends_within_gradescopes_timeout_with_partial_results(autograder):
    """run_autograder gives the tests 80% of the assignment's timeout
    (TRACELAB_AG_TIMEOUT, 600 s unless `make autograder TIMEOUT=`), counted
    from its own start: with a 15 s timeout and a submission whose runs
    never end (each may take 15 s), the first run is given what was left of
    the 12 s (less than its own 15 s, which would have outlasted
    Gradescope), the other tests do not run, and results.json is written.
    What was left is the fact checked, not how long the run took."""
    script = (autograder / "source" / "run_autograder").read_text()
    assert "GRADESCOPE_TIMEOUT=${TRACELAB_AG_TIMEOUT:-600}" in script and "BUDGET_PERCENT=80\n" in script
    notes = " ".join((autograder / "source" / "AUTOGRADER.md").read_text().split())
    assert "Made for an assignment timeout of 600 s on Gradescope: the build and the tests of a " \
           "submission get 480 s of it" in notes
    sub = autograder / "submission"
    shutil.rmtree(sub, ignore_errors=True)
    sub.mkdir()
    (sub / "lab07.c").write_text((GRADING / "submissions" / "lab07_sleeps.c").read_text())
    results = autograder / "results" / "results.json"
    done = subprocess.run([autograder / "source" / "run_autograder"],
                          env=clean_env(AUTOGRADER_ROOT=autograder, TRACELAB_AG_TIMEOUT="15"),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    data = json.loads(results.read_text())
    assert problems(data) == []
    first, *rest = data["tests"]
    cut = re.match(r"Your program was stopped: the 12 s that grading this submission may take ran out "
                   r"while it ran: ([\d.]+) s were left of it, less than its own time limit of 15 s\.",
                   first["output"])
    assert cut and float(cut.group(1)) <= 12, first      # counted from run_autograder's start
    assert rest and all(t["output"].startswith("Not run: the 12 s") for t in rest), rest
    assert data["score"] == 0
