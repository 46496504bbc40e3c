"""Limits for an untrusted program (a student's lab) run under the tracer,
and why it was stopped, said plainly.

    trace = run_limited(lab="lab7", limits=Limits(timeout=10))
    if trace.stopped:                 # "more than 64 processes at once (a fork bomb?)"
        ...
    trace.check()                     # raises Stopped(reason) if it was stopped

Limits: the tracer's own --timeout, --max-procs and --max-mem; on top of
them, watched by the runner while the run goes, a cap on what the program
prints (a program that floods its output is stopped) and on the size of
its trace. A graded run (limits.user) also has cgroups over its whole
tree (enclosure.py): max_tree_mem_mb of memory, max_procs times
TASKS_PER_PROCESS tasks (threads count), and max_cpu_s of CPU time (the
runner polls what the cgroup counts, as it does the output). run_limited is tracelab.runner.run with limits; nothing of the
run is left afterwards (the runner empties its session).
"""

from dataclasses import dataclass, replace

from .enclosure import TREE_MEM_MB, tree_tasks
from .i18n import _, ngettext
from .procs import alive, kill_session, session_members  # noqa: F401 (re-exported for tests)
from .runner import run
from .timeline import render

# Peak memory this close to --max-mem means the program ran into it.
_MEM_NEAR = 0.75


@dataclass(frozen=True)
class Limits:
    timeout: int = 15            # seconds, for the whole run
    max_procs: int = 64          # processes alive at once
    max_mem_mb: int = 512        # address space of each process
    max_tree_mem_mb: int = TREE_MEM_MB   # memory of the whole tree, in a cgroup (graded as root)
    max_cpu_s: int = 10          # CPU time of the whole tree, counted by a cgroup (graded as root)
    max_output: int = 1 << 20    # bytes the program may print (stdout and stderr)
    max_trace: int = 16 << 20    # bytes of JSON trace (pytest loads it whole: about 11x in memory)
    user: int = None             # run the program as this uid (sandbox.py), if any

    def but(self, **changes):
        """A copy with some limits changed; None values are ignored."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    # What the runner asks of its limits (tracelab.runner.run).

    def tracer_options(self):
        """The limits the tracer itself enforces, as its options."""
        user = ["--user", f"{self.user}:{self.user}"] if self.user is not None else []
        return ["--max-procs", self.max_procs, "--max-mem", self.max_mem_mb, *user]

    def exceeded(self, printed, trace_bytes, cpu_s=None):
        """While the run goes: the reason to stop it now, or None.
        `cpu_s`: the tree's CPU time so far, where a cgroup counts it."""
        if cpu_s is not None and cpu_s > self.max_cpu_s:
            return self._too_much_cpu()
        if printed > self.max_output:
            return Printed(_("it printed more than {size} of output, "
                             "the limit (an endless loop that prints?)").format(
                                 size=_size(self.max_output)))
        if trace_bytes > self.max_trace:
            return _("its trace grew past {size}, the limit "
                     "(an endless loop of system calls?)").format(size=_size(self.max_trace))
        return None

    def reason(self, trace):
        """After the run: why the tracer stopped it, or None if nothing did."""
        s = trace.summary or {}
        tree = getattr(trace, "tree", None) or {}
        if s.get("limit") == "max-procs":
            return _("it had more than {n} processes at once, the limit (a fork bomb?)").format(
                n=self.max_procs)
        if tree.get("oom_kills"):
            n = tree["oom_kills"]
            return ngettext("its processes together used more than {mb} MB of memory, the limit "
                            "for the whole program, and the kernel killed one of them",
                            "its processes together used more than {mb} MB of memory, the limit "
                            "for the whole program, and the kernel killed {n} of them",
                            n).format(mb=self.max_tree_mem_mb, n=n)
        if tree.get("tasks_refused"):
            return _("it tried to have more than {n} processes and threads at once, the limit "
                     "for the whole program (a fork bomb, or threads without end?), so fork() or "
                     "pthread_create() failed").format(n=tree_tasks(self))
        if (tree.get("cpu_s") or 0) > self.max_cpu_s:
            return self._too_much_cpu()     # past it between the runner's last look and the end
        if s.get("timed_out"):
            left = _outlived_their_program(trace)
            if left:
                return ngettext("it ended, but {n} process it started ({pids}) still ran after "
                                "{timeout} s, the time limit (a child that never ends, a daemon?)",
                                "it ended, but {n} processes it started ({pids}) still ran after "
                                "{timeout} s, the time limit (a child that never ends, a daemon?)",
                                len(left)).format(n=len(left), pids=", ".join(map(str, left[:5])),
                                                  timeout=self.timeout)
            return _still_running(trace, self.timeout)
        if s.get("limit"):
            return _("it went past the limit {limit}").format(limit=s["limit"])
        peak = trace.peak_mem_mb
        if peak is not None and peak >= _MEM_NEAR * self.max_mem_mb:
            return _("it used up its memory: {peak} MB at its peak, and the limit is "
                     "{mb} MB per process (past it, malloc() returns NULL)").format(
                         peak=f"{peak:.0f}", mb=self.max_mem_mb)
        return None

    def _too_much_cpu(self):
        return _("its processes together used more than {s} s of CPU time, the limit "
                 "for the whole program (an endless loop, in one process or several?)").format(
                     s=self.max_cpu_s)

    def check(self, trace):
        """Raise Stopped if a limit stopped the run."""
        __tracebackhide__ = True
        if trace.stopped:
            raise Stopped(trace.stopped, trace)
        return trace


