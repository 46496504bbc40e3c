"""The tracer against strace on the programs in tests/tracer/progs.

Each program shows one behaviour. Under strace it must show exactly that
(this checks the programs and the oracle's parser, and needs no tracer);
under ./trace it must give the same facts as under strace (processes and
threads made, exits, wait results, signals, interrupted calls); and its
trace must carry the program's lesson (reaps, zombies, interruptions).
"""

import os
import subprocess
from pathlib import Path

import pytest

import oracle
import tracelab

PROGS = Path(__file__).parent / "progs"
PROGRAMS = sorted(p.stem for p in PROGS.glob("*.c"))
CLASSES = ["process", "signal", "wait", "mux", "io"]
CFLAGS = ["-Wall", "-Wextra", "-Werror", "-O2", "-pthread"]

pytestmark = pytest.mark.skipif(not oracle.strace_available(),
                                reason="strace is not installed")


@pytest.fixture(scope="session")
def progs(tmp_path_factory):
    """Every tests/tracer/progs/*.c built into a temporary directory."""
    out = tmp_path_factory.mktemp("progs")
    builds = {src.stem: subprocess.Popen(
        ["gcc", *CFLAGS, "-o", str(out / src.stem), str(src)],
        stderr=subprocess.PIPE, text=True) for src in PROGS.glob("*.c")}
    for name, gcc in builds.items():
        _, err = gcc.communicate()
        assert gcc.returncode == 0, f"tests/tracer/progs/{name}.c does not build:\n{err}"
    return {name: out / name for name in builds}


class Runs:
    """Each program run once under strace and once under the tracer."""

    def __init__(self, progs):
        self.progs, self._strace, self._trace = progs, {}, {}

    def strace(self, name):
        if name not in self._strace:
            status, text, err = oracle.run_strace([self.progs[name]])
            assert status == 0, f"{name} failed under strace ({status}):\n{err}\n{text[-3000:]}"
            self._strace[name] = oracle.strace_facts(text)
        return self._strace[name]

    def trace(self, name):
        if name not in self._trace:
            self._trace[name] = tracelab.run([self.progs[name]], classes=CLASSES, timeout=60)
        return self._trace[name]


@pytest.fixture(scope="session")
def runs(progs):
    return Runs(progs)


