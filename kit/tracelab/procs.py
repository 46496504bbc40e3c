"""Processes on this machine, read from /proc: which are alive, which are
in a session, and killing what is left of one. The runner uses these so
that nothing of a traced run outlives it; tests use them to check that.
"""

import os
import signal
import subprocess


def _state(pid):
    """The one-letter state of pid ("R", "S", "Z", ...) and its session id,
    or None if there is no such process."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read().decode(errors="replace")
    except OSError:
        return None
    # The command name (in parentheses) may hold spaces: split after it.
    fields = stat[stat.rfind(")") + 2:].split()
    return fields[0], int(fields[3]) if len(fields) > 3 else None


def session_members(sid):
    """Pids of live (not zombie) processes in session sid."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            st = _state(entry)
            if st and st[1] == sid and st[0] not in ("Z", "X"):
                found.append(int(entry))
    return found


def kill_session(sid):
    """Kill whatever is still alive in session sid; returns those pids."""
    left = session_members(sid)
    for pid in left:
        send(pid, signal.SIGKILL)
    return left


def alive(pids):
    """Those of pids that are still running (zombies are not running)."""
    return [pid for pid in pids if (_state(pid) or ("X",))[0] not in ("Z", "X")]


def send(pid, sig):
    """kill(pid, sig), for a process that may be gone already."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def kill_group(pgid):
    """SIGKILL a whole process group that may be gone already."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def kill_user(uid):
    """SIGKILL every process of uid: kill(-1) run as that user reaches its
    processes and nobody else's (root only)."""
    subprocess.run(["kill", "-KILL", "-1"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, user=uid, group=uid, extra_groups=[])
