"""Grading as root runs the submission as a user of its own
(tracelab.sandbox): a hostile submission's tries against the grader fail
because the kernel says no. Oracles: the submission's own report of each
try, the checkout's hashes before and after, and /proc afterwards."""

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from grading.hostile import Reserved
from grading.nested import GRADING, REPO, clean_env, pytest as run_pytest
from tracelab import cgroup, sandbox

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="the grading user is used when root grades")


def _hashes(folder):
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def _grading_users_alive(users, wait_s=2.0):
    """Processes of these grading users that still run (zombies are dead
    already), after giving a kill up to wait_s to land."""
    deadline = time.monotonic() + wait_s
    while True:
        alive = []
        for name in os.listdir("/proc"):
            try:
                if not name.isdigit() or os.stat(f"/proc/{name}").st_uid not in users:
                    continue
                with open(f"/proc/{name}/stat") as f:
                    if f.read().rsplit(")", 1)[1].split()[0] != "Z":
                        alive.append(int(name))
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def test_a_hostile_submission_cannot_rewrite_the_tests_or_stop_the_tracer(tmp_path):
    tests_before = _hashes(REPO / "tests")
    drop = Path(tempfile.mkdtemp(prefix="tracelab-hostile-"))
    try:
        drop.chmod(0o777)   # the one place the submission may write: its report
        report = drop / "report.txt"
        out = tmp_path / "results.json"
        with Reserved(1) as reserved:      # its uid: no other grading here takes it meanwhile
            done = run_pytest(GRADING / "lab07_checks.py", "--submission",
                              GRADING / "submissions" / "lab07_hostile.c", "--gradescope", out,
                              env=clean_env(HOSTILE_REPORT=report, **reserved.env))
            alive = _grading_users_alive(reserved.uids)
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
    assert alive == []
    results = json.loads(out.read_text())
    # scored as what it is, a lab 7 with no reaping, not stopped by a limit
    assert results["score"] < sum(t["max_score"] for t in results["tests"]), results
    assert not any("Your program was stopped" in t.get("output", "") for t in results["tests"]), results


def test_a_killed_grading_session_leaves_nothing_once_its_user_is_claimed_again(tmp_path):
    """A test runner killed with SIGKILL cannot clean up. Its folders,
    processes and runs' cgroups carry its user: the next session that
    claims that user kills and removes them first. (The last user of the
    kit's range, so that no real grading here takes it meanwhile.)"""
    uid = sandbox.FIRST_UID + sandbox.SLOTS - 1
    script = ("import sys, time, subprocess\n"
              "from tracelab import cgroup, sandbox, submission\n"
              f"u = sandbox.claim(uids=[{uid}])\n"
              f"b = submission.prepare({str(GRADING / 'submissions' / 'lab07_wait_once.c')!r}, user=u)\n"
              "p = subprocess.Popen(['sleep', '300'], **u.subprocess_args())\n"
              # a run's cgroups, with a process in them, as a killed run leaves them
              f"g = cgroup.RunGroup(cgroup.support(), {uid}, 64, 16)\n"
              "for f in g.folders(): (f / 'cgroup.procs').write_text(str(p.pid))\n"
              "print(b.workdir, *g.folders(), flush=True)\n"
              "time.sleep(300)\n")
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(REPO / "kit")})
    workdir, *groups = map(Path, child.stdout.readline().split())
    assert workdir.is_dir() and f"-u{uid}-" in workdir.name
    assert all(g.is_dir() for g in groups) and len(groups) == len(cgroup.support().places)
    assert _grading_users_alive([uid], wait_s=0)
    child.kill()
    child.wait()
    assert workdir.is_dir() and all(g.is_dir() for g in groups)     # nobody cleaned up
    user = sandbox.claim(uids=[uid])
    try:
        assert user is not None and not workdir.exists()
        assert not any(g.exists() for g in groups)
        assert not _grading_users_alive([uid])
    finally:
        user.release()


def test_reserved_uids_are_passed_over_and_a_pool_can_be_given(monkeypatch):
    """A grading with the kit's default pool passes over a reserved uid;
    one given its pool ($TRACELAB_GRADING_UIDS) takes exactly from it; a
    pool that is not a uid or a range is refused in words."""
    monkeypatch.delenv(sandbox.POOL_ENV, raising=False)
    with Reserved(1) as r:
        (uid,) = r.uids
        mine = sandbox.claim(uids=[uid])         # as the reserving test's grading would
        mine.release()
        monkeypatch.setenv(sandbox.POOL_ENV, f"{uid}-{uid}")
        pinned = sandbox.claim()
        assert pinned.uid == uid
        with pytest.raises(RuntimeError, match="in use"):
            sandbox.claim()                      # its one uid is taken
        pinned.release()
        monkeypatch.delenv(sandbox.POOL_ENV)
        # The default pool, made of the reserved uid alone: it is passed over.
        monkeypatch.setattr(sandbox, "FIRST_UID", uid)
        monkeypatch.setattr(sandbox, "SLOTS", 1)
        with pytest.raises(RuntimeError, match="all 1 grading users are in use"):
            sandbox.claim()
    monkeypatch.setenv(sandbox.POOL_ENV, "61200-x")
    with pytest.raises(RuntimeError, match="give a uid or a range"):
        sandbox.claim()


def test_the_catalogs_are_copied_where_the_grading_user_reads_them():
    """A lab run as another user, in a folder it can enter, with
    TRACELAB_LOCALEDIR at the copy, speaks Vietnamese (its fatal()'s usage
    line); the copy holds every catalog make built, readable by all."""
    work = Path(tempfile.mkdtemp(prefix="tracelab-locale-"))
    try:
        work.chmod(0o755)
        copy = sandbox.locale_copy(work)
        built = sorted(p.relative_to(sandbox.LOCALE) for p in sandbox.LOCALE.glob("*/LC_MESSAGES/*.mo"))
        copied = sorted(p.relative_to(copy) for p in copy.glob("*/LC_MESSAGES/*.mo"))
        assert copied == built and Path("vi/LC_MESSAGES/tracelab-labs.mo") in copied
        assert all(oct((copy / p).stat().st_mode & 0o777) == "0o644" for p in copied)
        lab = work / "lab12"
        lab.write_bytes((REPO / "labs" / "lab12-mutex-counter" / "lab12").read_bytes())
        lab.chmod(0o755)
        nobody = ["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"]
        for where, says in ((copy, "lab12: cách dùng: lab12 nolock|mutex\n"),
                            (work / "nowhere", "lab12: usage: lab12 nolock|mutex\n")):
            run = subprocess.run([*nobody, str(lab), "x"], capture_output=True, text=True,
                                 env={"PATH": os.environ["PATH"], "TRACELAB_LANG": "vi",
                                      "TRACELAB_LOCALEDIR": str(where)})
            assert (run.returncode, run.stderr) == (1, says)
    finally:
        subprocess.run(["rm", "-rf", str(work)], check=True)
