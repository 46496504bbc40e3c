"""Lab 1's exercises, each check of its README run on a worked solution
(tests/labs/solutions/lab01-*.diff) and on the lab as given, where it must
not pass."""

import re
import subprocess
import sys

import pytest

from worked import REPO, run_trace, traced, worked

LAB = "lab01-blocking-io"
PAUSES_NS = 2 * 100_000_000      # each client pauses twice, 100 ms (lab.conf)


@pytest.fixture(scope="module")
def as_given(tmp_path_factory):
    return worked(tmp_path_factory.mktemp("lab01"), LAB)


def accepts_after_closes(trace):
    """The times of the server's accept()s that returned a client, each
    checked to come after the close of the client before."""
    calls = [ev for ev in trace.syscalls(pid=trace.root) if ev["name"] in ("accept", "accept4", "close")]
    accepted, open_fd = [], None
    for ev in calls:
        if ev["name"] == "close" and ev["args"].get("fd") == open_fd:
            open_fd = None
        elif ev["name"] != "close" and ev.get("err") is None:
            assert open_fd is None, "a client accepted while another was being served"
            open_fd, _ = ev["ret"], accepted.append(ev["t"])
    return accepted


def test_exercise1_five_clients_in_turn(tmp_path, as_given):
    """Exercise 1: --clients 5. Check: five accept(fd=3) = 4, each after the
    close of the one before, the fifth at least 0.8 s after the first."""
    five = accepts_after_closes(traced(worked(tmp_path, LAB, "lab01-five-clients.diff"), "lab1"))
    assert len(five) == 5 and five[4] - five[0] >= 4 * PAUSES_NS, five
    _, timeline, _ = run_trace(worked(tmp_path / "text", LAB, "lab01-five-clients.diff"), "lab1")
    assert len(re.findall(r"accept\(fd=3\) = 4\b", timeline)) == 5, timeline
    assert len(accepts_after_closes(traced(as_given, "lab1"))) == 3


def test_exercise2_a_child_per_client(tmp_path, as_given):
    """Exercise 2: fork per client. Check: three forks, conversations that
    overlap (every child reads its second message before any child reads
    its end of file), and the lab's test fails "one process"."""
    labs = worked(tmp_path, LAB, "lab01-fork-per-client.diff")
    trace = traced(labs, "lab1")
    children = [p for p in trace.processes if p != trace.root]
    assert len(children) == 3 and len(trace.spawns()) == 3
    second_message = max(
        [ev for ev in trace.syscalls("read", pid=child) if ev.get("ret", 0) > 0][1]["t"] for child in children)
    first_eof = min(ev["t"] for ev in trace.syscalls("read") if ev.get("ret") == 0)
    assert second_message < first_eof
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "tests/labs/test_lab01_blocking_io.py", "--submission",
                          str(labs / LAB / "lab01.c"), "--lab", "1"], cwd=REPO,
                         capture_output=True, text=True, timeout=300)
    assert "FAILED tests/labs/test_lab01_blocking_io.py::test_one_process_one_thread" in run.stdout, run.stdout
    given = traced(as_given, "lab1")
    assert given.spawns() == []
