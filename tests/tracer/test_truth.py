"""What the kernel did, in cases where the tracer once said otherwise
(issue: the trace is the truth). Each fact is checked against an oracle
that is not the tracer: the program's own report, or strace."""

import functools
import json
import re
import shutil
import signal
import subprocess
import time

import pytest

import tracelab
from tracelab import timeline


def test_a_wait_that_fails_to_write_the_status_still_reaps(cli_progs):
    """waitpid() with a bad status pointer returns EFAULT after reaping the
    child; waitid() with no siginfo returns 0 and reaps it. The program
    checks each child is gone (kill(pid, 0) fails with ESRCH)."""
    t = tracelab.run([cli_progs / "reap_unseen"])
    gone = [int(p) for p in re.findall(r"^gone (\d+)$", t.stdout, re.M)]
    assert "waitpid -1 EFAULT" in t.stdout and "waitid 0" in t.stdout and len(gone) == 2
    assert sorted(r["child"] for r in t.reaps(how="wait")) == sorted(gone)
    assert all(r["by"] == t.root for r in t.reaps(how="wait"))
    assert t.zombies.leaked == []


def test_a_clone_parent_child_is_its_grandparents(cli_progs):
    """clone(CLONE_PARENT) makes a sibling: its parent (getppid, the oracle)
    is the first process, which reaps it with its own wait."""
    t = tracelab.run([cli_progs / "clone_parent"])
    (parent,) = [int(p) for p in re.findall(r"^parent (\d+)$", t.stdout, re.M)]
    reaped = [int(p) for p in re.findall(r"^reaped (\d+)$", t.stdout, re.M)]
    assert parent == t.root and len(reaped) == 2
    assert sorted(r["child"] for r in t.reaps(how="wait")) == sorted(reaped)
    assert all(r["by"] == t.root for r in t.reaps(how="wait"))
    assert t.reaps(how="adopted") == [] and t.zombies.leaked == []


def test_a_reap_by_a_thread_names_that_thread(cli_progs):
    """The reap happens in the thread whose wait did it (the program prints
    its gettid())."""
    t = tracelab.run([cli_progs / "thread_reaps"])
    (reaper,) = [int(p) for p in re.findall(r"^reaper (\d+)$", t.stdout, re.M)]
    (reap,) = t.reaps(how="wait")
    assert reap["tid"] == reaper != t.root and reap["pid"] == t.root


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is the oracle here")
def test_waitid_options_are_named_as_waitid_names_them(cli_progs, tmp_path):
    """WSTOPPED and WUNTRACED are one bit; waitid calls it WSTOPPED (strace,
    the oracle, says so too)."""
    out = tmp_path / "strace.txt"
    subprocess.run(["strace", "-f", "-qq", "-e", "trace=waitid", "-o", str(out),
                    str(cli_progs / "thread_reaps")], check=True, capture_output=True)
    (flags,) = re.findall(r"waitid\(P_PID, \d+, .*?\}, ([A-Z_|]+), NULL\)", out.read_text())
    t = tracelab.run([cli_progs / "thread_reaps"])
    (call,) = t.syscalls(name="waitid")
    assert sorted(call["args"]["options"]) == sorted(flags.split("|")) == ["WEXITED", "WSTOPPED"]


def test_a_call_ends_as_the_program_saw_it_whatever_the_order_of_signals(cli_progs):
    """SIGCHLD (no handler) and SIGWINCH (a handler without SA_RESTART)
    both pending while read() blocks: the kernel dequeues SIGCHLD first,
    yet the handled SIGWINCH decides, and read() returns -1 EINTR (the
    program's own report). 20 runs: the order of the two varies."""
    for _ in range(20):
        t = tracelab.run([cli_progs / "eintr_two_signals"], classes="all")
        assert t.stdout.strip() == "read -1 EINTR"
        reads = [c for c in t.syscalls(name="read", pid=t.root) if c["args"].get("count") == 1]
        assert [(c["err"], c.get("interrupted"), c.get("signal")) for c in reads] == \
            [("EINTR", "EINTR", "SIGWINCH")]


# The sleeps program ends in pause(), for --timeout to kill it; its work
# takes well under a second, and this leaves room for a loaded machine.
SLEEPS_TIMEOUT_S = 5


@functools.lru_cache(maxsize=None)
def _sleeps(cli_progs):
    """Run the sleeps program (see its top) under --timeout, once for the
    tests that read it; return the trace and the program's own report:
    label -> (voluntary switches, wall us, cpu us)."""
    t = tracelab.run([cli_progs / "sleeps"], classes="all", timeout=30,
                     extra_args=["--timeout", str(SLEEPS_TIMEOUT_S)])
    report = {m[0]: tuple(map(int, m[1:]))
              for m in re.findall(r"^(\w+) (\d+) (\d+) (\d+)$", t.stdout, re.M)}
    return t, report


