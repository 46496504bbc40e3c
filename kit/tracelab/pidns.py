"""A PID namespace around one graded run, so that nothing of it outlives
it: not even a process the tracer never saw.

    why_not = unavailable()      # None, or why this machine does not allow it (probed once)
    cmd = wrap(tracer_cmd)       # unshare --pid --fork --mount-proc --kill-child TRACER...
    init_pid(unshare_pid)        # the tracer's pid, as the grader sees it

The tracer is the namespace's init (util-linux's unshare forks it as pid
1): when it exits, however it exits, the kernel kills every process left
in the namespace, a setsid() daemon started with CLONE_UNTRACED
included. And --kill-child makes the tracer die with unshare, so killing
unshare's process group from outside ends it all. As init, the tracer is
everyone's reaper already (it asks to be a subreaper anyway). The
namespace has its own /proc (--mount-proc), which is what the tracer
reads: the pids of the trace are the namespace's, the ones the program
itself sees from getpid().

An init gets only the signals it has a handler for from inside its
namespace (the tracer has handlers for SIGTERM, SIGINT, SIGHUP; SIGKILL
comes from outside). unshare itself blocks SIGINT and SIGTERM while it
waits for its child, so whoever stops the run sends SIGTERM to the
tracer (init_pid), not to unshare.

unshare is in util-linux, which every Debian and Ubuntu system has;
bubblewrap would do the same and more, but would be one more package to
install, on Gradescope too.
"""

import functools
import shutil
import subprocess

from .i18n import _

FLAGS = ["--pid", "--fork", "--mount-proc", "--kill-child"]
_PROBE_TIMEOUT_S = 10


@functools.lru_cache(maxsize=None)
def unavailable():
    """None when a run can be put in a PID namespace here, else why not
    (an unprivileged container says EPERM). Probed once per process."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return _("this machine has no unshare (util-linux) to make a PID namespace")
    try:
        done = subprocess.run([unshare, *FLAGS, "true"], stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=_PROBE_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as e:
        return _("this machine does not let the grader make a PID namespace ({error})").format(error=e)
    if done.returncode != 0:
        said = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        return _("this machine does not let the grader make a PID namespace ({error})").format(error=said)
    return None


def wrap(cmd):
    """The command, run as the init of a new PID namespace."""
    return [shutil.which("unshare") or "unshare", *FLAGS, *map(str, cmd)]


def init_pid(unshare_pid):
    """The namespace's init (unshare's one child), as seen from here; None
    before it is forked or after it is gone."""
    try:
        with open(f"/proc/{unshare_pid}/task/{unshare_pid}/children") as f:
            kids = f.read().split()
    except OSError:
        return None
    return int(kids[0]) if kids else None
