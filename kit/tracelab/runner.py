"""The one way to run the tracer (`<repo>/trace`): on a command or a lab,
with or without limits, and load the trace it wrote.

    trace = run(["./server", "0"], classes=["process", "wait"])
    trace = run(lab="lab7", hold="sigchld", limits=Limits(timeout=10))
    trace = run_lab("lab10", "thread")

Every run: the tracer in a session of its own, its output captured, its
JSON Lines loaded into a Trace, and nothing of it left running afterwards
(`trace.leftovers` lists what had to be killed; it should be empty).
A graded run (limits.user set: the grader is root) is also enclosed
(enclosure.py): its whole tree in cgroups, the tracer the init of a PID
namespace, as far as the machine allows.
With `limits` (a tracelab.guard.Limits), the run is watched: past a limit
the tree is stopped, and `trace.stopped` says why in words a student
reads; `trace.check()` raises then.

The binary is $TRACELAB_TRACE if set, else the `trace` that `make` builds
at the repository's root.
"""

import fcntl
import json
import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from . import procs
from .enclosure import Enclosure
from .i18n import _
from .trace import Trace, TraceFormatError, _parse

REPO = Path(__file__).resolve().parents[2]

# How long the tracer may outlive its own --timeout before it is stopped
# from here, and how long it has to clean up once asked to.
_GRACE = 15
_STOP_WAIT = 5


class TracerMissing(FileNotFoundError):
    """There is no tracer binary to run."""


class TraceError(RuntimeError):
    """The tracer ran but left no trace to read."""


def trace_binary():
    return Path(os.environ.get("TRACELAB_TRACE") or REPO / "trace")


def list_labs(labs=None):
    """What `./trace --list --json` says of each lab in the folder `labs`
    (default: the kit's): dicts with lab, number, title, dir, ok, program,
    args, ready, load, stop, classes, hold_sigchld, hold (none, sigchld or
    sigchld-burst), lesson, predict, variants, built, and error when its
    lab.conf cannot be read. The tracer holds the one parser of lab.conf;
    this is how the kit reads it."""
    binary = trace_binary()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        raise TracerMissing(_("no tracer at {path}: run `make` first "
                              "(or point TRACELAB_TRACE at one)").format(path=binary))
    env = dict(os.environ)
    if labs is not None:
        env["TRACELAB_LABS"] = str(labs)
    run = subprocess.run([str(binary), "--list", "--json"], capture_output=True, text=True,
                         env=env, timeout=60)
    if run.returncode != 0:
        raise TraceError(run.stderr.strip() or _("{command} failed").format(
            command=f"{binary} --list --json"))
    return [json.loads(line) for line in run.stdout.splitlines() if line.strip()]


# While a graded pytest session runs, every run in this process uses the
# student's copy of the labs and the session's limits, a test that calls
# run() itself included: it cannot get around them. The pytest plugin sets
# this for its session (use_for_every_run) and clears it at the end.
_every_run = {"labs": None, "limits": None}


def use_for_every_run(labs=None, limits=None):
    """Make `labs` (a folder of labs) and `limits` the defaults of every
    later run in this process; use_for_every_run() clears them."""
    _every_run.update(labs=labs, limits=limits)


def tracer_command(json_path, target, classes=None, timeout=None, quiet=True, options=()):
    """The tracer's command line: `trace --json F [-q] [--timeout T]
    [options...] [--trace C] TARGET`, where TARGET is ["--", argv...] or
    [lab, variant]. Raises TracerMissing when there is no tracer to run."""
    binary = trace_binary()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        raise TracerMissing(_("no tracer at {path}: run `make` first "
                              "(or point TRACELAB_TRACE at one)").format(path=binary))
    cmd = [str(binary), "--json", str(json_path)]
    if quiet:
        cmd.append("-q")
    if timeout is not None:
        cmd += ["--timeout", str(timeout)]
    cmd += [str(o) for o in options]
    if classes:
        cmd += ["--trace", classes if isinstance(classes, str) else ",".join(classes)]
    return cmd + [str(t) for t in target]


