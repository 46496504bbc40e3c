"""What the lab tests (tests/test_labNN_*.py) share: build the kit once,
run a lab's scenario under ./trace, and a few queries on its trace.

To grade a student's copy of the labs, point TRACELAB_LABS at it (see a
lab's README, "Check your work"); the tests then run those programs.
"""

import fcntl
import subprocess
import tempfile
import zlib
from pathlib import Path

import tracelab
from tracelab import runner

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
    """Build, then trace lab `name` (its [variant] of lab.conf if given)."""
    build()
    if variant is None:
        trace = tracelab.run_lab(name)
    else:
        # tracelab.run_lab takes no variant, and ./trace wants it right
        # after the lab's name: `trace --json F -q --timeout T lab6 restart`.
        trace = runner._trace([name, variant], None, 60, True, None, None, ())
    assert trace.summary is not None, f"{name}: the trace has no summary\n{trace.stderr}"
    assert not trace.summary.get("timed_out"), f"{name} timed out\n{trace.stderr}"
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
