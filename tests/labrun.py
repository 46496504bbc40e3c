"""What the lab tests (tests/test_labNN_*.py) share: build the kit once,
run a lab's scenario under ./trace, and a few queries on its trace.

Each test module runs its lab once (a module-scoped fixture) and checks
the lessons on that one trace. To run them on a student's file instead of
the lab's own program: `pytest tests/test_lab07_waitpid_loop.py
--submission FILE --lab 7` (the tracelab pytest plugin builds FILE in a
scratch copy of the labs and points TRACELAB_LABS there).
"""

import fcntl
import subprocess
import tempfile
import zlib
from pathlib import Path

import tracelab
from tracelab.guard import DEFAULT_LIMITS, Stopped, run_limited

_built = False


def build():
    """`make -s all`, once per test session. The lock keeps parallel pytest
    workers from compiling the same files at the same time."""
    global _built
    if _built:
        return
    lock = Path(tempfile.gettempdir()) / f"tracelab-make-{zlib.crc32(str(tracelab.REPO).encode()):08x}.lock"
    with open(lock, "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        subprocess.run(["make", "-s", "all"], cwd=tracelab.REPO, check=True)
    _built = True


def run_lab(name, variant=None):
    """Build, then trace lab `name` (its [variant] of lab.conf if given)
    with the grading limits (tracelab.guard): a student's program that
    hangs, forks without end or floods its output is stopped, and the test
    fails saying why."""
    build()
    trace = run_limited(lab=name, variant=variant, limits=DEFAULT_LIMITS)
    if trace.stopped:
        raise Stopped(trace.stopped, trace)
    assert trace.summary is not None, f"{name}: the trace has no summary\n{trace.stderr}"
    assert trace.summary.get("lost") == 0, f"{name}: the tracer lost stops"
    return trace


def load_exit(trace):
    """The load generator's exit status (0: every echo came back)."""
    done = trace.select("lab", what="load-done")
    assert done, "the load generator never finished"
    return done[0]["exit"]


def after_ready(trace, events=None):
    """The events from the moment the server listened on: what it did for
    its clients, without the dynamic loader's reads before main()."""
    events = trace.events if events is None else events
    ready = trace.select("lab", what="ready")
    assert ready, "the server never became ready"
    t0 = ready[0]["t"]
    return [ev for ev in events if ev.get("t", 0) >= t0 and ev.get("type") != "lab"]


def server_calls(trace, *names):
    """The server's (root process's) finished calls named `names`, after it
    became ready, in order."""
    calls = trace.syscalls(pid=trace.root)
    if names:
        calls = [c for c in calls if c["name"] in names or c["call"] in names]
    return after_ready(trace, calls)


def handler_runs(trace, sig, pid=None):
    """Each run of `sig`'s handler in process `pid` (the server by
    default): the syscall events from its delivery up to and including the
    rt_sigreturn that ends it. A run that never reached its rt_sigreturn
    (the process was stopped inside it) is left out."""
    pid = trace.root if pid is None else pid
    runs, current = [], None
    for ev in trace.events:
        if ev.get("pid") != pid:
            continue
        if ev["type"] == "signal" and ev["sig"] == sig and ev["action"] == "handler":
            current = []
        elif ev["type"] == "signal" and ev["action"] == "handler":
            current = None      # another signal's handler: not ours to judge
        elif ev["type"] == "syscall" and current is not None and "interrupted" not in ev:
            # (the call the signal interrupted is reported with it; it
            # belongs to the code the handler interrupted, not the handler)
            current.append(ev)
            if ev["name"] == "rt_sigreturn":
                runs.append(current)
                current = None
    return runs