def run(argv=None, *, lab=None, variant=None, classes=None, hold=None, limits=None,
        timeout=60, json_only=True, env=None, cwd=None, labs=None, extra_args=()):
    """Trace a command (`argv`) or a lab (`lab`, its `variant`).

    `classes`: call classes that stop the program (a list or "a,b");
    `hold="sigchld"` arranges the SIGCHLD race; `limits`: a guard.Limits
    (its timeout replaces `timeout`); `env` is added to the tracer's
    environment; `labs` is the folder of labs the tracer runs labs from
    (a student's copy); `extra_args` go to the tracer before the target.

    Returns the Trace with, besides its events: `command`, `returncode`
    (the tracer's), `stdout`, `stderr`, `tracer_pid`, `peak_mem_mb` (the
    traced tree's largest process's), `tree` (what the run's cgroups
    counted: oom_kills, tasks_refused, peak_mb, cpu_s; {} without them),
    `leftovers`, `limits`, `stopped` (None, or why) and `check()`. Raises TracerMissing, or TraceError when no trace was
    written.
    """
    if (argv is None) == (lab is None):
        raise ValueError("give either argv (a command) or lab (a lab's name)")
    limits = limits if limits is not None else _every_run["limits"]
    labs = labs if labs is not None else _every_run["labs"]
    options = [*(["--hold", hold] if hold else []), *extra_args]
    if limits is not None:
        timeout = limits.timeout
        options = limits.tracer_options() + options
    child_env = dict(env or {})
    if labs is not None:
        child_env.setdefault("TRACELAB_LABS", str(labs))
    user = limits.user if limits is not None else None
    prefix = f"tracelab-run-u{user}-" if user is not None else "tracelab-run-"   # sandbox.folder_prefix
    # A graded run (limits.user) is enclosed: cgroups over its whole tree,
    # a PID namespace around it, as far as this machine allows.
    box = Enclosure(limits)
    try:
        box.open()
    except OSError as e:
        raise TraceError(_("the grader could not make this run's cgroup ({error}); "
                           "is /sys/fs/cgroup still writable?").format(error=e)) from e
    try:
        with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
            if argv is not None and user is not None:
                argv = _reachable(argv, Path(tmp))
            target = ["--", *argv] if argv is not None else [lab, *([variant] if variant else [])]
            jpath = Path(tmp) / "trace.jsonl"
            cmd = box.wrap(tracer_command(jpath, target, classes, timeout, json_only,
                                          [*options, *box.tracer_options()]))
            done = _Run(cmd, jpath, timeout, limits, child_env, cwd, box.tracer_pid, box.cpu_s)
            done.go()
            trace = _load(jpath)
    finally:
        box.close()
    if limits is None and done.reason is not None:
        # Without limits a run that hangs is the caller's problem, not a
        # student's: an error, not a verdict.
        raise TraceError(_("`{command}`: {reason} (its --timeout is {timeout} s); stopped it").format(
            command=" ".join(cmd), reason=done.reason, timeout=timeout))
    if trace is None:
        raise TraceError(_("`{command}` wrote no trace (exit {status}); its stderr:").format(
            command=" ".join(cmd), status=done.returncode) + "\n" + done.err.decode(errors="replace"))
    trace.command, trace.returncode = cmd, done.returncode
    trace.stdout = done.out.decode(errors="replace")
    trace.stderr = done.err.decode(errors="replace")
    trace.tracer_pid = done.pid
    trace.peak_mem_mb = done.peak_mb
    trace.leftovers = done.leftovers
    trace.limits = limits
    trace.tree = box.facts
    if limits is not None:
        trace.stopped = done.reason or limits.reason(trace)
    return trace


