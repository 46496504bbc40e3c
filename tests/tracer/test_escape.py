"""Nothing escapes the trace (issue: the trace is the truth, item 9).

clone(CLONE_UNTRACED) asks the kernel to hide a child from the tracer: no
fork event, never traced (and every call the seccomp filter stops fails
with ENOSYS in it). The tracer takes the flag out of the call at its entry;
what escapes all the same (another thread writes the flag back into
clone3's arguments) is found in /proc, traced from then on, counted and
killed with the tree. The oracles are the programs' own reports (their pid,
getppid(), TracerPid in /proc/self/status, what their calls returned) and
/proc afterwards, and strace for what the flag does."""

import os
import re
import shutil
import signal
import subprocess
import time

import pytest

import tracelab
from tracelab import procs

# --timeout 2: the run is stopped at 2 s, and says so.
TIMEOUT_S = 2
# What the tracer says when it ends the trace for each signal it is sent
# (tracer/core/ctrl_c.h): Ctrl-C after its grace (2 s) for what still
# runs, SIGTERM at once.
ENDED_BY = {signal.SIGINT: "trace: Ctrl-C: still running 2 s after its SIGINT: the traced processes were killed",
            signal.SIGTERM: "trace: SIGTERM: the traced processes were killed"}


def children(stdout):
    """The "child PID PPID TRACERPID ERR" lines of tests/tracer/cli/untraced.c."""
    return [tuple(map(int, m)) for m in re.findall(r"^child (\d+) (\d+) (-?\d+) (\d+)$", stdout, re.M)]


def escaped(stdout):
    """The "escaped PID ..." lines of the race programs: the pids."""
    return [int(p) for p in re.findall(r"^escaped (\d+)", stdout, re.M)]


def spawn_of(t, child):
    (s,) = [s for s in t.spawns() if s["child"] == child]
    return s


def exit_of(t, pid):
    (e,) = [e for e in t.exits() if e["tid"] == pid]
    return e


@pytest.mark.parametrize("call", ["clone", "clone3"])
def test_a_child_made_untraced_is_traced_like_any_other(cli_progs, call):
    """The child says it is traced by this tracer and that its sigaction()
    worked; the trace has its spawn (the flag as asked, and that it was
    taken out), its exit and its reap by the parent's wait."""
    t = tracelab.run([cli_progs / "untraced", call])
    ((child, ppid, tracer, err),) = children(t.stdout)
    assert (tracer, err, ppid) == (t.tracer_pid, 0, t.root)
    assert re.search(rf"^reaped {child} 7$", t.stdout, re.M)
    s = spawn_of(t, child)
    assert (s["pid"], s["kind"], s["syscall"], s["untraced"]) == (t.root, "process", call, "cleared")
    assert sorted(s["flags"]) == ["CLONE_UNTRACED", "SIGCHLD"]
    assert exit_of(t, child)["code"] == 7
    (reap,) = [r for r in t.reaps() if r["child"] == child]
    assert (reap["how"], reap["by"]) == ("wait", t.root)
    assert t.summary["processes"] == 2 and t.summary["escaped"] == 0 and t.summary["lost"] == 0


def test_an_i386_clone_made_untraced_is_traced_too(i386_calls, cli_progs):
    """The i386 clone (int $0x80) stops as a call of another architecture;
    its CLONE_UNTRACED is taken out there too: the child says this tracer
    traces it, and is told to its reap."""
    t = tracelab.run([cli_progs / "untraced_int80"])
    (m,) = re.findall(r"^child (\d+) (\d+) (-?\d+)$", t.stdout, re.M)
    child, ppid, tracer = map(int, m)
    assert (tracer, ppid) == (t.tracer_pid, t.root)
    assert re.search(rf"^reaped {child} 5$", t.stdout, re.M)
    s = spawn_of(t, child)
    assert s["untraced"] == "cleared" and "CLONE_UNTRACED" in s["flags"]
    assert exit_of(t, child)["code"] == 5
    (reap,) = [r for r in t.reaps() if r["child"] == child]
    assert (reap["how"], reap["by"]) == ("wait", t.root)


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is the oracle here")
def test_strace_sees_the_flag_hide_the_child(cli_progs, tmp_path):
    """Under strace -f the same child reports TracerPid 0 and strace has no
    line of it: the flag does hide it. strace's flags are the trace's."""
    out = tmp_path / "strace.txt"
    run = subprocess.run(["strace", "-f", "-qq", "-e", "trace=clone,rt_sigaction,exit_group", "-o", str(out),
                          str(cli_progs / "untraced"), "clone"], capture_output=True, text=True, check=True)
    ((child, _, tracer, _),) = children(run.stdout)
    text = out.read_text()
    assert tracer == 0 and not re.search(rf"^{child} ", text, re.M)
    (flags,) = re.findall(rf"clone\(child_stack=NULL, flags=([A-Z_|]+)\) = {child}", text)
    t = tracelab.run([cli_progs / "untraced", "clone"])
    ((traced_child, *_),) = children(t.stdout)
    assert sorted(spawn_of(t, traced_child)["flags"]) == sorted(flags.split("|"))


def test_an_untraced_child_that_outlives_the_trace_is_killed_at_the_timeout(cli_progs):
    """The child calls setsid() and sleeps; its parent exits. --timeout 2
    ends the run (the timeout is what ended it), the child is told
    killed, and /proc has it no more."""
    t = tracelab.run([cli_progs / "untraced", "clone", "escape"], timeout=TIMEOUT_S)
    ((child, ppid, tracer, _),) = children(t.stdout)
    assert tracer == t.tracer_pid
    assert ppid in (t.root, t.tracer_pid)   # the tracer's once the parent is gone
    assert t.summary["timed_out"] is True and "the traced processes were killed" in t.stderr
    assert spawn_of(t, child)["untraced"] == "cleared"
    assert exit_of(t, child)["signal"] == "SIGKILL"
    assert t.summary["processes"] == 2
    assert procs.alive([child]) == [] and t.leftovers == []