# What each program must show under strace, in short (see `outline`):
# tasks made and by which call, how each ended, what each wait returned,
# which signals each process got.
FORK = {"1.1": "fork"}
EXPECTED = {
    "fork": {"made": FORK, "ended": {"1": 0, "1.1": 7},
             "waited": {"1": [("1.1", "exited 7")]},
             "signals": {"1": [("SIGCHLD", "CLD_EXITED")]}},
    "vfork": {"made": {"1.1": "vfork"}, "ended": {"1": 0, "1.1": 5},
              "waited": {"1": [("1.1", "exited 5")]},
              "signals": {"1": [("SIGCHLD", "CLD_EXITED")]}},
    "posix_spawn": {"made": {"1.1": "posix_spawn"}, "ended": {"1": 0, "1.1": 0},
                    "waited": {"1": [("1.1", "exited 0")]},
                    "signals": {"1": [("SIGCHLD", "CLD_EXITED")]}},
    "system": {"made": {"1.1": "posix_spawn"}, "ended": {"1": 0, "1.1": 3},
               "waited": {"1": [("1.1", "exited 3")]},
               "signals": {"1": [("SIGCHLD", "CLD_EXITED")]}},
    "threads": {"made": {"1.1": "pthread_create", "1.2": "pthread_create", "1.3": "pthread_create"},
                "ended": {"1": 0, "1.1": 0, "1.2": 0, "1.3": 0}, "waited": {}, "signals": {}},
    "exec_thread": {"made": {"1.1": "pthread_create"}, "ended": {"1": 0, "1.1": "exec"},
                    "waited": {}, "signals": {}},
    "exit_group": {"made": {"1.1": "pthread_create", "1.2": "pthread_create"},
                   "ended": {"1": 0, "1.1": 0, "1.2": 0}, "waited": {}, "signals": {}},
    "sigkill": {"made": FORK, "ended": {"1": 0, "1.1": "SIGKILL"},
                "waited": {"1": [("1.1", "killed SIGKILL")]},
                "signals": {"1": [("SIGCHLD", "CLD_KILLED")]}},
    "sigchld_ign": {"made": {"1.1": "fork", "1.2": "fork", "1.3": "fork"},
                    "ended": {"1": 0, "1.1": 0, "1.2": 1, "1.3": 2},
                    "waited": {"1": [(None, "ECHILD")]}, "signals": {}},
    "nocldwait": {"made": {"1.1": "fork", "1.2": "fork", "1.3": "fork"},
                  "ended": {"1": 0, "1.1": 0, "1.2": 1, "1.3": 2},
                  "waited": {"1": [(None, "ECHILD")]},
                  "signals": {"1": [("SIGCHLD", "CLD_EXITED")] * 3}},
    "transient_zombie": {"made": FORK, "ended": {"1": 0, "1.1": 0},
                         "waited": {"1": [("1.1", "exited 0")]},
                         "signals": {"1": [("SIGCHLD", "CLD_EXITED")]}},
    "leaked_zombies": {"made": {"1.1": "fork", "1.2": "fork", "1.3": "fork"},
                       "ended": {"1": 0, "1.1": 0, "1.2": 0, "1.3": 0}, "waited": {},
                       "signals": {"1": [("SIGCHLD", "CLD_EXITED")] * 3}},
    "double_fork": {"made": {"1.1": "fork", "1.1.1": "fork"},
                    "ended": {"1": 0, "1.1": 0, "1.1.1": 0},
                    "waited": {"1": [("1.1", "exited 0")]},
                    "signals": {"1": [("SIGCHLD", "CLD_EXITED")]}},
    "accept_eintr": {"made": FORK, "ended": {"1": 0, "1.1": 0},
                     "waited": {"1": [("1.1", "exited 0")]},
                     "signals": {"1": [("SIGCHLD", "CLD_EXITED")]}},
    "accept_restart": {"made": FORK, "ended": {"1": 0, "1.1": 0},
                       "waited": {"1": [("1.1", "exited 0")]},
                       "signals": {"1": [("SIGCHLD", "CLD_EXITED")]}},
    "sigio": {"made": {}, "ended": {"1": 0}, "waited": {},
              "signals": {"1": [("SIGIO", "SI_KERNEL")]}},
    "futex_ops": {"made": {"1.1": "pthread_create"}, "ended": {"1": 0, "1.1": 0},
                  "waited": {}, "signals": {}},
    "select_loop": {"made": {}, "ended": {"1": 0}, "waited": {}, "signals": {}},
    "fork2000": {"made": {f"1.{i}": "fork" for i in range(1, 2001)},
                 "ended": {"1": 0, **{f"1.{i}": (i - 1) % 256 for i in range(1, 2001)}},
                 "waited": {"1": [(f"1.{i}", f"exited {(i - 1) % 256}") for i in range(1, 2001)]},
                 "signals": {"1": [("SIGCHLD", "CLD_EXITED")] * 2000}},
    "wait_calls": {"made": {f"1.{k}": "fork" for k in range(1, 8)},
                   "ended": {"1": 0, **{f"1.{k}": k for k in range(1, 8)}},
                   "waited": {"1": [(f"1.{k}", f"exited {k}") for k in range(1, 8)]},
                   "signals": {"1": [("SIGCHLD", "CLD_EXITED")] * 7}},
    "stop_cont": {"made": FORK, "ended": {"1": 0, "1.1": "SIGTERM"},
                  "waited": {"1": [("1.1", "stopped SIGSTOP"), ("1.1", "continued"),
                                   ("1.1", "killed SIGTERM")]},
                  "signals": {"1": [("SIGCHLD", "CLD_CONTINUED"), ("SIGCHLD", "CLD_KILLED"),
                                    ("SIGCHLD", "CLD_STOPPED")],
                              "1.1": [("SIGCONT", "SI_USER"), ("SIGSTOP", "SI_USER"),
                                      ("SIGTERM", "SI_USER")]}},
}