def _reachable(argv, folder):
    """A program that runs as the grading user (limits.user) must be where
    that user can read it: a copy in this run's folder, opened to it."""
    program = Path(argv[0])
    if not program.is_file():
        return argv
    folder.chmod(0o755)
    copy = folder / program.name
    shutil.copyfile(program, copy)
    copy.chmod(0o755)
    return [str(copy), *argv[1:]]


def run_lab(name, variant=None, **kw):
    """Trace a lab by name ("lab3", "lab07-waitpid-loop"); see run()."""
    return run(lab=name, variant=variant, **kw)


class _Run:
    """One run of the tracer: started in a session of its own, its output
    read as it comes (and capped, with limits), stopped if it outlives its
    deadline or its tree's CPU time, waited for, and its session emptied."""

    def __init__(self, cmd, jpath, timeout, limits, env, cwd, tracer_pid=lambda pid: pid,
                 cpu_s=lambda: None):
        self.cmd, self.jpath, self.limits, self.cwd = cmd, jpath, limits, cwd
        self.tracer_pid = tracer_pid    # the started pid -> the tracer's (it may be wrapped)
        self.cpu_s = cpu_s              # the tree's CPU time so far, where a cgroup counts it
        self.deadline_s = None if timeout is None else timeout + _GRACE
        self.env = {**os.environ, **env} if env else None
        self.out, self.err = bytearray(), bytearray()
        self.reason = None          # why this run was stopped from here
        self.returncode = self.peak_mb = self.pid = None
        self.leftovers = []

    def go(self):
        proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=self.env, cwd=self.cwd,
                                start_new_session=True)
        self.pid = proc.pid
        try:
            self._pump(proc)
        finally:
            self._reap(proc)
            self.leftovers = procs.kill_session(proc.pid)
            for f in (proc.stdout, proc.stderr):
                f.close()

    def _pump(self, proc):
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ, self.out)
        sel.register(proc.stderr, selectors.EVENT_READ, self.err)
        cap = self.limits.max_output if self.limits is not None else None
        start = time.monotonic()
        stop_at = exited_at = None
        printed = 0
        while sel.get_map():
            for key, _events in sel.select(timeout=0.1):
                chunk = os.read(key.fileobj.fileno(), 65536)
                if not chunk:
                    sel.unregister(key.fileobj)
                    continue
                printed += len(chunk)
                room = len(chunk) if cap is None else cap - len(key.data)
                if room > 0:
                    key.data.extend(chunk[:room])
            now = time.monotonic()
            if self.reason is None:
                if self.limits is not None:
                    self.reason = self.limits.exceeded(printed, self._trace_size(), self.cpu_s())
                if self.reason is None and self.deadline_s is not None \
                        and now > start + self.deadline_s:
                    self.reason = _("it did not finish in {s} s").format(s=self.deadline_s)
                if self.reason is not None:
                    stop_at = now
                    # The tracer kills the tree and writes its summary.
                    procs.send(self.tracer_pid(proc.pid), signal.SIGTERM)
            if stop_at is not None and now > stop_at + _STOP_WAIT:
                procs.kill_group(proc.pid)
            if exited_at is None and self._poll(proc):
                exited_at = now
            if exited_at is not None and now > exited_at + 1:
                # The tracer is gone; whoever still holds the pipes is a
                # leftover, killed here.
                procs.kill_session(proc.pid)
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
                procs.kill_group(proc.pid)
                end = time.monotonic() + _STOP_WAIT
            time.sleep(0.01)
        self.returncode = proc.returncode


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


_built = False


def build_kit():
    """`make -s all` in the repository, once per process: the tracer, the
    load generator and the labs. The lock keeps parallel pytest workers
    from compiling the same files at the same time; it is taken on the
    repository's folder itself, so no lock file is left behind."""
    global _built
    if _built:
        return
    fd = os.open(REPO, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        subprocess.run(["make", "-s", "all"], cwd=REPO, check=True)
    finally:
        os.close(fd)   # and the lock with it
    _built = True
