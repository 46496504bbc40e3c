"""Untrusted code: real misbehaving programs (tests/grading/misbehave/) -- a
fork bomb, an endless loop, a memory hog, an output flood -- are each
stopped, score zero with a reason a student understands, and leave no
process running. Also a lab 7 that turns into a fork bomb, graded."""

import json
import re
import subprocess

import pytest

from grading.gradescope_spec import problems
from grading.nested import GRADING, REPO, by_name, clean_env, grade, pytest as run_pytest
from tracelab.guard import Limits, Stopped, alive, run_limited, session_members

PROGRAMS = ["forkbomb", "spin", "waits", "hog", "flood", "daemon"]
BUILT = PROGRAMS + ["greet_spin"]


@pytest.fixture(scope="module")
def bin_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("misbehave")
    for name in BUILT:
        subprocess.run(["gcc", "-O1", "-o", out / name, GRADING / "misbehave" / f"{name}.c"],
                       check=True, capture_output=True)
    return out


def nothing_left(trace):
    """No process of the run is alive, and nothing is left in its session."""
    assert trace.leftovers == []
    assert alive(list(trace.processes)) == []
    assert session_members(trace.tracer_pid) == []


CASES = {
    "forkbomb": (Limits(max_procs=20), "more than 20 processes at once, the limit (a fork bomb?)"),
    "spin": (Limits(timeout=1), "still running after 1 s, the time limit, in no system call (an endless loop?)"),
    "waits": (Limits(timeout=1), "it was still waiting in pause() after 1 s, the time limit (a server that "
                                 "never finished, or waiting for what never came?)"),
    "hog": (Limits(max_mem_mb=128), "it used up its memory"),
    "flood": (Limits(max_output=64 << 10), "it printed more than 64 KB of output, the limit"),
    "daemon": (Limits(timeout=1), "it ended, but 1 process it started"),
}


@pytest.mark.parametrize("name", PROGRAMS)
def test_stopped_with_a_reason_and_nothing_left(bin_dir, name):
    limits, reason = CASES[name]
    trace = run_limited([bin_dir / name], limits=limits)
    assert trace.stopped and reason in trace.stopped
    with pytest.raises(Stopped) as err:
        trace.check()
    assert str(err.value).startswith(f"Your program was stopped: {trace.stopped}.\nThis test scores zero.")
    nothing_left(trace)


def test_forkbomb_left_nothing_behind(bin_dir):
    trace = run_limited([bin_dir / "forkbomb"], limits=Limits(max_procs=30))
    assert len(trace.processes) > 20        # it did get going
    assert trace.summary["limit"] == "max-procs"
    nothing_left(trace)


def test_hog_is_told_about_malloc(bin_dir):
    trace = run_limited([bin_dir / "hog"], limits=Limits(max_mem_mb=128))
    assert "the limit is 128 MB per process (past it, malloc() returns NULL)" in trace.stopped
    msg = str(pytest.raises(Stopped, trace.check).value)
    assert "SIGSEGV" in msg             # the last things it did: its crash


LOADER = re.compile(r"\b(read|close|openat|mmap|mprotect)\(fd=3\b|\bexec /")


@pytest.mark.parametrize("classes", [None, "all"], ids=["default", "all"])
def test_a_compute_loop_is_told_it_made_no_call_of_its_own(bin_dir, classes):
    """The dynamic loader's calls (traced with every class: it reads the
    libraries on fd 3) and the tracer's exec of the program are not "the
    last things it did": a loop that only computes made none."""
    trace = run_limited([bin_dir / "spin"], classes=classes, limits=Limits(timeout=1))
    msg = str(pytest.raises(Stopped, trace.check).value)
    assert "The last things it did" not in msg and not LOADER.search(msg), msg
    assert "It made no system call of its own before it was stopped (a loop that only computes?)." in msg
    start = trace.select("start")
    assert len(start) == 1 and start[0]["pid"] == trace.root
    before = [ev for ev in trace.syscalls() if ev["t"] <= start[0]["t"]]
    assert (len(before) > 0) == (classes == "all")     # the loader's reads, left out
    assert ("This trace follows process, signal, wait and mux calls only." in msg) == (classes is None)


