"""Who a graded program runs as. When the grader is root (as on
Gradescope), the student's build and run never are: each grading session
claims a user of its own, unprivileged, for as long as it lasts, and the
tracer (root) runs the program as that user (`./trace --user`). So the
program cannot signal the tracer or the tests, nor write the checkout, and
"every process of this user" is exactly this submission's, which makes
killing them all at the end exact.

    user = claim()           # None when not root: nothing to drop
    ...
    user.kill_all(); user.release()

A user is claimed by binding an abstract Unix socket named for it: the
kernel frees the name when the process ends, however it ends, so no lock
file is ever left behind. No account is created: the kernel needs only
the number. The session's temporary folders carry the user in their
names (folder_prefix), so a session killed before it could clean up is
cleaned up by the next one that claims its user.
"""

import glob
import os
import shutil
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import cgroup, procs
from .i18n import _
from .runner import REPO

HOOK = REPO / "kit" / "hook" / "libtlhook.so"
LOCALE = REPO / "build" / "locale"

FIRST_UID = 61100      # users FIRST_UID .. FIRST_UID + SLOTS - 1 are the kit's
SLOTS = 256
POOL_ENV = "TRACELAB_GRADING_UIDS"   # another pool of uids, for this grader only


@dataclass
class GradingUser:
    uid: int
    _lock: socket.socket = None

    @property
    def gid(self):
        return self.uid

    def folder_prefix(self, what):
        """The name a temporary folder of this user's session starts with."""
        return folder_prefix(what, self.uid)

    def subprocess_args(self):
        """For subprocess.run: run as this user, in no other group."""
        return {"user": self.uid, "group": self.gid, "extra_groups": []}

    def chown_tree(self, path):
        """Give the user a folder the tracer made for its build."""
        for root, dirs, files in os.walk(path):
            os.chown(root, self.uid, self.gid)
            for name in files:
                os.lchown(os.path.join(root, name), self.uid, self.gid)

    def kill_all(self):
        """SIGKILL every process of this user: kill(-1) run as the user
        reaches its processes and nobody else's."""
        procs.kill_user(self.uid)

    def release(self):
        if self._lock is not None:
            self._lock.close()
            self._lock = None


def lock_name(uid):
    """The abstract socket name whose binding claims uid."""
    return f"\0tracelab-grading-uid-{uid}"


def folder_prefix(what, uid):
    return f"tracelab-{what}-u{uid}-"


def _remove_stale_folders(uid):
    """What a killed session of this user left in the temporary folder."""
    for what in ("grade", "run"):
        for path in glob.glob(os.path.join(tempfile.gettempdir(), folder_prefix(what, uid) + "*")):
            shutil.rmtree(path, ignore_errors=True)


def reserve_name(uid):
    """The abstract socket name whose binding keeps uid out of the kit's
    default pool (a test that must look at a user after its grading)."""
    return f"\0tracelab-grading-reserved-{uid}"


def _bound(name):
    """Is the abstract name held by some process?"""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        try:
            s.bind(name)
        except OSError:
            return True
    return False


def pool_from_env():
    """The uids $TRACELAB_GRADING_UIDS names ("61200" or "61200-61203"),
    or None when it is not set."""
    text = os.environ.get(POOL_ENV, "").strip()
    if not text:
        return None
    first, _dash, last = text.partition("-")
    try:
        first, last = int(first), int(last or first)
    except ValueError:
        raise RuntimeError(_("{variable}={value!r}: give a uid or a range, like 61200-61203").format(
            variable=POOL_ENV, value=text)) from None
    return range(first, last + 1)


def claim(uids=None):
    """A free grading user for this process, or None when not root. From
    `uids`, else $TRACELAB_GRADING_UIDS, else the kit's range, where the
    uids someone reserved (reserve_name) are passed over."""
    if os.geteuid() != 0:
        return None
    given = uids if uids is not None else pool_from_env()
    for uid in given if given is not None else range(FIRST_UID, FIRST_UID + SLOTS):
        if given is None and _bound(reserve_name(uid)):
            continue
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.bind(lock_name(uid))
        except OSError:
            s.close()
            continue
        user = GradingUser(uid, s)
        user.kill_all()   # a crashed session before us may have left some,
        _remove_stale_folders(uid)   # and its folders,
        cgroup.remove_stale(uid)     # and its runs' cgroups
        return user
    if given is not None:
        raise RuntimeError(_("every grading user this grader may use ({variable} or the uids "
                             "given) is in use: give it more uids, or grade fewer at once").format(
                                 variable=POOL_ENV))
    raise RuntimeError(_("all {n} grading users are in use: too many gradings at once").format(n=SLOTS))


def hook_copy(workdir):
    """The preloaded hook (pthread_join and pthread_detach reports), copied
    where the grading user can read it: the program's own loader opens it
    as that user. The tracer finds it through TRACELAB_HOOK."""
    dest = Path(workdir) / "libtlhook.so"
    if HOOK.is_file() and not dest.exists():
        shutil.copyfile(HOOK, dest)
        dest.chmod(0o644)
    return dest


def locale_copy(workdir):
    """The message catalogs (build/locale, or TRACELAB_LOCALEDIR's), copied
    where the grading user can read them: the student's lab, run as that
    user, translates its own lines (po/labs/). The tracer finds them, and
    hands them on to the lab, through TRACELAB_LOCALEDIR."""
    source = Path(os.environ.get("TRACELAB_LOCALEDIR") or LOCALE)
    dest = Path(workdir) / "locale"
    for mo in sorted(source.glob("*/LC_MESSAGES/*.mo")):
        to = dest / mo.relative_to(source)
        if not to.exists():
            to.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
            shutil.copyfile(mo, to)
            to.chmod(0o644)
    for folder in [dest, *dest.rglob("*")]:
        if folder.is_dir():
            folder.chmod(0o755)
    return dest
