"""Lab 5's exercises: the first run by hand as its README says (ps, with
no tracer), the second done (solutions/lab05_ex2_sig_ign.diff) and checked on
the timeline, with the same check on the unchanged lab, which must not
pass it."""

import re
import signal
import subprocess
import time

import pytest

from worked import LABS, run_solution, text_of
from tracelab.runner import REPO

SERVER = LABS / "lab05-fork-per-client" / "lab05"
LOADGEN = REPO / "kit" / "loadgen" / "loadgen"
CLIENTS = 3
PORT = re.compile(r"listening on 127\.0\.0\.1:(\d+) ")
ZOMBIE = re.compile(r"^\s*\d+\s+\d+\s+Z\S*\s+\[lab05\] <defunct>$")
# Bounds on waiting for the kernel to catch up, never what the test checks.
SETTLE_S = 10
POLL_S = 0.05
AUTO_REAPED = "reaped by the kernel at once: its parent ignores SIGCHLD"


def children(pid):
    """ps's lines for the children of pid, as the README's command prints them."""
    out = subprocess.run(["ps", "-o", "pid,ppid,stat,args", "--ppid", str(pid)],
                         capture_output=True, text=True).stdout
    return out.splitlines()[1:]


def zombies(pid):
    return [line for line in children(pid) if ZOMBIE.match(line)]


def settle(what):
    """Poll what() until it is true, at most SETTLE_S; its last value."""
    end = time.monotonic() + SETTLE_S
    while not what() and time.monotonic() < end:
        time.sleep(POLL_S)
    return what()


def test_exercise_1_zombies_outside_the_tracer(tracelab_kit):
    """Run by hand (no tracer), three clients leave three `Z [lab05]
    <defunct>` children; once the server is killed, it has none. (Nothing
    to change in the lab: the exercise is to see it.)"""
    server = subprocess.Popen([str(SERVER), "0"], stdout=subprocess.PIPE, text=True)
    try:
        port = PORT.search(server.stdout.readline()).group(1)
        load = subprocess.run([str(LOADGEN), "--port", port, "--clients", str(CLIENTS),
                               "--mode", "one-by-one"], capture_output=True, text=True, timeout=60)
        assert load.returncode == 0, load.stderr
        settle(lambda: len(zombies(server.pid)) == CLIENTS)
        assert len(zombies(server.pid)) == CLIENTS, children(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=SETTLE_S)
        server.stdout.close()
    assert children(server.pid) == []


def test_exercise_2_sig_ign_means_no_zombie(shared_trace_lab, tmp_path_factory):
    """SIGCHLD set to SIG_IGN: each child is reaped by the kernel (the
    timeline says so), and the summary says 0 leaked, 3 auto-reaped; the
    unchanged lab leaks all three."""
    text = text_of(run_solution("lab05_ex2_sig_ign.diff", 5, tmp_path_factory.mktemp("ign")))
    assert text.count(AUTO_REAPED) == CLIENTS, text
    assert f"zombies: 0 leaked, 0 reaped by their parent, {CLIENTS} auto-reaped" in text, text
    given = text_of(shared_trace_lab("lab5"))
    assert AUTO_REAPED not in given
    assert f"zombies: {CLIENTS} leaked, 0 reaped by their parent, 0 auto-reaped" in given
