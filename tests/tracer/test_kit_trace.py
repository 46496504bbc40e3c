"""The tracelab package on hand-written traces: parsing, queries, the
process model, and how `run` calls the tracer (with a stand-in tracer)."""

import os
import stat
import sys
import textwrap

import pytest

import tracelab
from tracelab import ANY, TraceFormatError, TracerMissing, where

# A run of "./demo": a thread that forks `sh -c "exit 3"`, reaped after a
# SIGCHLD; an accept cut short by EINTR; a second child left as a zombie.
DEMO = """\
{"type":"trace","t":0,"pid":100,"tid":100,"version":1,"argv":["./demo"],"classes":["process","signal","wait","io"],"attached":false,"lab":null}
{"type":"exec","t":5,"pid":100,"tid":100,"path":"./demo","argv":["./demo"]}
{"type":"spawn","t":10,"pid":100,"tid":100,"child":101,"kind":"thread","call":"pthread_create","syscall":"clone3","flags":["CLONE_VM","CLONE_THREAD"]}
{"type":"state","t":11,"pid":100,"tid":101,"from":"new","to":"running"}
{"type":"spawn","t":20,"pid":100,"tid":101,"child":102,"kind":"process","call":"fork","syscall":"clone","flags":["CLONE_CHILD_SETTID"]}
{"type":"exec","t":30,"pid":102,"tid":102,"path":"/bin/sh","argv":["sh","-c","exit 3"]}
{"type":"exit","t":40,"pid":102,"tid":102,"code":3,"signal":null,"core":false,"process":true}
{"type":"state","t":41,"pid":102,"tid":102,"from":"exited","to":"zombie"}
{"type":"signal","t":42,"pid":100,"tid":100,"sig":"SIGCHLD","sender":102,"code":"CLD_EXITED","action":"handler","child_status":{"exited":3}}
{"type":"state","t":44,"pid":100,"tid":100,"from":"blocked","to":"running","call":"accept","since":42}
{"type":"syscall","t":44,"pid":100,"tid":100,"name":"accept","call":"accept","class":"io","args":{"fd":3,"flags":[]},"out":{},"ret":-1,"err":"EINTR","dur_ns":2,"slept":true,"interrupted":"EINTR","signal":"SIGCHLD"}
{"type":"syscall","t":50,"pid":100,"tid":100,"name":"wait4","call":"waitpid","class":"wait","args":{"pid":-1,"options":["WNOHANG"]},"out":{"status":{"exited":3}},"ret":102,"err":null,"dur_ns":1}
{"type":"state","t":51,"pid":102,"tid":102,"from":"zombie","to":"reaped"}
{"type":"reap","t":51,"pid":100,"tid":100,"child":102,"by":100,"how":"wait","zombie_ns":11,"leaked":false}
{"type":"syscall","t":52,"pid":100,"tid":100,"name":"wait4","call":"waitpid","class":"wait","args":{"pid":-1,"options":["WNOHANG"]},"out":{},"ret":0,"err":null,"dur_ns":1}
{"type":"exit","t":60,"pid":100,"tid":101,"code":0,"signal":null,"core":false,"process":false}
{"type":"state","t":60,"pid":100,"tid":101,"from":"running","to":"exited"}
{"type":"spawn","t":70,"pid":100,"tid":100,"child":103,"kind":"process","call":"fork","syscall":"clone","flags":[]}
{"type":"exit","t":80,"pid":103,"tid":103,"code":null,"signal":"SIGKILL","core":false,"process":true}
{"type":"exit","t":90,"pid":100,"tid":100,"code":0,"signal":null,"core":false,"process":true}
{"type":"reap","t":91,"pid":99,"tid":99,"child":103,"by":99,"how":"adopted","zombie_ns":11,"leaked":true}
{"type":"summary","t":95,"pid":100,"tid":100,"exit":0,"processes":3,"threads":1,"signals":{"SIGCHLD":1},"zombies":{"leaked":[103],"transient":1,"max_concurrent":1,"auto":0,"adopted":0},"timed_out":false,"lost":0}
"""


