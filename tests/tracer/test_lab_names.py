"""./trace LAB as a student types it: the lab by its number or its name,
options before or after it, and a lab whose source changed after it was
built refused with what to do, so an exercise done right never runs the
old program and looks wrong."""

import json
import os
import shutil
import subprocess
import time

import pytest

import tracelab

LAB7 = "lab07-waitpid-loop"


def trace(*args, env=None):
    return subprocess.run([str(tracelab.trace_binary()), *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=60, stdin=subprocess.DEVNULL)


def header(path):
    with open(path) as f:
        return json.loads(f.readline())


@pytest.mark.parametrize("args", [
    ["7", "-q", "--json", "{j}"],
    ["lab7", "-q", "--color", "never", "--json", "{j}"],
    ["-q", "lab07", "--json", "{j}"],
    ["--json", "{j}", LAB7, "-q"],
])
def test_a_lab_by_number_or_name_with_options_anywhere(tmp_path, args):
    jpath = tmp_path / "run.jsonl"
    run = trace(*[a.format(j=jpath) for a in args])
    assert run.returncode == 0, run.stderr
    assert header(jpath)["lab"] == LAB7
    assert "== summary ==" in run.stdout + run.stderr
    # -q took effect wherever it was: no timeline line, which names the calls.
    assert "rt_sigaction" not in run.stderr and "sigaction(" not in run.stderr


@pytest.mark.parametrize("args, words", [
    (["7", "x", "y"], "a lab takes at most a variant (got 'y')"),
    (["7", "--", "ls"], "give either a lab or a command, not both ('ls')"),
    (["--list", "7"], "--list takes no lab or command (got '7')"),
    (["99"], "no lab named '99'"),
])
def test_bad_lab_lines_get_one_line_and_status_2(args, words):
    run = trace(*args)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("trace: ") and words in lines[0], run.stderr
    assert run.stdout == ""


def test_a_number_after_two_dashes_is_a_command():
    run = trace("--", "7")
    assert run.returncode == 2 and "no such command '7'" in run.stderr


def _copy_of_lab7(tmp_path):
    labs = tmp_path / "labs"
    labs.mkdir()
    shutil.copytree(tracelab.REPO / "labs" / LAB7, labs / LAB7)   # copies times too
    return labs


def test_a_source_newer_than_its_program_is_refused_with_what_to_do(tmp_path):
    labs = _copy_of_lab7(tmp_path)
    source = labs / LAB7 / "lab07.c"
    later = time.time() + 5
    os.utime(source, (later, later))
    run = trace("7", "-q", env={"TRACELAB_LABS": str(labs)})
    assert run.returncode == 2
    assert run.stderr.strip() == (f"trace: {labs / LAB7 / 'lab07'}.c changed after lab07 was built: "
                                  f"run `make lab7` first (the old program would run)")


def test_a_program_with_no_source_beside_it_runs(tmp_path):
    """A grading copy keeps the reference's binary and not its source."""
    labs = _copy_of_lab7(tmp_path)
    (labs / LAB7 / "lab07.c").unlink()
    run = trace("7", "-q", env={"TRACELAB_LABS": str(labs)})
    assert run.returncode == 0, run.stderr
