"""A lab's lesson (lab.conf: `lesson = ...`): one sentence at the end of
the summary, its {holes} filled with the run's facts. Checked against a
second reading of the holes, here in Python, over the facts of the JSON
trace; a hole that names no fact is refused when the lab is read."""

import json
import os
import re
import shutil
import subprocess

import pytest

import tracelab
from lessons_oracle import fill, said

LAB6 = "lab06-sigchld-wait"
LESSON = ("{exited:child/children} exited, {sigchld:SIGCHLD was/SIGCHLDs were} delivered, "
          "the handler reaped {reaped_in_handler}: {leaked:zombie/zombies} leaked.")


def lab_with(tmp_path, lesson):
    labs = tmp_path / "labs"
    shutil.copytree(tracelab.REPO / "labs" / LAB6, labs / LAB6)
    conf = labs / LAB6 / "lab.conf"
    text = conf.read_text()
    text = re.sub(r"^lesson *=.*\n", "", text, flags=re.M)
    conf.write_text(text.replace("\nhold    = sigchld\n", f"\nhold    = sigchld\nlesson  = {lesson}\n", 1))
    return labs


def trace(labs, *args):
    return subprocess.run([str(tracelab.trace_binary()), *args], capture_output=True, text=True,
                          env={**os.environ, "TRACELAB_LABS": str(labs)}, timeout=60,
                          stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("variant", [[], ["natural"]])
def test_the_lesson_is_said_with_this_runs_facts(tmp_path, variant):
    labs = lab_with(tmp_path, LESSON)
    out = tmp_path / "run.jsonl"
    run = trace(labs, "lab6", *variant, "-q", "--json", str(out))
    assert run.returncode == 0, run.stderr
    lines = [json.loads(l) for l in out.read_text().splitlines()]
    assert lines[0]["lesson"] == LESSON
    facts = lines[-1]["facts"]
    assert said(run.stderr) == fill(LESSON, facts)
    # the facts against the events themselves
    t = tracelab.load(out)
    root = t.root
    assert facts["exited"] == len([e for e in t.exits(process=True) if e["pid"] != root]) == 5
    assert facts["sigchld"] == len([s for s in t.signals() if s["sig"] == "SIGCHLD" and s["pid"] == root])
    assert facts["leaked"] == len(t.zombies.leaked)
    # and the replay says it the same way
    again = subprocess.run([str(tracelab.trace_binary()), "-q", "--replay", str(out)],
                           capture_output=True, text=True, timeout=60)
    assert said(again.stderr) == said(run.stderr)


@pytest.mark.parametrize("lesson, named", [
    ("{exited} exited and {leakd} leaked", "leakd"),
    ("{exited:child} exited", "exited:child"),
    ("{exited exited", "exited exited"),
])
def test_a_lesson_naming_no_fact_is_refused_in_one_line(tmp_path, lesson, named):
    run = trace(lab_with(tmp_path, lesson), "lab6", "-q")
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and f"{{{named}}}" in run.stderr and "use one of" in run.stderr


def test_a_lesson_as_long_as_a_line_is_kept_whole(tmp_path):
    """lab.conf takes lines of up to 2046 bytes; a lesson that long is
    neither cut (once, at 511 bytes, cutting its last hole in two, and
    the summary then said no lesson at all) nor refused."""
    lesson = "A long lesson: " + "one more word, " * 90 + LESSON
    assert 1024 < len(lesson.encode()) < 2000
    labs = lab_with(tmp_path, lesson)
    out = tmp_path / "run.jsonl"
    run = trace(labs, "lab6", "-q", "--json", str(out))
    assert run.returncode == 0, run.stderr
    lines = [json.loads(l) for l in out.read_text().splitlines()]
    assert lines[0]["lesson"] == lesson
    assert said(run.stderr) == fill(lesson, lines[-1]["facts"])
