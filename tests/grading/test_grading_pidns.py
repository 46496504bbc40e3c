"""A graded run's tracer is the init of a PID namespace (tracelab.pidns):
whatever is in the namespace dies when the run ends, even a process the
tracer never saw. Such a process is put there from outside (nsenter, as
the grading user, in a session of its own): the tracer neither started
nor traced it. The oracle is /proc, read from outside the namespace."""

import os
import shutil
import signal
import subprocess
import threading
import time

import pytest

from grading.hostile import left_behind
from tracelab import pidns, runner, sandbox
from tracelab.guard import Limits

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or pidns.unavailable() is not None or shutil.which("nsenter") is None,
    reason="needs root and PID namespaces (and nsenter)")

UID = sandbox.FIRST_UID + sandbox.SLOTS - 2     # no real grading here takes it (they start at the first)


def _tracer_of(uid, deadline_s=10):
    """The init (the tracer) of the namespace of the enclosed run as uid:
    (unshare's pid, the tracer's pid), as seen from here."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        for name in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{name}/cmdline", "rb") as f:
                    argv = f.read().split(b"\0")
            except OSError:
                continue
            if argv[0].endswith(b"unshare") and f"{uid}:{uid}".encode() in argv:
                init = pidns.init_pid(int(name))
                if init:
                    return int(name), init
        time.sleep(0.02)
    raise AssertionError("the enclosed run never started")


def _unseen_daemon(init, uid):
    """A `sleep` in init's namespace, as uid, in a session of its own,
    that the tracer never saw start: nsenter's child, and nsenter (outside
    the namespace) stays its parent, so it is not even an orphan that
    would come to the tracer. (nsenter's Popen, the sleep's pid here.)"""
    nsenter = subprocess.Popen(["nsenter", "--target", str(init), "--pid", "--", "setpriv", "--reuid",
                                str(uid), "--regid", str(uid), "--clear-groups", "setsid", "sleep", "300"])
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        kids = pidns.init_pid(nsenter.pid)
        try:
            with open(f"/proc/{kids}/cmdline", "rb") as f:
                started = kids and f.read() == b"sleep\x00300\x00"
            with open(f"/proc/{kids}/status") as f:
                ns_pids = next(l for l in f if l.startswith("NSpid:")).split()
        except (OSError, StopIteration):
            started = False
        if started:
            assert os.stat(f"/proc/{kids}").st_uid == uid
            assert len(ns_pids) == 3      # a pid here, and one in the run's namespace
            return nsenter, kids
        time.sleep(0.02)
    nsenter.kill()
    raise AssertionError("the unseen daemon never started")


def _alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def _enclosed_run(user, seconds, outcome):
    try:
        outcome["trace"] = runner.run(["/bin/sleep", str(seconds)], limits=Limits(user=user.uid, timeout=20))
    except runner.TraceError as e:
        outcome["error"] = e


@pytest.mark.parametrize("ending", ["the run ends", "the tracer is killed"])
def test_a_process_the_tracer_never_saw_dies_with_the_run(ending):
    user = sandbox.claim(uids=[UID])
    assert user is not None
    try:
        outcome = {}
        run = threading.Thread(target=_enclosed_run, args=(user, 2, outcome))
        run.start()
        _, init = _tracer_of(UID)
        nsenter, daemon = _unseen_daemon(init, UID)
        assert _alive(daemon)
        if ending == "the tracer is killed":
            os.kill(init, signal.SIGKILL)      # it can clean up nothing
        run.join(timeout=30)
        assert not run.is_alive()
        if ending == "the run ends":
            trace = outcome["trace"]
            assert trace.stopped is None and len(trace.processes) == 1   # it never saw the daemon
        deadline = time.monotonic() + 2
        while _alive(daemon) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not _alive(daemon)
        assert nsenter.wait(timeout=5) == -signal.SIGKILL     # the kernel's kill, not ours
    finally:
        user.release()
    assert left_behind(UID) == {}


def test_only_a_graded_run_is_in_a_namespace():
    """A run with the grading user is the namespace's: the program is pid
    2 there (the tracer is 1); a run without one is as it always was."""
    user = sandbox.claim(uids=[UID])
    try:
        enclosed = runner.run(["/bin/true"], limits=Limits(user=user.uid))
    finally:
        user.release()
    plain = runner.run(["/bin/true"], limits=Limits())
    assert enclosed.command[:len(pidns.FLAGS) + 1][1:] == pidns.FLAGS and enclosed.root == 2
    assert plain.command[0] == str(runner.trace_binary()) and plain.root != 2
