"""What a graded run may have left running, as /proc says: processes of
the grading users it ran as, and processes whose working folder or program
is inside a folder (a copy of the repository, a run's TMPDIR). Zombies are
dead already and do not count.

Only the users the run itself had (the submission says which, in its
report) are looked at: other gradings on the machine may hold other
grading users meanwhile."""

import os
import time

from tracelab import sandbox

GRADING_UIDS = range(sandbox.FIRST_UID, sandbox.FIRST_UID + sandbox.SLOTS)


def _running(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def _inside(link, folder):
    try:
        path = os.readlink(link).removesuffix(" (deleted)")
    except OSError:
        return False
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def left_running(folder=None, uids=(), wait_s=2.0):
    """Pids of the grading users `uids`, or whose cwd or exe is in folder,
    that still run, after giving a kill up to wait_s to land. The caller
    itself and its ancestors are not counted."""
    folder = os.path.realpath(folder) if folder else None
    uids = {u for u in uids if u in GRADING_UIDS}
    mine = {os.getpid()}
    p = os.getppid()
    while p > 1:
        mine.add(p)
        try:
            with open(f"/proc/{p}/stat") as f:
                p = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            break
    deadline = time.monotonic() + wait_s
    while True:
        found = []
        for name in os.listdir("/proc"):
            if not name.isdigit() or int(name) in mine:
                continue
            try:
                uid = os.stat(f"/proc/{name}").st_uid
            except OSError:
                continue
            if uid in uids or (folder and (_inside(f"/proc/{name}/cwd", folder)
                                                   or _inside(f"/proc/{name}/exe", folder))):
                if _running(name):
                    found.append(int(name))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)
