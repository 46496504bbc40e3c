"""Which wait function the program called. wait(), waitpid(), wait3() and
wait4() are all the kernel's wait4: the preloaded hook tags each call with
the function's name (tests/tracer/test_oracle.py checks it against what
tests/tracer/progs/wait_calls.c says it called). Without the hook (a
static program, or no hook preloaded) the name is read off the arguments,
and wait(&s) and waitpid(-1, &s, 0), which are the very same call, are
said as both: the trace does not guess."""

import subprocess

import pytest

import oracle
import tracelab
from test_oracle import EXPECTED, PROGS, outline
from tracelab.timeline import tracer_lines

# What the trace calls each of wait_calls.c's waits when no hook says:
# (call, call_or).
UNHOOKED = [("wait", "waitpid"), ("wait", "waitpid"), ("waitpid", None), ("wait4", None),
            ("waitpid", None), ("waitid", None), ("waitpid", None)]
NO_HOOK = {"TRACELAB_HOOK": "/nonexistent/libtlhook.so"}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    out = tmp_path_factory.mktemp("wait_calls")
    src = PROGS / "wait_calls.c"
    for name, extra in (("dynamic", []), ("static", ["-static"])):
        subprocess.run(["gcc", "-O2", "-Wall", "-Wextra", "-Werror", *extra, "-o", out / name, src],
                       check=True, capture_output=True)
    return out


def waits(trace):
    return [s for s in trace.syscalls() if s["class"] == "wait"]


@pytest.mark.parametrize("how", ["static", "no-hook"])
def test_without_the_hook_the_same_call_is_said_both_ways(builds, how):
    prog = builds / ("static" if how == "static" else "dynamic")
    trace = tracelab.run([prog], env=NO_HOOK if how == "no-hook" else None, timeout=60)
    assert trace.exit_status == 0, trace.stderr
    assert trace.header["hook"] is (how == "static")
    assert trace.select("start") == []          # no hook ran in it
    got = [(w["call"], w.get("call_or")) for w in waits(trace)]
    assert got == UNHOOKED
    assert not any("libc" in w for w in waits(trace))
    lines = tracer_lines(trace.events).values()
    assert sum("wait() or waitpid(pid=-1 (any child), options=0) = " in l for l in lines) == 2


@pytest.mark.skipif(not oracle.strace_available(), reason="strace is not installed")
def test_a_static_program_agrees_with_strace(builds):
    prog = builds / "static"
    status, text, err = oracle.run_strace([prog])
    assert status == 0, err
    want = oracle.strace_facts(text)
    assert outline(want) == EXPECTED["wait_calls"]
    got = oracle.trace_facts(tracelab.run([prog], classes=["process", "signal", "wait"], timeout=60))
    assert got.waits == want.waits and got.tasks == want.tasks


def test_each_exec_has_its_start_where_the_hook_runs(builds):
    """The hook marks where the program's own code starts, before main:
    once per program that has the hook (after the exec of a dynamic one),
    never in a static one; a fork keeps its parent's program."""
    dynamic, static = builds / "dynamic", builds / "static"
    trace = tracelab.run(["/bin/sh", "-c", f"{dynamic}; {static}; {dynamic}"], timeout=60)
    assert trace.exit_status == 0, trace.stderr
    starts = [ev["pid"] for ev in trace.select("start")]
    execs = [(ev["pid"], ev["path"]) for ev in trace.execs()]
    runs_of = {str(dynamic): "dynamic", str(static): "static"}
    ran = [(pid, runs_of.get(path, "sh")) for pid, path in execs]
    assert sorted(starts) == sorted(pid for pid, what in ran if what != "static")
    for pid, what in ran:
        mine = [w for w in waits(trace) if w["pid"] == pid]
        if what == "dynamic":
            assert [w.get("libc", "syscall") for w in mine] == \
                ["wait", "waitpid", "waitpid", "wait3", "wait4", "waitid", "syscall"]
        elif what == "static":
            assert [(w["call"], w.get("call_or")) for w in mine] == UNHOOKED
