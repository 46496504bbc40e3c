"""Worked exercises of labs 5-7: each solution here is its lab's source
with one exercise done. It is built in a scratch copy of the labs (as a
student's submission is) and traced under its lab's scenario, and the
exercise's check is run on it and on the unchanged lab. They live under
tests/, not in the lab folders, so that a student finds the exercise
there and the answer nowhere near it.
"""

import json
import subprocess
import tempfile
from pathlib import Path

import pytest

from tracelab import runner, submission
from tracelab.expect import ExpectationFailed
from tracelab.quotes import unwrapped

HERE = Path(__file__).parent
LABS = runner.REPO / "labs"


def run_solution(name, lab, workdir, variant=None):
    """Build solutions/NAME (or a path) in place of lab LAB's program and
    trace the lab."""
    build = submission.prepare(HERE / name, lab=str(lab), workdir=workdir)
    assert build.ok, f"{name} does not build:\n{build.output}"
    try:
        trace = runner.run(lab=f"lab{lab}", variant=variant, labs=build.labs_dir)
    finally:
        build.cleanup()
    assert not trace.stopped and trace.summary is not None, (name, trace.stopped)
    return trace


def text_of(trace, expert=False):
    """What the student reads: the tracer's own text for the trace's
    events (`./trace --replay`), the summary included, each line it
    wrapped one line again; the expert's view (--verbose) when expert."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl") as src, \
            tempfile.NamedTemporaryFile("r", suffix=".txt", encoding="utf-8", errors="replace") as out:
        for ev in trace.events:
            src.write(json.dumps(ev, separators=(",", ":")) + "\n")
        src.flush()
        done = subprocess.run([str(runner.trace_binary()), "--replay", src.name, "--color", "never",
                               "-o", out.name, *(["--verbose"] if expert else [])], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return unwrapped(out.read())


def fails(check, trace):
    """The check does not hold on this trace."""
    __tracebackhide__ = True
    with pytest.raises(ExpectationFailed):
        check(trace)