def _status(s):
    if "exited" in s:
        return f"exited {s['exited']}"
    if "signaled" in s:
        return f"killed {s['signaled']}" + (" (core)" if s.get("core") else "")
    if "stopped" in s:
        return f"stopped {s['stopped']}"
    return "continued"


def outline(facts):
    return {
        "made": {n: t["call"] for n, t in facts.tasks.items() if n != "1"},
        "ended": {n: "exec" if e.get("exec") else e["signal"] or e["code"]
                  for n, e in facts.exits.items()},
        "waited": {p: [(w["child"], _status(w["status"]) if w["status"] else w["err"])
                       for w in ws] for p, ws in facts.waits.items()},
        "signals": {p: [(sig, code) for sig, code, _ in s] for p, s in facts.signals.items()},
    }


def test_every_program_has_an_expectation():
    assert sorted(EXPECTED) == PROGRAMS


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_under_strace(runs, name):
    facts = runs.strace(name)
    assert outline(facts) == EXPECTED[name]
    assert all(t["kind"] == ("thread" if t["call"] == "pthread_create" else "process")
               for n, t in facts.tasks.items() if n != "1")


def test_strace_sees_the_interrupted_accepts(runs):
    (eintr,) = runs.strace("accept_eintr").calls["1"]
    assert (eintr["interrupted"], eintr["err"], eintr["signal"]) == ("EINTR", "EINTR", "SIGCHLD")
    first, rerun = runs.strace("accept_restart").calls["1"]
    assert (first["interrupted"], first["signal"]) == ("restarted", "SIGCHLD")
    assert rerun["interrupted"] is None and rerun["ret"] >= 0


def test_strace_sees_the_select_loop(runs):
    calls = runs.strace("select_loop").calls["1"]
    assert [c["ret"] for c in calls] == [1, 1, 1, 1, 0]
    a, b = calls[0]["readfds"]
    assert [c["ready"] for c in calls] == [[a], [b], [a], [b], []]


def test_strace_sees_the_execs(runs):
    assert runs.strace("system").execs == {"1.1": [["sh", "-c", "exit 3"]]}
    assert runs.strace("posix_spawn").execs == {"1.1": [["true"]]}
    assert runs.strace("exec_thread").execs == {"1": [["exec_thread", "after"]]}


# The tracer agrees with strace.

@pytest.mark.parametrize("name", PROGRAMS)
def test_tracer_agrees_with_strace(runs, name):
    want = runs.strace(name)
    trace = runs.trace(name)
    got = oracle.trace_facts(trace)
    assert trace.exit_status == 0, trace.stderr
    assert trace.summary["lost"] == 0
    assert not trace.summary["timed_out"]
    assert got.tasks == want.tasks
    assert got.exits == want.exits
    assert got.waits == want.waits
    assert got.signals == want.signals
    assert got.calls == want.calls
    assert got.execs == want.execs


# Each program's lesson, in its trace.

def _only(items):
    assert len(items) == 1, items
    return items[0]


def _children(trace):
    return [s["child"] for s in trace.spawns(kind="process", parent=trace.root)]


def test_fork_lesson(runs):
    t = runs.trace("fork")
    spawn = _only(t.spawns())
    assert (spawn["kind"], spawn["call"]) == ("process", "fork")
    reap = _only(t.reaps())
    assert (reap["child"], reap["by"], reap["how"]) == (spawn["child"], t.root, "wait")
    assert t.processes[spawn["child"]].exit["code"] == 7
    assert t.summary["processes"] == 2 and t.zombies.leaked == []


def test_vfork_lesson(runs):
    spawn = _only(runs.trace("vfork").spawns())
    assert (spawn["call"], spawn["syscall"]) == ("vfork", "vfork")


def test_posix_spawn_lesson(runs):
    t = runs.trace("posix_spawn")
    spawn = _only(t.spawns())
    assert spawn["call"] == "posix_spawn"
    ex = _only(t.execs(pid=spawn["child"]))
    assert os.path.realpath(ex["path"]) == os.path.realpath("/bin/true")
    assert ex["argv"] == ["true"]


