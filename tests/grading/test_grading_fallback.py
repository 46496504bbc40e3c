"""Where the machine allows no cgroup and no PID namespace (an
unprivileged Docker container: /sys/fs/cgroup read-only, no
CAP_SYS_ADMIN), grading as root still runs the submission as a user of
its own and kills all of that user's processes at the end; the results
say, in plain words, what was not in force. Made real here: the grading
runs with its cgroup mounts read-only and CAP_SYS_ADMIN gone (inside a
PID namespace of the test's own)."""

import os
import shutil
import subprocess
import time

import pytest

from grading.hostile import checkout_hashes, grade_safely, left_behind, processes_of
from grading.nested import GRADING, REPO
from tracelab import cgroup, pidns, runner, sandbox
from tracelab.guard import Limits

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or not all(map(shutil.which, ("unshare", "setpriv"))),
                                reason="needs root, unshare and setpriv to play an unprivileged container")

CHECKS = GRADING / "lab07_checks.py"
NOT_IN_FORCE = [
    "memory was limited per process only: this machine does not let the grader create a cgroup (",
    "the number of processes was limited by the tracer's count and the user's RLIMIT_NPROC only, "
    "not by a cgroup: this machine does not let the grader create a cgroup (",
    "CPU time was not limited over the whole program, only its wall-clock time: this machine does "
    "not let the grader create a cgroup (",
    "there was no PID namespace around each run (its user's processes were killed at the end of "
    "each run instead): this machine does not let the grader make a PID namespace (",
]


def test_the_reference_scores_full_marks_and_the_results_say_what_was_not_in_force(tmp_path):
    before = checkout_hashes()
    done, results, _ = grade_safely(CHECKS, REPO / "labs" / "lab07-waitpid-loop" / "lab07.c", tmp_path,
                                    like_a_container=True)
    assert results["score"] == 10, done.stdout + done.stderr
    box = results["extra_data"]["sandbox"]
    assert (box["own_user"], box["cgroup"], box["tree_memory_mb"], box["tree_tasks"],
            box["tree_cpu_s"], box["pid_namespace"]) == (True, None, None, None, None, False), box
    assert len(box["not_in_force"]) == 4
    footer = done.stdout[done.stdout.index("  Score: "):]
    assert all(len(l) <= 100 for l in footer.splitlines() if l.startswith("  ")), footer
    for line, start in zip(box["not_in_force"], NOT_IN_FORCE):
        assert line.startswith(start), line
        assert f"Note: {line}" in results["output"]      # what the student reads
        assert f"Note: {line}" in " ".join(footer.split())    # the score table's footer, wrapped
    assert "Read-only file system" in box["not_in_force"][0]
    assert "Operation not permitted" in box["not_in_force"][3]
    assert checkout_hashes() == before


def test_a_daemon_is_still_killed_with_its_user(tmp_path):
    before = checkout_hashes()
    done, results, uids = grade_safely(CHECKS, GRADING / "submissions" / "lab07_daemon.c", tmp_path,
                                       "-k", "first_fork", "--trace-timeout", "2", like_a_container=True)
    assert results["score"] == 0 and len(uids) == 1, done.stdout
    assert results["tests"][0]["output"].startswith("Your program was stopped: ")
    assert left_behind(uids[0]) == {}
    assert checkout_hashes() == before


def test_without_a_namespace_every_process_of_the_user_dies_after_each_run(monkeypatch):
    """A process of the run's user that the tracer never saw (started
    here, in a session of its own) is killed when the run ends: with no
    namespace to end it, the run ends by killing all its user's processes."""
    monkeypatch.setattr(pidns, "unavailable", lambda: "no namespace, for this test")
    monkeypatch.setattr(cgroup, "support", lambda: cgroup.Support((), dict.fromkeys(cgroup.CONTROLLERS, "-")))
    uid = sandbox.FIRST_UID + sandbox.SLOTS - 3
    user = sandbox.claim(uids=[uid])
    assert user is not None
    try:
        unseen = subprocess.Popen(["setsid", "sleep", "300"], **user.subprocess_args())
        trace = runner.run(["/bin/true"], limits=Limits(user=uid))
        assert trace.command[0] == str(runner.trace_binary())        # no unshare around it
        assert trace.stopped is None
        assert unseen.wait(timeout=5) == -9                           # SIGKILL, after the run
        assert processes_of(uid) == []
    finally:
        user.release()
    assert left_behind(uid) == {}