DEFAULT_LIMITS = Limits()


class Printed(str):
    """The reason of a run stopped for printing too much: its message
    quotes the start of the output."""


class Stopped(AssertionError):
    """The program was stopped by a limit. It scores zero; str() says why."""

    def __init__(self, reason, trace=None):
        self.reason, self.trace = reason, trace
        text = _("Your program was stopped: {reason}.").format(reason=reason) + "\n" + \
            _("This test scores zero.")
        if trace is not None:
            tail = _tail(trace)
            if tail:
                text += "\n\n" + _("The last things it did:") + "\n" + tail
            elif trace.events:
                text += "\n\n" + _did_nothing(trace)
            out = (trace.stdout or "").strip().splitlines()
            if out and isinstance(reason, Printed):
                text += "\n\n" + _("Its output began with:") + "\n" + \
                    "\n".join("    " + l[:120] for l in out[:5])
        super().__init__(text)


_TAIL_TYPES = ("syscall", "spawn", "exec", "signal", "libcall")
_EVERY_CLASS = {"process", "signal", "wait", "mux", "io", "sync"}


def _tail(trace, n=8):
    """The program's last calls before it was stopped: its own, not the
    dynamic loader's, and not its killing."""
    doing = [ev for ev in programs_own(trace) if ev.get("type") in _TAIL_TYPES
             and not (ev.get("type") == "signal" and ev.get("sig") == "SIGKILL")]
    lines = render(doing[-n:], trace).splitlines()
    return "\n".join("    " + l for l in lines)


def programs_own(trace):
    """The trace's events that are the program's own doing: its own events
    (Trace.own_events: not the set-up before a program's main(), the
    dynamic loader's and the constructors', before_main.py), without the
    tracer's exec of the program (the first exec of a command it started)."""
    own = trace.own_events
    launch = next((ev for ev in trace.events if ev.get("type") == "exec"), None)
    if launch is None or launch.get("pid") != trace.root or (trace.header or {}).get("attached"):
        return own
    return [ev for ev in own if ev is not launch]


def _did_nothing(trace):
    """Said instead of the last things it did, when it did none."""
    classes = (trace.header or {}).get("classes") or []
    text = _("It made no system call of its own before it was stopped (a loop that only "
             "computes?).") if (trace.summary or {}).get("timed_out") else \
        _("It made no system call of its own before it was stopped.")
    if not _EVERY_CLASS <= set(classes):
        shown = ", ".join(classes[:-1]) + _(" and ") + classes[-1] if len(classes) > 1 \
            else "".join(classes)
        text += " " + (_("(This trace follows {classes} calls only.)").format(classes=shown)
                       if shown else _("(This trace follows no calls.)"))
    return text


def _outlived_their_program(trace):
    """The processes the time limit killed although the program itself had
    ended before it (its own exit, not the kill): what it left running."""
    root = trace.processes.get(trace.root)
    if root is None or root.exit is None or root.exit.get("signal") == "SIGKILL":
        return []
    return sorted(pid for pid, p in trace.processes.items()
                  if pid != trace.root and p.exit is not None and p.exit.get("signal") == "SIGKILL")


def _still_running(trace, timeout):
    """Why a program the time limit killed was still there, from what it
    was doing then: waiting in a call (its unfinished call says which), or
    computing (no call under way: a loop); and the processes it started
    that were still there too."""
    waiting = [c for c in trace.unfinished(pid=trace.root, tid=trace.root, why="killed")]
    others = sorted(pid for pid, p in trace.processes.items()
                    if pid != trace.root and p.exit is not None and p.exit.get("signal") == "SIGKILL")
    if waiting:
        said = _("it was still waiting in {call}() after {timeout} s, the time limit").format(
            call=waiting[-1].get("call") or waiting[-1].get("name"), timeout=timeout)
    else:
        said = _("it was still running after {timeout} s, the time limit, in no system call "
                 "(an endless loop?)").format(timeout=timeout)
    if others:
        said += "; " + ngettext("{n} process it started ({pids}) was still there too (a child "
                                "that never ends, a daemon?)",
                                "{n} processes it started ({pids}) were still there too (a child "
                                "that never ends, a daemon?)",
                                len(others)).format(n=len(others), pids=", ".join(map(str, others[:5])))
    elif waiting:
        said += " " + _("(a server that never finished, or waiting for what never came?)")
    return said


def _size(n):
    return f"{n >> 20} MB" if n >= 1 << 20 else f"{n >> 10} KB"


def run_limited(argv=None, lab=None, variant=None, classes=None, limits=None, **kw):
    """tracelab.runner.run with limits (DEFAULT_LIMITS unless given): a
    command (`argv`) or a lab (`lab`, `variant`). The Trace's `stopped`
    is None or the reason in words; its `check()` raises Stopped."""
    return run(argv, lab=lab, variant=variant, classes=classes,
               limits=limits or DEFAULT_LIMITS, **kw)