def test_the_last_things_it_did_are_its_own(bin_dir):
    """One write, then a loop: the tail is that write alone, with no line
    of the loader's before it."""
    trace = run_limited([bin_dir / "greet_spin"], classes="all", limits=Limits(timeout=1))
    msg = str(pytest.raises(Stopped, trace.check).value)
    tail = msg.split("The last things it did:\n", 1)[1].splitlines()
    assert len(tail) == 1 and "write(fd=1, count=6) = 6" in tail[0], msg
    assert not LOADER.search(msg)


def test_flood_shows_the_start_of_its_output(bin_dir):
    trace = run_limited([bin_dir / "flood"], limits=Limits(max_output=64 << 10))
    assert len(trace.stdout) <= 64 << 10    # captured output is capped too
    msg = str(pytest.raises(Stopped, trace.check).value)
    assert "Its output began with:\n    all work and no play makes jack a dull boy" in msg


def test_well_behaved_run_is_not_stopped():
    trace = run_limited(lab="lab7")
    assert trace.stopped is None
    assert trace.check() is trace
    nothing_left(trace)


def test_each_scores_zero_through_the_plugin(bin_dir, tmp_path):
    out = tmp_path / "results.json"
    done = run_pytest(GRADING / "misbehave_checks.py", "--gradescope", out, "--score-table",
                      env=clean_env(TRACELAB_MISBEHAVE=bin_dir))
    results = json.loads(out.read_text())
    assert problems(results) == []
    assert results["score"] == 0, done.stdout
    tests = by_name(results)
    for title, name in [("a fork bomb", "forkbomb"), ("an endless loop", "spin"),
                        ("a memory hog", "hog"), ("an output flood", "flood")]:
        t = tests[title]
        assert (t["score"], t["max_score"], t["status"]) == (0, 1, "failed")
        assert t["output"].startswith("Your program was stopped: ")
        assert CASES[name][1] in t["output"]
        ran = json.loads((bin_dir / "pids" / f"{name}.json").read_text())
        assert alive(ran["pids"]) == [] and session_members(ran["tracer"]) == []
    assert "Score: 0/4" in done.stdout


def test_a_fork_bomb_lab_scores_zero(tmp_path):
    done, results = grade(GRADING / "lab07_checks.py", GRADING / "submissions" / "lab07_forkbomb.c",
                          tmp_path, "--trace-max-procs", "16")
    assert results["score"] == 0
    for t in results["tests"]:
        assert "more than 16 processes at once, the limit (a fork bomb?)" in t["output"], t
    assert "Score: 0/10" in done.stdout


DIRECT = '''
import os, tracelab

def test_direct_run():
    trace = tracelab.run([os.environ["BOMB"]], timeout=60)
    assert trace.summary["limit"] == "max-procs", trace.summary
    cmd = trace.command
    assert cmd[cmd.index("--max-procs") + 1] == "10", cmd

def test_direct_lab_run_is_the_students_copy():
    trace = tracelab.run(lab="lab7")
    program = trace.header["argv"][0]
    assert program.endswith("/labs/lab07-waitpid-loop/lab07"), program
    assert not program.startswith(str(tracelab.REPO)), program

def test_nothing_is_set_in_this_process_environment():
    assert "TRACELAB_LABS" not in os.environ and "TRACELAB_TRACE" not in os.environ
'''


def test_tests_that_run_the_tracer_themselves_are_limited_too(bin_dir, tmp_path):
    """When grading, a test that calls tracelab.run directly (no fixture)
    still gets the session's limits and runs the student's copy of the
    labs, which reaches the tracer in its own environment, not in the
    pytest process's."""
    checks = tmp_path / "direct_checks.py"
    checks.write_text(DIRECT)
    done = run_pytest(checks, "--rootdir", REPO, "-c", REPO / "pyproject.toml",
                      "-p", "tracelab.pytest_plugin",
                      "--submission", REPO / "labs" / "lab07-waitpid-loop" / "lab07.c",
                      "--trace-max-procs", "10",
                      env=clean_env(BOMB=bin_dir / "forkbomb", PYTHONPATH=REPO / "kit"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout, done.stdout