def test_blocked_means_the_task_slept(cli_progs):
    """"blocked" is said only of a call the task slept in. The oracle is the
    program's own count of its voluntary context switches around each call
    (getrusage): a traced call stops twice (entry and return), and a third
    switch or more is a sleep. A read of 128 MiB from /dev/zero takes
    milliseconds of CPU without sleeping; a waitpid(WNOHANG) cannot sleep."""
    t, report = _sleeps(cli_progs)
    assert set(report) == {"ready", "busy", "zombie", "nohang", "wait"}, t.stdout
    calls = [c for c in t.syscalls(pid=t.root, tid=t.root) if c["call"] in ("read", "waitpid")
             and c["args"].get("fd") != 6]   # glibc reading /proc for pthread_create
    reads = [c for c in calls if c["call"] == "read" and c["ret"] != 832]  # not the loader's
    ready, busy, wait = reads[-3:]
    zombie, nohang = [c for c in calls if c["call"] == "waitpid"][:2]
    assert "WNOHANG" in nohang["args"]["options"] and nohang["slept"] is None
    for label, call in (("ready", ready), ("busy", busy), ("zombie", zombie), ("wait", wait)):
        switches = report[label][0]
        assert call["slept"] is (switches >= 3), (label, report[label], call)
    # The child counts its 100 ms from its fork, before this read begins:
    # the read waits most of them, not all (98.6 ms seen under load).
    assert report["wait"][1] >= 50_000 and wait["slept"] is True
    # milliseconds of CPU in the call (the program's own clock), so the
    # tracer's measure, taken at its stops, is well past the 1 ms it shows
    assert report["busy"][2] >= 1000 and busy["dur_ns"] >= max(1_000_000, 0.8 * report["busy"][2] * 1000)
    # the timeline says "blocked" for the sleep only; "took" for the busy read
    tl = timeline.of(t)   # the tracer's own lines for these events
    lines = {"busy": tl.line(busy), "wait": tl.line(wait), "nohang": tl.line(nohang)}
    assert "<blocked " in lines["wait"] and "<took " in lines["busy"], lines
    assert "<blocked" not in lines["nohang"] and "<blocked" not in lines["busy"], lines
    # a spell of sleep is a state, said when it ends, with since and call
    spell = [s for s in t.states(tid=t.root) if s["from"] == "blocked" and s["since"] == wait["t"] - wait["dur_ns"]]
    assert len(spell) == 1 and spell[0]["call"] == "read" and spell[0]["to"] == "running"
    assert not [s for s in t.states() if s["to"] == "blocked"]
    times = [e["t"] for e in t.events]
    assert times == sorted(times)


def test_calls_in_progress_at_death_are_shown_unfinished(cli_progs):
    """A thread asleep in select() forever and the main thread in pause()
    (the program saw the thread asleep in select through /proc) are
    killed by --timeout: both calls appear, unfinished, still blocked."""
    t, report = _sleeps(cli_progs)
    (selector,) = [int(p) for p in re.findall(r"^asleep (\d+)$", t.stdout, re.M)]
    assert t.summary["timed_out"] is True
    sel = _only_one(t.unfinished(tid=selector))
    pause = _only_one(t.unfinished(tid=t.root))
    assert (sel["call"], sel["unfinished"], sel["slept"], sel["ret"]) == ("select", "killed", True, None)
    assert (pause["call"], pause["unfinished"], pause["slept"]) == ("pause", "killed", True)
    assert sel["dur_ns"] > 0 and not t.syscalls(tid=selector, call="select")
    for tid, call in ((selector, "select"), (t.root, "pause")):
        end = [s for s in t.states(tid=tid) if s["from"] == "blocked"][-1]
        assert (end["to"], end["call"]) == ("exited", call)
    tl = timeline.of(t)
    for call in (sel, pause):
        assert "<still blocked after" in tl.line(call) and "when it was killed>" in tl.line(call), tl.line(call)


def _only_one(items):
    assert len(items) == 1, items
    return items[0]