def test_system_lesson(runs):
    t = runs.trace("system")
    child = _only(_children(t))
    assert t.processes[child].argv == ["sh", "-c", "exit 3"]
    wait = _only([s for s in t.syscalls(name="wait4") if s["ret"] == child])
    assert wait["out"]["status"] == {"exited": 3}


def test_threads_lesson(runs):
    t = runs.trace("threads")
    spawns = t.spawns(kind="thread")
    assert [s["call"] for s in spawns] == ["pthread_create"] * 3
    tids = [s["child"] for s in spawns]
    assert t.processes[t.root].threads == tids
    assert t.summary["threads"] == 3
    for tid in tids:
        assert t.threads[tid].exit == {"code": 0, "signal": None, "core": False}
    assert [e["tid"] for e in t.exits(process=False)] == tids


def test_exec_thread_lesson(runs):
    t = runs.trace("exec_thread")
    thread = _only(t.spawns(kind="thread"))["child"]
    execs = [e for e in t.execs() if e.get("old_tid") is not None]
    ex = _only(execs)
    assert (ex["old_tid"], ex["pid"], ex["tid"]) == (thread, t.root, t.root)
    assert ex["argv"] == ["exec_thread", "after"]
    assert t.processes[t.root].exit["code"] == 0


def test_exit_group_lesson(runs):
    t = runs.trace("exit_group")
    tids = [s["child"] for s in t.spawns(kind="thread")]
    assert len(tids) == 2
    for tid in tids:
        assert t.threads[tid].exit["code"] == 0
        # the program saw both asleep in read (/proc) before it exited: the
        # calls never returned, and the trace says so
        read = _only(t.unfinished(tid=tid))
        assert (read["call"], read["unfinished"], read["ret"]) == ("read", "exited", None), read
        assert not t.syscalls(tid=tid, call="read")
    assert _only(t.exits(process=True))["pid"] == t.root


def test_sigkill_lesson(runs):
    t = runs.trace("sigkill")
    child = _only(_children(t))
    assert t.processes[child].exit == {"code": None, "signal": "SIGKILL", "core": False}
    kill = _only(t.syscalls(name="kill"))
    assert (kill["args"]["target"], kill["args"]["sig"]) == (child, "SIGKILL")
    assert _only(t.reaps())["how"] == "wait"


def test_sigchld_ign_lesson(runs):
    t = runs.trace("sigchld_ign")
    children = _children(t)
    assert sorted(r["child"] for r in t.reaps(how="auto")) == sorted(children)
    assert all(r["zombie_ns"] == 0 for r in t.reaps(how="auto"))
    assert t.zombies.leaked == [] and t.zombies["auto"] == 3
    assert t.signals(sig="SIGCHLD") == []
    assert any(s["args"].get("handler") == "SIG_IGN"
               for s in t.syscalls(name="rt_sigaction") if s["args"].get("sig") == "SIGCHLD")
    assert _only(t.syscalls(name="wait4"))["err"] == "ECHILD"


def test_nocldwait_lesson(runs):
    t = runs.trace("nocldwait")
    assert sorted(r["child"] for r in t.reaps(how="auto")) == sorted(_children(t))
    assert t.zombies.leaked == [] and t.zombies["auto"] == 3
    assert [s["action"] for s in t.signals(sig="SIGCHLD")] == ["handler"] * 3
    assert any("SA_NOCLDWAIT" in s["args"].get("flags", [])
               for s in t.syscalls(name="rt_sigaction") if s["args"].get("sig") == "SIGCHLD")


def test_transient_zombie_lesson(runs):
    t = runs.trace("transient_zombie")
    reap = _only(t.reaps())
    assert reap["how"] == "wait" and not reap["leaked"]
    assert reap["zombie_ns"] >= 40_000_000  # the parent slept 50 ms first
    assert t.zombies["transient"] == 1 and t.zombies.leaked == []


def test_leaked_zombies_lesson(runs):
    t = runs.trace("leaked_zombies")
    children = _children(t)
    assert len(children) == 3
    assert sorted(t.zombies.leaked) == sorted(children)
    assert sorted(r["child"] for r in t.reaps() if r["leaked"]) == sorted(children)
    assert t.syscalls(name="wait4") == []


