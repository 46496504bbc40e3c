"""Run an untrusted program (a student's lab) under the tracer with limits,
and say plainly why it was stopped if it was.

    trace = run_limited(lab="lab7", limits=Limits(timeout=10))
    if trace.stopped:                 # "more than 64 processes at once (a fork bomb?)"
        ...
    trace.check()                     # raises Stopped(reason) if it was stopped

Limits: the tracer's own --timeout, --max-procs and --max-mem; on top of
them, here, a cap on what the program prints (a program that floods its
output is stopped) and on the size of its trace. When the run is over no
process of it is left: the tracer kills the traced tree, and anything left
in the run's session is killed here too (`trace.leftovers` lists it; it
should always be empty).
"""

import json
import os
import selectors
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from .runner import TraceError, tracer_command
from .timeline import render
from .trace import Trace, TraceFormatError, _parse


@dataclass(frozen=True)
class Limits:
    timeout: int = 15            # seconds, for the whole run
    max_procs: int = 64          # processes alive at once
    max_mem_mb: int = 512        # address space of each process
    max_output: int = 1 << 20    # bytes the program may print (stdout and stderr)
    max_trace: int = 64 << 20    # bytes of JSON trace

    def but(self, **changes):
        """A copy with some limits changed; None values are ignored."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


DEFAULT_LIMITS = Limits()

# How long the tracer may outlive its own --timeout before it is killed
# from here, and how long it has to clean up once asked to stop.
_GRACE = 15
_STOP_WAIT = 5
# Peak memory this close to --max-mem means the program ran into it.
_MEM_NEAR = 0.75


class Stopped(AssertionError):
    """The program was stopped by a limit. It scores zero; str() says why."""

    def __init__(self, reason, trace=None):
        self.reason, self.trace = reason, trace
        text = f"Your program was stopped: {reason}.\nThis test scores zero."
        if trace is not None:
            tail = _tail(trace)
            if tail:
                text += "\n\nThe last things it did:\n" + tail
            out = (trace.stdout or "").strip().splitlines()
            if out and reason.startswith("it printed"):
                text += "\n\nIts output began with:\n" + "\n".join("    " + l[:120] for l in out[:5])
        super().__init__(text)


def _tail(trace, n=8):
    """The program's last calls before it was stopped (not its killing)."""
    doing = [ev for ev in trace.events if ev.get("type") in ("syscall", "spawn", "exec", "signal", "libcall")
             and not (ev.get("type") == "signal" and ev.get("sig") == "SIGKILL")]
    lines = render(doing[-n:], trace).splitlines()
    return "\n".join("    " + l for l in lines)


def run_limited(argv=None, lab=None, variant=None, classes=None, limits=None, hold=None,
                env=None, cwd=None, extra_args=()):
    """Trace a command (`argv`) or a lab (`lab`, `variant`) with limits.

    Returns the Trace with, besides its events: `stopped` (None, or the
    reason in words), `limits`, `returncode` (the tracer's), `stdout` and
    `stderr` (capped), `peak_mem_mb`, `leftovers` (pids found alive after
    the run and killed: always empty unless something escaped),
    `tracer_pid`, `command`.
    """
    if (argv is None) == (lab is None):
        raise ValueError("give either argv (a command) or lab (a lab's name)")
    limits = limits or DEFAULT_LIMITS
    options = ["--max-procs", limits.max_procs, "--max-mem", limits.max_mem_mb,
               *(["--hold", hold] if hold else []), *extra_args]
    target = [lab, *([variant] if variant else [])] if lab is not None else ["--", *argv]
    with tempfile.TemporaryDirectory(prefix="tracelab-run-") as tmp:
        jpath = Path(tmp) / "trace.jsonl"
        cmd = tracer_command(jpath, target, classes, limits.timeout, True, options)
        run = _Run(cmd, limits, jpath, env, cwd)
        run.go()
        trace = _load(jpath)
    if trace is None:
        raise TraceError(f"`{' '.join(cmd)}` wrote no trace (exit {run.returncode}); "
                         f"its stderr:\n{run.err.decode(errors='replace')}")
    trace.command, trace.returncode = cmd, run.returncode
    trace.stdout = run.out.decode(errors="replace")
    trace.stderr = run.err.decode(errors="replace")
    trace.tracer_pid = run.pid
    trace.limits = limits
    trace.peak_mem_mb = run.peak_mb
    trace.leftovers = run.leftovers
    trace.stopped = run.reason or _reason(trace, limits)
    trace.check = lambda: _check(trace)
    return trace


def _check(trace):
    if trace.stopped:
        raise Stopped(trace.stopped, trace)
    return trace


