"""The kernel's cgroups around one graded run: the memory of the whole
traced tree (the sum over its processes) and its number of tasks are
limited, not each process's; and the CPU time of the whole tree is
counted, for the runner to stop it past its limit.

    where = support()                 # what this machine allows (probed once)
    group = RunGroup(where, uid, mem_mb=1024, tasks=256)
    cmd += group.tracer_options()     # --cgroup DIR: the tracer's child joins before its exec
    ...
    group.cpu_s()                     # CPU time the tree has used so far, in seconds
    facts = group.close()             # {"oom_kills": 0, "tasks_refused": 0, "peak_mb": 12.5, "cpu_s": 0.02}

cgroup v2 is used when the grader's own cgroup can give its memory and
pids controllers to a child (every v2 group counts its CPU time in
cpu.stat, with no controller to give); else cgroup v1's memory, pids and
cpuacct hierarchies, each on its own; else nothing, and support().missing
says why in plain words. A group is made under the grader's own cgroup, so it
stays inside whatever limits the grader has, and the grader itself is
never moved. Its name carries its grading user: a session killed before
it removed its groups is cleaned up by the next one that claims the user
(remove_stale), as sandbox.py does with folders.
"""

import functools
import itertools
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

from .i18n import _

# What a run's group needs, under cgroup v1's names: "cpuacct" counts
# CPU time. cgroup v2 counts it in every group (cpu.stat), so there only
# the controllers of _V2_GIVEN must be given to the group.
CONTROLLERS = ("memory", "pids", "cpuacct")
_V2_GIVEN = ("memory", "pids")
PREFIX = "tracelab-u"                  # a run's group: tracelab-u<uid>-<pid>-<n>
_PROBE = "tracelab-probe-"             # support()'s trial group: tracelab-probe-<pid>

# Each limit as each version names it, in the order they must be written
# (v1's memory+swap limit may not go below the memory limit). "mem" and
# "tasks" are the run's limits; "zero" is no swap at all. A file in
# _OPTIONAL is absent when the kernel does not account swap. CPU time is
# counted, not limited, by the kernel: the runner polls it (cpu_s()).
_LIMIT_FILES = {
    ("v2", "memory"): [("memory.max", "mem"), ("memory.swap.max", "zero")],
    ("v1", "memory"): [("memory.limit_in_bytes", "mem"), ("memory.memsw.limit_in_bytes", "mem")],
    ("v2", "pids"): [("pids.max", "tasks")],
    ("v1", "pids"): [("pids.max", "tasks")],
    ("v2", "cpuacct"): [],
    ("v1", "cpuacct"): [],
}
_OPTIONAL = {"memory.swap.max", "memory.memsw.limit_in_bytes"}

# What happened, where each version counts it: (controller, file, key,
# the file's units per fact unit); key None: the file is one number.
_FACT_FILES = {
    "v2": {"oom_kills": ("memory", "memory.events", "oom_kill", 1),
           "tasks_refused": ("pids", "pids.events", "max", 1),
           "peak_mb": ("memory", "memory.peak", None, 1 << 20),
           "cpu_s": ("cpuacct", "cpu.stat", "usage_usec", 10 ** 6)},
    "v1": {"oom_kills": ("memory", "memory.oom_control", "oom_kill", 1),
           "tasks_refused": ("pids", "pids.events", "max", 1),
           "peak_mb": ("memory", "memory.max_usage_in_bytes", None, 1 << 20),
           "cpu_s": ("cpuacct", "cpuacct.usage", None, 10 ** 9)},
}
_FACT_DIGITS = {"peak_mb": 1, "cpu_s": 4}      # rounded to; a count stays whole

_KILL_WAIT_S = 5        # for the killed to leave the group, so it can be removed
_UNLIMITED = 1 << 62    # a memory limit at least this large is none


@dataclass(frozen=True)
class Place:
    """Where a run's group is made: `parent` (the grader's own cgroup in a
    hierarchy), which holds `controllers` under cgroup `version`."""
    version: str
    controllers: tuple
    parent: Path


@dataclass(frozen=True)
class Support:
    places: tuple = ()
    missing: dict = field(default_factory=dict)   # controller -> why it cannot be used

    @property
    def version(self):
        """"v2", "v1", or None when no controller can be used."""
        return self.places[0].version if self.places else None

    def has(self, controller):
        return controller not in self.missing


class _NotHere(Exception):
    """This way of making a group does not work on this machine; str() says why."""


def _mounts():
    """(fstype, mount point, root within the hierarchy, super options) of
    every cgroup file system this process sees."""
    found = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            before, _sep, after = line.partition(" - ")
            fields, tail = before.split(), after.split()
            if len(fields) >= 5 and len(tail) >= 3 and tail[0] in ("cgroup", "cgroup2"):
                found.append((tail[0], fields[4], fields[3], set(tail[2].split(","))))
    return found