def test_children_that_escape_are_found_and_told_to_their_end(cli_progs):
    """clone3's flags written back by another thread: some children escape
    (they say TracerPid 0). Each is in the trace (untraced: "escaped"),
    with the exit code its parent's wait got, reaped by that wait; and
    the trace has every child the program made (its tries)."""
    t = tracelab.run([cli_progs / "untraced_race", "exit", "3"])
    pids = escaped(t.stdout)
    (tries,) = [int(n) for n in re.findall(r"^tries (\d+) escaped 3$", t.stdout, re.M)]
    assert len(pids) == 3
    for pid in pids:
        assert re.search(rf"^reaped {pid} 5$", t.stdout, re.M)
        s = spawn_of(t, pid)
        assert (s["pid"], s["kind"], s["untraced"], s["syscall"]) == (t.root, "process", "escaped", "unreported")
        assert exit_of(t, pid)["code"] == 5
        (reap,) = [r for r in t.reaps() if r["child"] == pid]
        assert (reap["how"], reap["by"]) == ("wait", t.root)
    assert t.summary["processes"] == tries + 1 and t.summary["escaped"] == 3
    assert t.zombies.leaked == []


def test_children_that_escape_and_outlive_the_trace_are_killed_at_the_timeout(cli_progs):
    """Escaped children that call setsid() and sleep, their parent gone:
    found, told killed at the timeout (which is what ended the run), gone
    from /proc. The summary's tree lists them (the tracer's orphans, their
    parent not known when they were found)."""
    t = tracelab.run([cli_progs / "untraced_race", "leave", "2"], timeout=TIMEOUT_S)
    pids = escaped(t.stdout)
    assert len(pids) == 2
    assert t.summary["timed_out"] is True and "the traced processes were killed" in t.stderr
    for pid in pids:
        assert spawn_of(t, pid)["untraced"] == "escaped"
        assert exit_of(t, pid)["signal"] == "SIGKILL"
        assert re.search(rf"^ +{pid} untraced_race \(clone\): killed by SIGKILL", t.stderr, re.M), t.stderr
    assert procs.alive(pids) == [] and t.leftovers == []


def test_a_thread_that_escapes_is_found(cli_progs):
    """A thread made with clone3 whose CLONE_UNTRACED got through (it says
    TracerPid 0) is found among its process's threads while the program
    makes calls, and told to its end."""
    t = tracelab.run([cli_progs / "untraced_thread"])
    (tid,) = escaped(t.stdout)
    assert t.returncode == 0
    s = spawn_of(t, tid)
    assert (s["pid"], s["kind"], s["untraced"]) == (t.root, "thread", "escaped")
    assert exit_of(t, tid)["process"] is False and t.summary["escaped"] == 1


@pytest.mark.parametrize("prog", [["untraced", "clone", "many", "5"], ["untraced", "clone3", "many", "5"],
                                  ["untraced_race", "sleep", "4"]])
def test_max_procs_counts_them(cli_progs, prog):
    """Children made untraced count against --max-procs like the others,
    whether the flag was taken out or they escaped: past 3 the tree is
    killed, and none of them is left."""
    t = tracelab.run([cli_progs / prog[0], *prog[1:]], timeout=20, extra_args=["--max-procs", "3"])
    said = [c[0] for c in children(t.stdout)] + escaped(t.stdout)   # those that got to say it
    made = [s["child"] for s in t.spawns(kind="process")]
    assert t.summary["limit"] == "max-procs" and not t.summary["timed_out"]
    assert set(said) <= set(made) and len(made) >= 3
    for s in t.spawns(kind="process"):
        assert s["untraced"] in ("cleared", "escaped")
    for pid in said:
        assert exit_of(t, pid)["signal"] == "SIGKILL"
    assert procs.alive(made) == [] and t.leftovers == []


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("prog", [["untraced", "clone", "escape"], ["untraced_race", "leave", "2"]])
def test_ctrl_c_kills_untraced_children_that_outlive_their_parent(cli_progs, prog, sig):
    """Ctrl-C ends the trace after its grace (the children, in sessions of
    their own, have no SIGINT from it, as from a terminal), SIGTERM at
    once: the tracer says which ended it, exits with the program's own
    status (its parent exited 0), tells each child killed by SIGKILL; and
    the children (the flag taken out, or escaped) are gone from /proc.
    The wait for the tracer's end is a safety net, not a measure."""
    p = subprocess.Popen([str(tracelab.trace_binary()), "-q", "--", str(cli_progs / prog[0]), *prog[1:]],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        pids = []
        for line in p.stdout:
            pids += [c[0] for c in children(line)] + escaped(line)
            if line.startswith(("child ", "tries ")):
                break
        assert pids and procs.alive(pids) == pids
        time.sleep(0.3)   # the parent has exited: they are orphans now
        os.kill(p.pid, sig)
        _, err = p.communicate(timeout=30)
        assert p.returncode == 0 and ENDED_BY[sig] in err, (p.returncode, err)
        for pid in pids:
            assert re.search(rf"^ +{pid} untraced(_race)? \((fork|clone)\): killed by SIGKILL", err, re.M), err
        assert procs.alive(pids) == []
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        p.stdout.close()
        p.stderr.close()
