"""What the hostile-submission tests check, each from outside the
grading: the checkout's hashes, the processes left by the grading user
(by uid and by working folder), and the machine's free memory while the
grading runs. And grading itself, in a PID namespace of its own, so that
a sandbox that fails could harm nothing outside the test."""

import hashlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from grading.nested import PYTHON, REPO, clean_env
from tracelab import sandbox

SAFE = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child"]
# Inside SAFE (whose mounts are its own): what an unprivileged Docker
# container gives its root, the cgroup file systems read-only and no
# CAP_SYS_ADMIN (so no namespace can be made), then "$@".
LIKE_A_CONTAINER = ("for m in $(awk '$3 ~ /^cgroup2?$/ {print $2}' /proc/self/mounts); do "
                    "mount -o remount,bind,ro \"$m\" || exit 97; done; "
                    "exec setpriv --bounding-set -sys_admin \"$@\"")


def checkout_hashes():
    """sha256 of every file git tracks in the checkout, and of every lab's
    built program."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True)
    paths = [REPO / p for p in listed.stdout.decode().split("\0") if p]
    paths += [p for p in (REPO / "labs").glob("lab*/*") if p.is_file() and os.access(p, os.X_OK)]
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(paths) if p.is_file()}


def _live(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False


def processes_of(uid):
    """Live processes whose real uid is uid."""
    found = []
    for name in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{name}/status") as f:
                real = next(int(l.split()[1]) for l in f if l.startswith("Uid:"))
        except (OSError, StopIteration):
            continue
        if real == uid and _live(name):
            found.append(int(name))
    return found


def processes_in_folders_of(uid):
    """Live processes whose working folder is one of the session's
    temporary folders (sandbox.folder_prefix), or under one."""
    prefixes = [os.path.join(tempfile.gettempdir(), sandbox.folder_prefix(w, uid)) for w in ("grade", "run")]
    found = []
    for name in filter(str.isdigit, os.listdir("/proc")):
        try:
            cwd = os.readlink(f"/proc/{name}/cwd")
        except OSError:
            continue
        if any(cwd.startswith(p) for p in prefixes) and _live(name):
            found.append((int(name), cwd))
    return found


def folders_of(uid):
    return [p for w in ("grade", "run")
            for p in Path(tempfile.gettempdir()).glob(sandbox.folder_prefix(w, uid) + "*")]


class Reserved:
    """k grading uids kept out of every other grading's way while a test
    grades with them and looks at what they left: reserved (so that a
    grading with the kit's default pool passes them over) and handed to
    the graded session as its pool ($TRACELAB_GRADING_UIDS). Without it,
    a grading running meanwhile on this machine (another test run) could
    take the uid and its processes pass for leftovers, or kill them first.

        with Reserved(2) as r:
            grade(..., env=r.env); left_behind(r.uids[0])
    """

    def __init__(self, k=1):
        self.k, self.socks, self.uids = k, [], []

    def __enter__(self):
        # From the top of the kit's range down, below the three uids that
        # tests use by number (test_grading_sandbox, _pidns, _fallback).
        top = sandbox.FIRST_UID + sandbox.SLOTS - 4
        for first in range(top - self.k + 1, sandbox.FIRST_UID, -self.k):
            if self._take(range(first, first + self.k)):
                return self
        raise AssertionError("no free grading uids to reserve for this test")

    def _take(self, uids):
        for uid in uids:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.bind(sandbox.reserve_name(uid))
                if sandbox._bound(sandbox.lock_name(uid)):    # claimed already
                    raise OSError
            except OSError:
                s.close()
                self.__exit__()
                return False
            self.socks.append(s)
            self.uids.append(uid)
        return True

    @property
    def env(self):
        return {sandbox.POOL_ENV: f"{self.uids[0]}-{self.uids[-1]}"}

    def __exit__(self, *exc):
        for s in self.socks:
            s.close()
        self.socks, self.uids = [], []
        return False


# uid -> the Reserved that grade_safely graded with, until left_behind(uid)
_graded_with = {}


def left_behind(uid, wait_s=2.0):
    """What of the grading user is left (processes by uid, by working
    folder, and folders), after giving a last kill up to wait_s to land.
    The user is held meanwhile (its name bound, as sandbox.claim does, but
    without claim's cleanup), so that no other grading on this machine
    takes it and its processes pass for leftovers."""
    hold = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        hold.bind(sandbox.lock_name(uid))
    except OSError:
        hold.close()
        raise AssertionError(f"uid {uid} is still claimed: its grading has not ended") from None
    with hold:
        try:
            return _left_behind(uid, wait_s)
        finally:
            reserved = _graded_with.pop(uid, None)     # grade_safely's reservation
            if reserved is not None:
                reserved.__exit__()


def _left_behind(uid, wait_s):
    deadline = time.monotonic() + wait_s
    while True:
        left = {"by uid": processes_of(uid), "by cwd": processes_in_folders_of(uid),
                "folders": folders_of(uid)}
        if not any(left.values()) or time.monotonic() > deadline:
            return {k: v for k, v in left.items() if v}
        time.sleep(0.05)


class MemoryWatch:
    """MemAvailable, sampled every few ms on a thread while it is on:
    `before` (MB, at the start) and `lowest` (MB)."""

    PERIOD_S = 0.005

    def __init__(self):
        self.before = self.lowest = _available_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        while not self._stop.is_set():
            self.lowest = min(self.lowest, _available_mb())
            time.sleep(self.PERIOD_S)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def drop_mb(self):
        return self.before - self.lowest


def _available_mb():
    with open("/proc/meminfo") as f:
        return next(int(l.split()[1]) >> 10 for l in f if l.startswith("MemAvailable:"))


def grade_safely(checks, submission, tmp_path, *args, like_a_container=False, timeout=300):
    """Grade `submission` with the test file `checks` as `make grade` does
    (a nested pytest, the grader root), the whole of it inside a PID
    namespace of its own (and, like_a_container, with what an
    unprivileged container allows). Returns (CompletedProcess,
    results.json, the uids the submission said it ran as)."""
    drop = Path(tempfile.mkdtemp(prefix="tracelab-hostile-"))
    reserved = Reserved(1).__enter__()     # until left_behind() looks at it
    _graded_with[reserved.uids[0]] = reserved
    try:
        drop.chmod(0o777)      # the one place the submission may write: its report
        report = drop / "report.txt"
        out = Path(tmp_path) / "results.json"
        cmd = [PYTHON, "-m", "pytest", "-p", "no:cacheprovider", str(checks),
               "--submission", str(submission), "--gradescope", str(out), *map(str, args)]
        cmd = [*SAFE, *(["sh", "-c", LIKE_A_CONTAINER, "sh"] if like_a_container else []), *cmd]
        done = subprocess.run(cmd, cwd=REPO, env=clean_env(HOSTILE_REPORT=report, **reserved.env),
                              stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              errors="replace", timeout=timeout)
        said = report.read_text().split() if report.exists() else []
    finally:
        shutil.rmtree(drop, ignore_errors=True)
    assert out.is_file(), f"no results.json; pytest said:\n{done.stdout}\n{done.stderr}"
    uids = sorted({int(said[i + 1]) for i, w in enumerate(said[:-1]) if w == "uid"})
    return done, json.loads(out.read_text()), uids
