"""Read the tracer's JSON Lines (docs/trace-format.md) into a Trace.

A Trace keeps every event as the plain dict it was written as, answers
queries that return plain lists of those dicts, and builds the processes
and threads the events describe. Queries compose: each is `where` over
the events, and `where` takes any list, so a query's result can be
filtered again. `events` holds every event; `own_events` leaves out each
process's set-up before its main() (before_main.py says the rule), and
`setup` is that set-up.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from . import before_main
from .i18n import _

FORMAT_VERSION = 1


class TraceFormatError(ValueError):
    """A line that is not an event of the trace format."""


class _Any:
    def __repr__(self):
        return "ANY"


ANY = _Any()  # matches any value, and a missing field too
_MISSING = object()


def where(events, type=None, **fields):
    """The events of `type` (any type if None) whose fields all match.

    A wanted value matches by equality; a set, frozenset, list or tuple
    matches any of its members; a callable matches when it returns true
    (it is not called for a missing field); ANY matches anything. A field
    that is absent reads as None, so `err=None` means "no error".
    """
    return [ev for ev in events
            if (type is None or ev.get("type") == type)
            and all(_matches(ev.get(k, _MISSING), v) for k, v in fields.items())]


def _matches(got, want):
    if want is ANY:
        return True
    if callable(want):
        return got is not _MISSING and bool(want(got))
    if got is _MISSING:
        got = None
    if isinstance(want, (set, frozenset, list, tuple)):
        return got in want
    return got == want


def _opt(value):
    """None in a query's keyword means "don't filter on this field"."""
    return ANY if value is None else value


@dataclass
class Thread:
    """One thread (a task); a process's main thread has tid == pid."""
    tid: int
    pid: int
    exit: dict = None  # {"code", "signal", "core"} once it ended

    @property
    def main(self):
        return self.tid == self.pid


@dataclass
class Process:
    """One process (a thread group) as the events describe it."""
    pid: int
    ppid: int = None            # the process that made it; None for the root (the
                                # trace does not say who started the traced command)
    argv: list = None           # from its last exec, else inherited
    path: str = None            # the program of its last exec
    exit: dict = None           # {"code", "signal", "core"[, "exec_by"]} once it ended
    threads: list = field(default_factory=list)   # tids it created
    children: list = field(default_factory=list)  # pids it created
    spawned_by_call: str = None  # "fork", "vfork", "posix_spawn", "clone"
    reap: dict = None           # its `reap` event, once its zombie is gone
    execs: list = field(default_factory=list)     # its `exec` events

    @property
    def argv0(self):
        return self.argv[0] if self.argv else None


class Zombies(dict):
    """The summary's `zombies` object, with `.leaked` for its list."""

    @property
    def leaked(self):
        return self.get("leaked") or []


class Trace:
    """The events of one run of the tracer and what they add up to."""

    def __init__(self, events):
        self.events = list(events)
        heads = [ev for ev in self.events if ev.get("type") == "trace"]
        tails = [ev for ev in self.events if ev.get("type") == "summary"]
        self.header = heads[0] if heads else None
        self.summary = tails[-1] if tails else None
        # Set by tracelab.run: how the tracer itself ran.
        self.command = None
        self.returncode = None
        self.stdout = ""
        self.stderr = ""
        self.tracer_pid = None
        self.peak_mem_mb = None
        self.leftovers = []
        self.limits = None      # the guard.Limits of the run, if it had any
        self.stopped = None     # why a limit stopped it, in words; None if none did
        self._model = None
        self._split = None

    def __repr__(self):
        return f"<Trace {len(self.events)} events, root {self.root}>"

    def check(self):
        """This trace, or Stopped (an AssertionError) if a limit stopped the run."""
        __tracebackhide__ = True
        if self.stopped and self.limits is not None:
            self.limits.check(self)
        return self

    # Whose code: the set-up before each program's main(), or its own.

    @property
    def setup(self):
        """The events of the set-up before each program's main(): from an
        exec to that process's `start` marker (before_main.py)."""
        return self._setup_and_own()[0]

    @property
    def own_events(self):
        """The events of the programs' own code: every event but the set-up.
        What tracelab.expect's checks look at."""
        return self._setup_and_own()[1]

    def _setup_and_own(self):
        if self._split is None:
            self._split = before_main.split(self.events)
        return self._split

    # Queries: plain lists of event dicts.

    def select(self, type=None, **fields):
        return where(self.events, type, **fields)

    def syscalls(self, name=None, call=None, pid=None, tid=None, err=ANY):
        """Finished calls; `err=None` keeps the successful ones only."""
        return self.select("syscall", name=_opt(name), call=_opt(call),
                           pid=_opt(pid), tid=_opt(tid), err=err, unfinished=None)

    def unfinished(self, name=None, call=None, pid=None, tid=None, why=None):
        """Calls that never returned: the task died in them ("killed",
        "exited"), another thread's exec ended them ("exec"), or the tracer
        let go ("detached") or stopped ("ended") first."""
        return self.select("syscall", name=_opt(name), call=_opt(call), pid=_opt(pid),
                           tid=_opt(tid), unfinished=_opt(why) if why else (lambda w: w is not None))

    def spawns(self, kind=None, parent=None):
        """New processes or threads; `parent` is the creating pid."""
        return self.select("spawn", kind=_opt(kind), pid=_opt(parent))

    def execs(self, pid=None):
        return self.select("exec", pid=_opt(pid))

    def signals(self, sig=None, pid=None):
        return self.select("signal", sig=_opt(sig), pid=_opt(pid))

    def exits(self, process=None):
        """Ends of threads and processes; `process=True` for whole processes."""
        return self.select("exit", process=_opt(process))

    def reaps(self, how=None):
        return self.select("reap", how=_opt(how))

    def states(self, tid=None):
        return self.select("state", tid=_opt(tid))

    def libcalls(self, name=None):
        return self.select("libcall", name=_opt(name))

    # What the events add up to.

    @property
    def exit_status(self):
        """The traced command's exit status, as the summary gives it."""
        return self.summary.get("exit") if self.summary else None

    @property
    def root(self):
        """The pid of the traced command: the first process in the events."""
        for ev in self.events:
            if ev.get("type") not in ("trace", "lab", "summary") and "pid" in ev:
                return ev["pid"]
        return self.header.get("pid") if self.header else None

    @property
    def zombies(self):
        if self.summary and "zombies" in self.summary:
            return Zombies(self.summary["zombies"])
        return Zombies(leaked=[r["child"] for r in self.reaps() if r.get("leaked")])

    @property
    def processes(self):
        """pid -> Process. A pid used twice maps to its last process."""
        return self._build()[0]

    @property
    def threads(self):
        """tid -> Thread, main threads included (see Thread.main)."""
        return self._build()[1]

    def _build(self):
        if self._model is None:
            self._model = _build_model(self)
        return self._model