def _own_paths():
    """This process's cgroup in each hierarchy: {controller: path}, with
    "" for cgroup v2."""
    paths = {}
    with open("/proc/self/cgroup") as f:
        for line in f:
            parts = line.rstrip("\n").split(":", 2)
            if len(parts) == 3:
                for name in parts[1].split(",") if parts[1] else [""]:
                    paths[name] = parts[2]
    return paths


def _own_dir(mountpoint, root, own):
    """The folder of our own cgroup under a mount of its hierarchy."""
    if own is None:
        return None
    if root != "/" and own.startswith(root):
        own = own[len(root):]
    elif root != "/":
        return None      # the mount shows another part of the hierarchy
    return Path(mountpoint) / own.lstrip("/")


def _write(path, value):
    with open(path, "w") as f:
        f.write(f"{value}\n")


def _set_limits(folder, version, controllers, mem_bytes, tasks):
    values = {"mem": mem_bytes, "tasks": tasks, "zero": 0}
    for ctrl in controllers:
        for name, what in _LIMIT_FILES[(version, ctrl)]:
            if name in _OPTIONAL and not (folder / name).exists():
                continue
            _write(folder / name, values[what])


def _try_place(place):
    """Make, limit and remove a group once: the only sure test that the
    kernel, the mount and our rights allow it."""
    trial = place.parent / f"{_PROBE}{os.getpid()}"
    try:
        trial.mkdir()
        try:
            _set_limits(trial, place.version, place.controllers, 64 << 20, 64)
        finally:
            trial.rmdir()
    except OSError as e:
        # (The path stays out: students read this.)
        raise _NotHere(_("this machine does not let the grader create a cgroup ({error})").format(
            error=e.strerror)) from e
    return place


def _v2_place(mounts, own):
    for fstype, mountpoint, root, _opts in mounts:
        if fstype != "cgroup2":
            continue
        parent = _own_dir(mountpoint, root, own.get(""))
        if parent is None or not parent.is_dir():
            continue
        offered = set((parent / "cgroup.controllers").read_text().split())
        if not set(_V2_GIVEN) <= offered:
            raise _NotHere(_("the grader's cgroup v2 has no memory and pids controllers to give"))
        given = set((parent / "cgroup.subtree_control").read_text().split())
        if not set(_V2_GIVEN) <= given:
            try:
                _write(parent / "cgroup.subtree_control", " ".join(f"+{c}" for c in _V2_GIVEN))
            except OSError as e:
                # EBUSY: the grader's cgroup holds processes, and v2 gives
                # controllers only to the children of a cgroup that has none.
                raise _NotHere(_("the grader's cgroup v2 cannot give its controllers to a child "
                                 "({error})").format(error=e.strerror)) from e
        return _try_place(Place("v2", CONTROLLERS, parent))
    raise _NotHere(_("there is no cgroup v2 here"))


def _v1_place(mounts, own, ctrl):
    for fstype, mountpoint, root, opts in mounts:
        if fstype == "cgroup" and ctrl in opts:
            parent = _own_dir(mountpoint, root, own.get(ctrl))
            if parent is None or not parent.is_dir():
                break
            # Co-mounted controllers (memory,pids; cpu,cpuacct) share one group.
            return _try_place(Place("v1", tuple(c for c in CONTROLLERS if c in opts), parent))
    raise _NotHere(_("this machine has no cgroup with the {controller} controller").format(controller=ctrl))


def _why(e):
    return str(e) if isinstance(e, _NotHere) else \
        _("this machine does not let the grader create a cgroup ({error})").format(error=e.strerror)


@functools.lru_cache(maxsize=None)
def support():
    """Where this machine lets the grader make a run's groups: cgroup v2
    when it can, else v1 for each controller it can. Probed once per
    process (only root may make them)."""
    if os.geteuid() != 0:
        return Support((), {c: _("only a grader running as root makes cgroups") for c in CONTROLLERS})
    try:
        mounts, own = _mounts(), _own_paths()
    except OSError as e:
        return Support((), {c: _("this machine shows no cgroups ({error})").format(error=e.strerror)
                            for c in CONTROLLERS})
    try:
        return Support((_v2_place(mounts, own),))
    except (_NotHere, OSError) as e:
        v2_why = _why(e)
    places, missing = [], {}
    for ctrl in CONTROLLERS:
        if any(ctrl in p.controllers for p in places):
            continue
        try:
            places.append(_v1_place(mounts, own, ctrl))
        except (_NotHere, OSError) as e:
            has_v1 = any(m[0] == "cgroup" and ctrl in m[3] for m in mounts)
            missing[ctrl] = _why(e) if has_v1 else v2_why
    return Support(tuple(places), missing)


