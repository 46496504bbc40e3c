"""Grading as root runs the submission as a user of its own
(tracelab.sandbox): a hostile submission's tries against the grader fail
because the kernel says no. Oracles: the submission's own report of each
try, the checkout's hashes before and after, and /proc afterwards."""

import hashlib
import json
import os
import tempfile
from pathlib import Path

import pytest

from grading.nested import GRADING, REPO, clean_env, pytest as run_pytest
from tracelab import sandbox

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="the grading user is used when root grades")


def _hashes(folder):
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def _grading_users_alive():
    users = range(sandbox.FIRST_UID, sandbox.FIRST_UID + sandbox.SLOTS)
    alive = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                st = os.stat(f"/proc/{name}")
            except FileNotFoundError:
                continue
            if st.st_uid in users:
                alive.append(int(name))
    return alive


def test_a_hostile_submission_cannot_rewrite_the_tests_or_stop_the_tracer(tmp_path):
    tests_before = _hashes(REPO / "tests")
    drop = Path(tempfile.mkdtemp(prefix="tracelab-hostile-"))
    try:
        drop.chmod(0o777)   # the one place the submission may write: its report
        report = drop / "report.txt"
        out = tmp_path / "results.json"
        done = run_pytest(GRADING / "lab07_checks.py", "--submission", GRADING / "submissions" / "lab07_hostile.c",
                          "--gradescope", out, env=clean_env(HOSTILE_REPORT=report))
        said = report.read_text().splitlines() if report.exists() else []
    finally:
        for p in drop.iterdir():
            p.unlink()
        drop.rmdir()
    assert out.is_file(), done.stdout + done.stderr
    # it looked through $PWD (the checkout) and the kernel refused each write
    rewrites = [l for l in said if l.startswith("rewrite ")]
    assert rewrites and all(l.endswith(": Permission denied") for l in rewrites), said
    assert "stop tracer: Operation not permitted" in said, said
    assert all(not l.startswith("look /proc/") or l.endswith(": Permission denied") for l in said), said
    assert _hashes(REPO / "tests") == tests_before
    assert _grading_users_alive() == []
    results = json.loads(out.read_text())
    # scored as what it is, a lab 7 with no reaping, not stopped by a limit
    assert results["score"] < sum(t["max_score"] for t in results["tests"]), results
    assert not any("Your program was stopped" in t.get("output", "") for t in results["tests"]), results