def _build_model(trace):
    procs, threads = {}, {}

    def proc(pid):
        if pid not in procs:
            procs[pid] = Process(pid)
            thread(pid, pid)
        return procs[pid]

    def thread(tid, pid):
        if tid not in threads:
            threads[tid] = Thread(tid, pid)
        return threads[tid]

    root = trace.root
    if root is not None:
        proc(root).argv = list(trace.header.get("argv") or []) if trace.header else None

    for ev in trace.events:
        kind = ev.get("type")
        if kind == "spawn":
            parent = proc(ev["pid"])
            child = ev["child"]
            if ev.get("kind") == "thread":
                threads[child] = Thread(child, parent.pid)
                parent.threads.append(child)
            else:
                procs[child] = Process(child, ppid=parent.pid, argv=parent.argv,
                                       path=parent.path,
                                       spawned_by_call=ev.get("call"))
                threads[child] = Thread(child, child)
                parent.children.append(child)
        elif kind == "exec":
            p = proc(ev["pid"])
            p.argv, p.path = ev.get("argv"), ev.get("path")
            p.execs.append(ev)
        elif kind == "exit":
            end = {"code": ev.get("code"), "signal": ev.get("signal"),
                   "core": bool(ev.get("core"))}
            if ev.get("exec_by"):
                end["exec_by"] = ev["exec_by"]   # another thread's exec ended it
            thread(ev["tid"], ev["pid"]).exit = end
            if ev.get("process"):
                proc(ev["pid"]).exit = end
        elif kind == "reap":
            proc(ev["child"]).reap = ev
    return procs, threads


def load(path_or_lines):
    """A Trace from a file path, a JSON Lines string, or an iterable of lines."""
    source = path_or_lines
    if isinstance(source, bytes):
        source = source.decode()
    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source
                                    and not source.lstrip().startswith("{")):
        with open(source, encoding="utf-8") as f:
            return Trace(_parse(f))
    if isinstance(source, str):
        source = source.splitlines()
    return Trace(_parse(source))


def _parse(lines):
    events = []
    for number, line in enumerate(lines, 1):
        if isinstance(line, bytes):
            line = line.decode()
        if not line.strip():
            continue
        try:
            ev = json.loads(line)
        except json.JSONDecodeError as e:
            raise TraceFormatError(_("line {number}: not JSON ({error}): {line!r}").format(
                number=number, error=e.msg, line=line[:80])) from None
        if not isinstance(ev, dict) or not isinstance(ev.get("type"), str):
            raise TraceFormatError(_("line {number}: an event needs a string \"type\": {line!r}").format(
                number=number, line=line[:80]))
        if ev["type"] == "trace" and ev.get("version") != FORMAT_VERSION:
            raise TraceFormatError(_("line {number}: trace format version {version!r}; "
                                     "this kit reads version {ours}").format(
                                         number=number, version=ev.get("version"), ours=FORMAT_VERSION))
        events.append(ev)
    return events
