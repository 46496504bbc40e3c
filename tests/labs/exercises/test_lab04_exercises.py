"""Lab 4's exercises, each check of its README run on a worked solution
(tests/labs/solutions/lab04-*.diff) and on the lab as given, where it must
not pass."""

import re
import subprocess
import sys

import pytest

from worked import REPO, run_trace, worked

LAB = "lab04-signal-driven-io"
HANDLER_LINE = re.compile(r"^\s*\d+\.\d+ .*?\| (\w+)\(")


@pytest.fixture(scope="module")
def as_given(tmp_path_factory):
    return run_trace(worked(tmp_path_factory.mktemp("lab04"), LAB), "lab4")


def handler_calls(timeline):
    """The calls of the handler's lines (`| recvfrom(...)`), in order."""
    return [m.group(1) for m in map(HANDLER_LINE.match, timeline.splitlines()) if m]


def test_exercise1_one_datagram_per_sigio(tmp_path, as_given):
    """Exercise 1: one recvfrom per SIGIO. Check: one recvfrom per handler
    run, SIGIO x1, and client 2 never gets its echo; the lab's tests fail."""
    labs = worked(tmp_path, LAB, "lab04-one-per-sigio.diff")
    _, timeline, _ = run_trace(labs, "lab4")
    assert handler_calls(timeline) == ["recvfrom", "sendto", "sigreturn"], timeline
    assert "signals delivered: SIGTERM x1, SIGIO x1\n" in timeline
    assert "loadgen: client 2: no echo of message 1 within 5 s" in timeline
    _, given, _ = as_given
    assert "loadgen:" not in given and "SIGIO x3" in given
    assert handler_calls(given).count("recvfrom") == 3 * 4     # 3 runs: 3 datagrams, then EAGAIN
    # The README's pytest command, on the solution's file.
    solution = labs / LAB / "lab04.c"
    pytest_run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                 "tests/labs/test_lab04_signal_driven_io.py", "--submission",
                                 str(solution), "--lab", "4"], cwd=REPO, capture_output=True,
                                text=True, timeout=300)
    assert pytest_run.returncode != 0 and " failed" in pytest_run.stdout, pytest_run.stdout


def test_exercise2_blocking_socket_sleeps_in_the_handler(tmp_path, as_given):
    """Exercise 2: no O_NONBLOCK. Check: all echoed, one handler run that
    never reaches EAGAIN nor sigreturn, its last read still blocked."""
    _, timeline, _ = run_trace(worked(tmp_path, LAB, "lab04-blocking.diff"), "lab4")
    assert "== the load generator is done (exit 0)" in timeline
    before_summary = timeline.split("== summary ==")[0]
    assert "SIGIO x1\n" in timeline and "EAGAIN" not in before_summary
    calls = handler_calls(timeline)
    assert calls == ["recvfrom", "sendto"] * 9 + ["recvfrom"], timeline
    last = [l for l in timeline.splitlines() if HANDLER_LINE.match(l)][-1]
    assert re.search(r"\| recvfrom\(fd=3, count=4096\)  <still blocked after [\d.]+ \w+ when it was killed>$",
                     last), last
    _, given, _ = as_given
    assert "still blocked after" not in given and handler_calls(given)[-1] == "sigreturn"


def test_exercise3_no_owner_no_sigio(tmp_path, as_given):
    """Exercise 3: no F_SETOWN. Check: `./trace --timeout 3 lab4` shows no
    SIGIO at all."""
    _, timeline, _ = run_trace(worked(tmp_path, LAB, "lab04-no-owner.diff"), "--timeout", "3", "lab4")
    assert "SIGIO (" not in timeline and "signals delivered: none\n" in timeline, timeline
    _, given, _ = as_given
    assert "<- SIGIO (sent by the kernel)" in given