@pytest.fixture
def demo():
    return tracelab.load(DEMO)


def test_load_accepts_text_lines_and_paths(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(DEMO + "\n\n")
    for source in (DEMO, DEMO.splitlines(), DEMO.encode(), path, str(path)):
        trace = tracelab.load(source)
        assert len(trace.events) == len(DEMO.splitlines())
    with open(path) as f:
        assert len(tracelab.load(f).events) == len(DEMO.splitlines())


def test_header_summary_and_root(demo):
    assert demo.header["argv"] == ["./demo"]
    assert demo.summary["processes"] == 3
    assert demo.exit_status == 0
    assert demo.root == 100


def test_syscall_queries(demo):
    assert [s["ret"] for s in demo.syscalls(name="wait4")] == [102, 0]
    assert len(demo.syscalls(call="waitpid", pid=100, tid=100)) == 2
    assert [s["name"] for s in demo.syscalls(err=None)] == ["wait4", "wait4"]
    (accept,) = demo.syscalls(err="EINTR")
    assert accept["interrupted"] == "EINTR" and accept["signal"] == "SIGCHLD"
    assert len(demo.syscalls(name={"accept", "wait4"})) == 3
    assert demo.syscalls(name="select") == []


def test_queries_compose(demo):
    reaped = where(demo.syscalls(name="wait4"), ret=lambda r: r > 0)
    assert [s["out"]["status"] for s in reaped] == [{"exited": 3}]
    assert where(reaped, args=lambda a: "WNOHANG" in a["options"]) == reaped
    assert demo.select("state", **{"from": "blocked"}, call="accept", since=42, tid=100)
    assert len(demo.select("exit", signal=ANY)) == len(demo.exits())


def test_spawns_execs_signals_exits_reaps_states(demo):
    assert [s["child"] for s in demo.spawns()] == [101, 102, 103]
    assert [s["child"] for s in demo.spawns(kind="thread")] == [101]
    assert [s["child"] for s in demo.spawns(kind="process", parent=100)] == [102, 103]
    assert [e["argv"] for e in demo.execs()] == [["./demo"], ["sh", "-c", "exit 3"]]
    assert [e["pid"] for e in demo.execs(pid=102)] == [102]
    assert [s["sender"] for s in demo.signals(sig="SIGCHLD", pid=100)] == [102]
    assert demo.signals(sig="SIGIO") == []
    assert [e["tid"] for e in demo.exits(process=False)] == [101]
    assert [e["pid"] for e in demo.exits(process=True)] == [102, 103, 100]
    assert [r["child"] for r in demo.reaps(how="adopted")] == [103]
    assert [s["to"] for s in demo.states(tid=101)] == ["running", "exited"]


def test_processes(demo):
    procs = demo.processes
    assert sorted(procs) == [100, 102, 103]
    root = procs[100]
    assert root.argv0 == "./demo" and root.children == [102, 103]
    assert root.threads == [101] and root.spawned_by_call is None
    assert root.exit == {"code": 0, "signal": None, "core": False}
    sh = procs[102]
    assert (sh.ppid, sh.argv, sh.path, sh.spawned_by_call) == (100, ["sh", "-c", "exit 3"], "/bin/sh", "fork")
    assert sh.exit["code"] == 3 and sh.reap["how"] == "wait"
    # No exec: it runs its parent's program.
    assert procs[103].argv0 == "./demo" and procs[103].exit["signal"] == "SIGKILL"


def test_threads(demo):
    threads = demo.threads
    assert sorted(threads) == [100, 101, 102, 103]
    assert threads[101].pid == 100 and not threads[101].main
    assert threads[101].exit == {"code": 0, "signal": None, "core": False}
    assert threads[100].main and threads[100].exit["code"] == 0


def test_zombies(demo):
    assert demo.zombies.leaked == [103]
    assert demo.zombies["transient"] == 1


def test_zombies_without_a_summary():
    lines = [l for l in DEMO.splitlines() if '"summary"' not in l]
    trace = tracelab.load(lines)
    assert trace.summary is None and trace.exit_status is None
    assert trace.zombies.leaked == [103]


def test_exec_from_a_thread_keeps_the_process():
    trace = tracelab.load([
        '{"type":"spawn","t":1,"pid":7,"tid":7,"child":8,"kind":"thread","call":"pthread_create","syscall":"clone3","flags":[]}',
        '{"type":"exec","t":2,"pid":7,"tid":7,"path":"/bin/true","argv":["true"],"old_tid":8}',
        '{"type":"exit","t":3,"pid":7,"tid":7,"code":0,"signal":null,"core":false,"process":true}',
    ])
    assert trace.root == 7 and trace.header is None
    assert trace.execs()[0]["old_tid"] == 8
    assert trace.processes[7].argv0 == "true" and trace.processes[7].exit["code"] == 0


@pytest.mark.parametrize("line, message", [
    ("{not json", "line 2: not JSON"),
    ('["a list"]', 'line 2: an event needs a string "type"'),
    ('{"t": 1}', 'line 2: an event needs a string "type"'),
])
def test_bad_lines_are_named(line, message):
    with pytest.raises(TraceFormatError, match=message):
        tracelab.load(['{"type":"exec","pid":1,"tid":1}', line])


def test_unknown_version_is_refused():
    with pytest.raises(TraceFormatError, match="version 2"):
        tracelab.load(['{"type":"trace","t":0,"pid":1,"tid":1,"version":2}'])


# run() against a stand-in tracer: a script that writes its own argv,
# cwd and one env variable into the trace it was asked for.
FAKE_TRACER = textwrap.dedent("""\
    #!{python}
    import json, os, sys
    args = sys.argv[1:]
    out = args[args.index("--json") + 1]
    print("to stdout"); print("to stderr", file=sys.stderr)
    with open(out, "w") as f:
        f.write(json.dumps({{"type": "trace", "t": 0, "pid": 1, "tid": 1, "version": 1,
                            "argv": args, "cwd": os.getcwd(),
                            "env": os.environ.get("TRACELAB_TEST_VAR")}}) + "\\n")
    sys.exit(3)
    """)


@pytest.fixture
def fake_tracer(tmp_path, monkeypatch):
    path = tmp_path / "fake-trace"
    path.write_text(FAKE_TRACER.format(python=sys.executable))
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("TRACELAB_TRACE", str(path))
    return path


def test_run_builds_the_command_line(fake_tracer, tmp_path):
    trace = tracelab.run(["./prog", "a b"], classes=["process", "wait"], timeout=5,
                         env={"TRACELAB_TEST_VAR": "yes"}, cwd=tmp_path,
                         extra_args=["--follow"])
    args = trace.header["argv"]
    assert args[0] == "--json" and args[2:] == [
        "-q", "--timeout", "5", "--follow", "--trace", "process,wait", "--", "./prog", "a b"]
    assert trace.header["cwd"] == str(tmp_path) and trace.header["env"] == "yes"
    assert trace.returncode == 3
    assert trace.stdout == "to stdout\n" and trace.stderr == "to stderr\n"
    assert trace.command[0] == str(fake_tracer)
    assert not os.path.exists(args[1])  # the JSON file is cleaned up


def test_run_lab_and_plain_options(fake_tracer):
    trace = tracelab.run_lab("lab3", json_only=False, timeout=None, classes="mux")
    assert trace.header["argv"][2:] == ["--trace", "mux", "lab3"]


def test_a_missing_tracer_says_to_run_make(monkeypatch, tmp_path):
    monkeypatch.setenv("TRACELAB_TRACE", str(tmp_path / "nowhere"))
    with pytest.raises(TracerMissing, match="run `make` first"):
        tracelab.run(["true"])


def test_no_trace_written_is_an_error(monkeypatch, tmp_path):
    silent = tmp_path / "silent"
    silent.write_text("#!/bin/sh\necho broken >&2\nexit 1\n")
    silent.chmod(0o755)
    monkeypatch.setenv("TRACELAB_TRACE", str(silent))
    with pytest.raises(tracelab.TraceError, match=r"(?s)wrote no trace.*broken"):
        tracelab.run(["true"])