def test_exec_from_a_thread_ends_the_others_and_says_so(cli_progs):
    """A thread that is not the main one calls exec while the main thread
    sleeps in pause() and a third thread in read() (the program saw both
    asleep there, through /proc). The kernel ends both and reports the
    third as exit(0): the trace says the exec ended it, does not count it
    as never joined, shows both calls unfinished, and the pid runs the new
    program (it prints the same pid)."""
    t = tracelab.run([cli_progs / "exec_threads"], classes="all")
    (main, reader, execer), = [tuple(map(int, m)) for m in
                               re.findall(r"^asleep (\d+) (\d+) (\d+)$", t.stdout, re.M)]
    (after,) = [int(p) for p in re.findall(r"^after (\d+)$", t.stdout, re.M)]
    assert main == after == t.root
    ex = _only_one([e for e in t.execs() if e.get("old_tid")])
    assert (ex["old_tid"], ex["tid"]) == (execer, main)
    end = t.threads[reader].exit
    assert (end["code"], end["signal"], end["exec_by"]) == (None, None, execer), end
    for tid, call in ((reader, "read"), (main, "pause")):
        c = _only_one(t.unfinished(tid=tid))
        assert (c["call"], c["unfinished"], c["slept"]) == (call, "exec", True), c
        assert c["t"] <= ex["t"]
    # the main thread's record now runs the new program: not blocked in pause
    spell = [s for s in t.states(tid=main) if s["from"] == "blocked"][-1]
    assert (spell["call"], spell["to"], spell["t"]) == ("pause", "running", ex["t"])
    assert t.summary["never_joined"] == []   # it was [reader] when the exec's deaths passed for exits
    assert t.processes[t.root].exit["code"] == 0
    line = timeline.of(t).line(_only_one(t.select("exit", tid=reader)))
    assert f"thread {execer} called exec" in line and "exited" not in line


def test_i386_calls_run_and_the_trace_says_it_cannot_show_them(i386_calls, cli_progs):
    """int $0x80 from a 64-bit program was killed with SIGSYS under the
    tracer (the filter's default for another architecture). It runs as
    without the tracer (the program's own report), the trace says once
    that it makes i386 calls, and the fork it made that way is traced."""
    bare = subprocess.run([cli_progs / "int80"], capture_output=True, text=True, timeout=10)
    t = tracelab.run([cli_progs / "int80"], classes="all")
    assert bare.returncode == 0 and t.returncode == 0, t.stderr
    (a, b), = re.findall(r"^int80 getpid (\d+) getpid (\d+)$", t.stdout, re.M)
    (kid, reaped, code), = [tuple(map(int, m)) for m in
                            re.findall(r"^forked (\d+) reaped (\d+) code (\d+)$", t.stdout, re.M)]
    assert a == b == str(t.root) and kid == reaped and code == 7
    note = _only_one(t.select("note"))
    assert (note["what"], note["arch"], note["nr"], note["pid"]) == ("foreign_calls", "i386", 20, t.root)
    assert [s["child"] for s in t.spawns(kind="process")] == [kid]
    assert t.processes[kid].exit["code"] == 7 and t.reaps(how="wait")[0]["child"] == kid
    assert "makes i386 system calls" in timeline.of(t).line(note)


def test_attached_i386_calls_are_not_decoded_as_x86_64(i386_calls, cli_progs, tmp_path):
    """Attached with -p, every call stops: i386 read (3) is close on
    x86-64, and was shown as close(). Now: one note, and no close line."""
    prog = subprocess.Popen([cli_progs / "int80", "loop"], stdout=subprocess.PIPE, text=True)
    try:
        assert prog.stdout.readline() == "ready\n"
        out = tmp_path / "trace.jsonl"
        tracer = subprocess.Popen([str(tracelab.trace_binary()), "-q", "--trace", "all", "--json", str(out), "-p", str(prog.pid)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and (not out.exists() or '"note"' not in out.read_text()):
            time.sleep(0.05)
        time.sleep(0.1)
        tracer.send_signal(signal.SIGINT)
        assert tracer.wait(timeout=10) == 0, tracer.stderr.read()
    finally:
        prog.kill()
        prog.wait()
    t = tracelab.Trace(json.loads(line) for line in out.read_text().splitlines())
    note = _only_one(t.select("note"))
    assert (note["arch"], note["nr"]) == ("i386", 3)
    assert not t.syscalls(name="close")


def test_a_stop_signal_to_an_orphaned_group_is_dropped_not_a_stop(cli_progs):
    """SIGTSTP with its default action: the kernel drops it when the
    receiver's process group is orphaned (the child that called setsid()
    went on: it says so), and stops the one whose parent can continue it
    (its parent saw it stopped with WUNTRACED)."""
    t = tracelab.run([cli_progs / "tstp_orphan"])
    (orphan,) = [int(p) for p in re.findall(r"^orphan (\d+) went on$", t.stdout, re.M)]
    (grouped,) = [int(p) for p in re.findall(r"^stopped (\d+)$", t.stdout, re.M)]
    dropped = _only_one(t.signals(sig="SIGTSTP", pid=orphan))
    stopped = _only_one(t.signals(sig="SIGTSTP", pid=grouped))
    assert (dropped["action"], stopped["action"]) == ("discard", "stop")
    assert not [s for s in t.states(tid=orphan) if s["to"] == "stopped"]
    assert [s for s in t.states(tid=grouped) if s["to"] == "stopped"]
    assert "dropped by the kernel" in timeline.of(t).line(dropped)