def grader_room_mb():
    """The memory the grader itself may use, in MB: the machine's, or less
    if the grader's own cgroup (a container's) is limited."""
    with open("/proc/meminfo") as f:
        room = next(int(l.split()[1]) << 10 for l in f if l.startswith("MemTotal:"))
    try:
        mounts, own = _mounts(), _own_paths()
    except OSError:
        return room >> 20
    for fstype, mountpoint, root, opts in mounts:
        if fstype == "cgroup" and "memory" in opts:
            here = _own_dir(mountpoint, root, own.get("memory"))
            room = min(room, _stat_value(here, "memory.stat", "hierarchical_memory_limit") or room)
        elif fstype == "cgroup2":
            here, top = _own_dir(mountpoint, root, own.get("")), Path(mountpoint)
            for folder in [here, *here.parents] if here is not None else []:
                if folder == top or top in folder.parents:
                    room = min(room, _number(folder / "memory.max") or room)
    return room >> 20


def _number(path):
    try:
        text = Path(path).read_text().strip()
    except (OSError, TypeError):
        return None
    return int(text) if text.isdigit() and int(text) < _UNLIMITED else None


def _stat_value(folder, name, key):
    """`key N` in a file of `key value` lines, or None."""
    try:
        lines = (Path(folder) / name).read_text().splitlines()
    except (OSError, TypeError):
        return None
    for line in lines:
        k, _sep, v = line.partition(" ")
        if k == key and v.strip().isdigit():
            n = int(v)
            return n if n < _UNLIMITED else None
    return None


_runs = itertools.count()


class RunGroup:
    """The groups of one traced run, limited: made at once, and killed and
    removed by close() (which says what happened in them)."""

    def __init__(self, where, uid, mem_mb, tasks):
        self.version = where.version
        self.dirs = {}          # controller -> its group's folder (v2: one for both)
        self.facts = None
        name = f"{PREFIX}{uid}-{os.getpid()}-{next(_runs)}"
        try:
            for place in where.places:
                folder = place.parent / name
                folder.mkdir()
                self.dirs.update((c, folder) for c in place.controllers)
                _set_limits(folder, place.version, place.controllers, mem_mb << 20, tasks)
        except OSError:
            self.close()
            raise

    def folders(self):
        return sorted(set(self.dirs.values()))

    def tracer_options(self):
        return [arg for folder in self.folders() for arg in ("--cgroup", str(folder))]

    def _fact(self, fact):
        """One of _FACT_FILES's facts, in its unit; None where not counted."""
        if fact not in _FACT_FILES.get(self.version, {}):
            return None
        ctrl, name, key, per = _FACT_FILES[self.version][fact]
        folder = self.dirs.get(ctrl)
        value = None if folder is None else \
            _stat_value(folder, name, key) if key else _number(folder / name)
        if value is None or per == 1:
            return value
        return round(value / per, _FACT_DIGITS[fact])

    def _facts(self):
        return {fact: self._fact(fact) for fact in _FACT_FILES.get(self.version, {})}

    def cpu_s(self):
        """The CPU time the tree has used so far (seconds, user and
        system, of every process it ever had), or None if not counted."""
        return self._fact("cpu_s") if self.facts is None else self.facts["cpu_s"]

    def close(self):
        """Read what happened, kill what is left, remove the groups. The
        facts: oom_kills and tasks_refused (None where not limited),
        peak_mb, cpu_s (None where not counted)."""
        if self.facts is None:
            self.facts = self._facts()
            for folder in self.folders():
                _empty_and_remove(folder)
        return self.facts


def _empty_and_remove(folder):
    """SIGKILL whatever is in the group (v2: cgroup.kill, all at once), and
    remove it once the kernel lets it go."""
    deadline = time.monotonic() + _KILL_WAIT_S
    while folder.exists():
        try:
            if (folder / "cgroup.kill").exists():
                _write(folder / "cgroup.kill", 1)
            else:
                for pid in (folder / "cgroup.procs").read_text().split():
                    try:
                        os.kill(int(pid), signal.SIGKILL)
                    except ProcessLookupError:
                        pass
            folder.rmdir()
        except FileNotFoundError:
            return
        except OSError:
            if time.monotonic() > deadline:
                return        # left for remove_stale, when this user is claimed again
            time.sleep(0.01)


def remove_stale(uid):
    """The groups a killed session of this user left: emptied and removed;
    and any probe whose process is gone."""
    for place in support().places:
        for folder in place.parent.glob(f"{PREFIX}{uid}-*"):
            _empty_and_remove(folder)
        for probe in place.parent.glob(f"{_PROBE}*"):
            if not os.path.exists(f"/proc/{probe.name[len(_PROBE):]}"):
                _empty_and_remove(probe)