def test_double_fork_lesson(runs):
    t = runs.trace("double_fork")
    middle = _only(_children(t))
    orphan = _only(t.processes[middle].children)
    adopted = _only(t.reaps(how="adopted"))
    assert adopted["child"] == orphan and not adopted["leaked"]
    assert _only(t.reaps(how="wait"))["child"] == middle
    assert t.zombies.leaked == [] and t.zombies["adopted"] == 1
    ends = {e["pid"]: e["t"] for e in t.exits(process=True)}
    assert ends[orphan] > ends[middle]  # it outlived its parent


def test_accept_eintr_lesson(runs):
    t = runs.trace("accept_eintr")
    accept = _only(t.syscalls(call="accept"))
    assert (accept["ret"], accept["err"]) == (-1, "EINTR")
    assert (accept["interrupted"], accept["signal"]) == ("EINTR", "SIGCHLD")


def test_accept_restart_lesson(runs):
    t = runs.trace("accept_restart")
    first, rerun = t.syscalls(call="accept")
    assert (first["interrupted"], first["signal"]) == ("restarted", "SIGCHLD")
    assert "interrupted" not in rerun and rerun["ret"] >= 0 and rerun["err"] is None


def test_sigio_lesson(runs):
    t = runs.trace("sigio")
    sig = _only(t.signals(sig="SIGIO"))
    assert (sig["pid"], sig["action"], sig["sender"]) == (t.root, "handler", None)
    fcntls = {s["args"]["cmd"]: s["args"] for s in t.syscalls(name="fcntl")}
    assert fcntls["F_SETOWN"]["arg"] == t.root
    assert "O_ASYNC" in fcntls["F_SETFL"]["flags"]


def test_select_loop_lesson(runs):
    t = runs.trace("select_loop")
    calls = t.syscalls(call="select")
    assert [c["ret"] for c in calls] == [1, 1, 1, 1, 0]
    a, b = calls[0]["args"]["readfds"]
    assert [c["out"]["readfds"] for c in calls[:4]] == [[a], [b], [a], [b]]
    assert [c["args"]["timeout_ns"] for c in calls] == [None] * 4 + [10_000_000]


def test_fork2000_lesson(runs):
    t = runs.trace("fork2000")
    assert len(t.spawns(kind="process")) == 2000
    assert len(t.reaps(how="wait")) == 2000
    assert t.summary["processes"] == 2001 and t.zombies.leaked == []


def test_wait_calls_lesson(runs):
    """The trace names the C library function that made each wait call,
    as the program itself says it called them (the preloaded hook's tag);
    a bare syscall() is the kernel's wait4, with no library name."""
    t = runs.trace("wait_calls")
    waits = [s for s in t.syscalls() if s["class"] == "wait"]
    called = t.stdout.split()
    assert called == ["wait", "waitpid", "waitpid", "wait3", "wait4", "waitid", "syscall"]
    assert [w.get("libc", "syscall") for w in waits] == called
    assert [w["call"] for w in waits] == called[:-1] + ["wait4"]
    assert [w["name"] for w in waits] == ["wait4"] * 5 + ["waitid", "wait4"]
    assert not any("call_or" in w for w in waits)


def test_stop_cont_lesson(runs):
    t = runs.trace("stop_cont")
    child = _only(_children(t))
    statuses = [s["out"].get("status") for s in t.syscalls(name="wait4", err=None)]
    assert statuses == [{"stopped": "SIGSTOP"}, {"continued": True},
                        {"signaled": "SIGTERM", "core": False}]
    assert [w["args"]["options"] for w in t.syscalls(name="wait4")] == [["WUNTRACED"], ["WCONTINUED"], []]
    assert _only(t.signals(sig="SIGSTOP", pid=child))["action"] == "stop"
    assert _only(t.signals(sig="SIGTERM", pid=child))["action"] == "kill"
    went = [s["to"] for s in t.states(tid=child)]
    assert "stopped" in went and "running" in went[went.index("stopped"):]
