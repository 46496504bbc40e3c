"""Misbehaving programs as a student's tests would meet them, for
tests/grading/test_grading_limits.py (run there in a nested pytest; not collected
by a plain `pytest`). $TRACELAB_MISBEHAVE is the folder with the built
programs; each test writes the pids its run had to $TRACELAB_MISBEHAVE/pids/
so that the outer test can check that none is left running."""

import json
import os
from pathlib import Path

import pytest

BIN = Path(os.environ.get("TRACELAB_MISBEHAVE", "."))


def _run(trace_cmd, name, **limits):
    trace = trace_cmd([BIN / name], stopped_ok=True, **limits)
    (BIN / "pids").mkdir(exist_ok=True)
    (BIN / "pids" / f"{name}.json").write_text(json.dumps(
        {"tracer": trace.tracer_pid, "pids": sorted(trace.processes)}))
    trace.check()      # raises Stopped: the test fails and scores zero


@pytest.mark.points(1)
def test_forkbomb(trace_cmd):
    """a fork bomb"""
    _run(trace_cmd, "forkbomb", max_procs=20)


@pytest.mark.points(1)
def test_spin(trace_cmd):
    """an endless loop"""
    _run(trace_cmd, "spin", timeout=1)


@pytest.mark.points(1)
def test_hog(trace_cmd):
    """a memory hog"""
    _run(trace_cmd, "hog", max_mem=128)


@pytest.mark.points(1)
def test_flood(trace_cmd):
    """an output flood"""
    _run(trace_cmd, "flood", max_output=65536)
