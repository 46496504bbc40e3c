"""One run of lab 7, checked as lab07_checks.py checks it, that also
keeps what the test of the tree's CPU limit holds against each other
(tests/grading/test_grading_enclosure.py): the CPU time the run's cgroup
counted (trace.tree), why the run was stopped, and what the program's
processes printed of their own CPU time. They go to cpu_facts.json,
beside the results (--gradescope). Not collected by a plain `pytest`."""

import json
from pathlib import Path

import pytest


@pytest.mark.points(2)
def test_lab7_runs_within_its_limits(trace_lab, request):
    """lab 7 runs within its limits"""
    trace = trace_lab("lab7", stopped_ok=True)
    facts = {"tree": trace.tree, "stdout": trace.stdout, "stopped": trace.stopped}
    out = Path(request.config.option.gradescope).with_name("cpu_facts.json")
    out.write_text(json.dumps(facts))
    trace.check()