def _reason(trace, limits):
    s = trace.summary or {}
    if s.get("timed_out"):
        return (f"it was still running after {limits.timeout} s, the time limit "
                f"(an endless loop, or a server that never finished?)")
    if s.get("limit") == "max-procs":
        return f"it had more than {limits.max_procs} processes at once, the limit (a fork bomb?)"
    if s.get("limit"):
        return f"it went past the limit {s['limit']}"
    peak = getattr(trace, "peak_mem_mb", None)
    if peak is not None and peak >= _MEM_NEAR * limits.max_mem_mb:
        return (f"it used up its memory: {peak:.0f} MB at its peak, and the limit is "
                f"{limits.max_mem_mb} MB per process (past it, malloc() returns NULL)")
    return None


class _Run:
    def __init__(self, cmd, limits, jpath, env, cwd):
        self.cmd, self.limits, self.jpath = cmd, limits, jpath
        self.env = None if env is None else {**os.environ, **env}
        self.cwd = cwd
        self.out, self.err = bytearray(), bytearray()
        self.reason = None
        self.returncode = None
        self.peak_mb = None
        self.leftovers = []
        self.pid = None

    def go(self):
        proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=self.env, cwd=self.cwd,
                                start_new_session=True)
        self.pid = proc.pid
        try:
            self._pump(proc)
        finally:
            self._reap(proc)
            self.leftovers = kill_session(proc.pid)
            for f in (proc.stdout, proc.stderr):
                f.close()

    def _pump(self, proc):
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ, self.out)
        sel.register(proc.stderr, selectors.EVENT_READ, self.err)
        start = time.monotonic()
        deadline = start + self.limits.timeout + _GRACE
        stop_at = None        # when we asked the tracer to stop
        exited_at = None
        printed = 0
        while sel.get_map():
            for key, _ in sel.select(timeout=0.1):
                chunk = os.read(key.fileobj.fileno(), 65536)
                if not chunk:
                    sel.unregister(key.fileobj)
                    continue
                printed += len(chunk)
                room = self.limits.max_output - len(key.data)
                if room > 0:
                    key.data.extend(chunk[:room])
            now = time.monotonic()
            if self.reason is None:
                if printed > self.limits.max_output:
                    self.reason = (f"it printed more than {_size(self.limits.max_output)} of output, "
                                   f"the limit (an endless loop that prints?)")
                elif self._trace_size() > self.limits.max_trace:
                    self.reason = (f"its trace grew past {_size(self.limits.max_trace)}, the limit "
                                   f"(an endless loop of system calls?)")
                elif now > deadline:
                    self.reason = f"it did not finish in {self.limits.timeout + _GRACE} s"
                if self.reason is not None:
                    stop_at = now
                    _signal(proc.pid, signal.SIGTERM)   # the tracer kills the tree, writes its summary
            if stop_at is not None and now > stop_at + _STOP_WAIT:
                _killpg(proc.pid)
            if exited_at is None and self._poll(proc):
                exited_at = now
            if exited_at is not None and now > exited_at + 1:
                # The tracer is gone; whoever still holds the pipes is a
                # leftover, killed below.
                kill_session(proc.pid)
                if now > exited_at + 3:
                    break
        sel.close()

    def _trace_size(self):
        try:
            return self.jpath.stat().st_size
        except OSError:
            return 0

    def _poll(self, proc):
        """Has the tracer exited? Waited for with wait4, not Popen's wait:
        its rusage holds the peak memory of the whole traced tree, which
        it waited for."""
        if proc.returncode is not None:
            return True
        try:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        except ChildProcessError:
            proc.returncode = -1
            return True
        if not pid:
            return False
        proc.returncode = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        self.peak_mb = usage.ru_maxrss / 1024
        return True

    def _reap(self, proc):
        end = time.monotonic() + _STOP_WAIT
        while not self._poll(proc):
            if time.monotonic() > end:
                _killpg(proc.pid)
                end = time.monotonic() + _STOP_WAIT
            time.sleep(0.01)
        self.returncode = proc.returncode


def _size(n):
    return f"{n >> 20} MB" if n >= 1 << 20 else f"{n >> 10} KB"


def _signal(pid, sig):
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _killpg(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def session_members(sid):
    """Pids of live (not zombie) processes in session sid."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 3 and int(fields[3]) == sid and fields[0] not in ("Z", "X"):
            found.append(int(entry))
    return found


def kill_session(sid):
    """Kill whatever is still alive in session sid; returns those pids."""
    left = session_members(sid)
    for pid in left:
        _signal(pid, signal.SIGKILL)
    return left


def alive(pids):
    """Those of pids that are still running (zombies are not running)."""
    out = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                stat = f.read().decode(errors="replace")
        except OSError:
            continue
        if stat[stat.rfind(")") + 2:].split()[0] not in ("Z", "X"):
            out.append(pid)
    return out


def _load(path):
    """The trace, forgiving a last line cut short by a kill."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    lines = [l for l in lines if l.strip()]
    if not lines:
        return None
    try:
        events = _parse(lines)
    except TraceFormatError:
        try:
            json.loads(lines[-1])
        except ValueError:
            events = _parse(lines[:-1])
        else:
            raise
    return Trace(events) if events else None
