"""Lab 2's exercises, each check of its README run on a worked solution
(tests/labs/solutions/lab02-*.diff) and on the lab as given, where it must
not pass."""

import re
import subprocess
import sys

import pytest

from worked import REPO, run_trace, worked

LAB = "lab02-nonblocking-io"
USEFUL_READS = 3 * (3 + 1)       # 3 clients: 3 messages and an end of file each
# A client fd's read that slept: `read(fd=4, count=4096) = 32  <blocked 40.1 ms>`
BLOCKED_READ = re.compile(r"read\(fd=([4-9]), count=4096\) = 32  <blocked [\d.]+ \w+>")
CLIENT_EAGAIN = re.compile(r"read\(fd=[4-9], count=4096\) = -1 EAGAIN")


@pytest.fixture(scope="module")
def as_given(tmp_path_factory):
    return worked(tmp_path_factory.mktemp("lab02"), LAB)


def own_total(out):
    """A + R of the server's last `EAGAIN so far: accept A, read R`."""
    said = re.findall(r"a client left; EAGAIN so far: accept (\d+), read (\d+)", out)
    assert len(said) == 3, out
    return sum(map(int, said[-1]))


def test_exercise1_busy_loop_counts_thousands(tmp_path, as_given):
    """Exercise 1: no nap. Check, with -q: A + R in the thousands, at least
    ten times the lab's, for the same 12 useful reads; with the timeline,
    fewer (the tracer's writing slows the loop)."""
    labs = worked(tmp_path, LAB, "lab02-busy-loop.diff")
    _, _, out = run_trace(labs, "-q", "lab2")
    busy = own_total(out)
    _, _, given_out = run_trace(as_given, "-q", "lab2")
    given = own_total(given_out)
    assert busy >= 1000 and busy >= 10 * given, (busy, given)
    _, timeline, out = run_trace(labs, "lab2")
    useful = re.findall(r"read\(fd=\d+, count=4096\) = \d+", timeline)
    assert len(useful) == USEFUL_READS, timeline
    assert given < own_total(out) < busy


def test_exercise2_a_quiet_client_stalls_everyone(tmp_path, as_given):
    """Exercise 2: accepted sockets left blocking. Check: client reads that
    slept, no EAGAIN on a client fd, and the lab's test of O_NONBLOCK fails."""
    labs = worked(tmp_path, LAB, "lab02-blocking-clients.diff")
    _, timeline, _ = run_trace(labs, "lab2")
    assert BLOCKED_READ.search(timeline) and not CLIENT_EAGAIN.search(timeline), timeline
    _, given, _ = run_trace(as_given, "lab2")
    assert not BLOCKED_READ.search(given) and CLIENT_EAGAIN.search(given), given
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          "tests/labs/test_lab02_nonblocking_io.py", "--submission",
                          str(labs / LAB / "lab02.c"), "--lab", "2"], cwd=REPO,
                         capture_output=True, text=True, timeout=300)
    assert "FAILED tests/labs/test_lab02_nonblocking_io.py::test_every_socket_is_made_non_blocking" \
        in run.stdout, run.stdout
