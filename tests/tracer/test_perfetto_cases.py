"""./trace --perfetto FILE in the cases a lab run does not show: made-up
traces replayed (a call across a change of state, a pid given again), a
task alive at the end (-p, then Ctrl-C), a stopped process, a process that
runs exec, stdout, a full disk, misuse and --help. test_perfetto.py checks
the file of real lab runs field by field."""

import json
import re
import signal
import subprocess
from collections import Counter
from decimal import Decimal

import pytest

from perfetto_check import Run, check_nesting, ns


def test_a_call_across_a_change_of_state_is_drawn_inside_one(tmp_path, trace_bin):
    """Made-up events, replayed: a call that began before its task stopped,
    one whose line came after its thread had died (an exit_group from
    another thread ends it), and one whose line came after its process was
    reaped, are drawn inside the state that holds them so that Perfetto
    keeps them; their args keep the times the trace gave."""
    lines = [
        {"type": "trace", "t": 0, "pid": 10, "tid": 10, "version": 1, "argv": ["x"], "name": "x", "tracer_pid": 9},
        {"type": "state", "t": 10, "pid": 10, "tid": 10, "from": "new", "to": "running"},
        {"type": "spawn", "t": 20, "pid": 10, "tid": 10, "child": 11, "kind": "thread", "call": "pthread_create",
         "name": "x"},
        {"type": "state", "t": 20, "pid": 10, "tid": 11, "from": "new", "to": "running"},
        {"type": "state", "t": 60, "pid": 10, "tid": 10, "from": "running", "to": "stopped"},
        {"type": "syscall", "t": 80, "pid": 10, "tid": 10, "name": "read", "call": "read", "dur_ns": 40},
        {"type": "exit", "t": 100, "pid": 10, "tid": 11, "code": 0, "process": False},
        {"type": "state", "t": 100, "pid": 10, "tid": 11, "from": "running", "to": "exited"},
        {"type": "syscall", "t": 150, "pid": 10, "tid": 11, "name": "read", "call": "read", "dur_ns": 100,
         "unfinished": "exited"},
        {"type": "spawn", "t": 70, "pid": 10, "tid": 10, "child": 12, "kind": "process", "call": "fork"},
        {"type": "state", "t": 70, "pid": 12, "tid": 12, "from": "new", "to": "running"},
        {"type": "state", "t": 120, "pid": 12, "tid": 12, "from": "running", "to": "exited"},
        {"type": "state", "t": 120, "pid": 12, "tid": 12, "from": "exited", "to": "zombie"},
        {"type": "state", "t": 130, "pid": 12, "tid": 12, "from": "zombie", "to": "reaped"},
        {"type": "syscall", "t": 140, "pid": 12, "tid": 12, "name": "read", "call": "read", "dur_ns": 50,
         "unfinished": "killed"},
        {"type": "summary", "t": 200, "pid": 10, "tid": 10, "exit": 0},
    ]
    lines.sort(key=lambda line: line["t"])
    trace = tmp_path / "made.jsonl"
    trace.write_text("".join(json.dumps(line) + "\n" for line in lines))
    out = tmp_path / "made.json"
    done = subprocess.run([trace_bin, "-q", "--replay", str(trace), "--perfetto", str(out), "-o", "/dev/null"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    records = json.loads(out.read_text(), parse_float=Decimal)["traceEvents"]
    check_nesting(records)
    calls = {r["tid"]: r for r in records if r["cat"] == "syscall"}
    assert (ns(calls[10]["ts"]), ns(calls[10]["dur"])) == (60, 20)      # from the stop on
    assert (ns(calls[11]["ts"]), ns(calls[11]["dur"])) == (50, 50)      # up to the death
    assert (ns(calls[12]["ts"]), ns(calls[12]["dur"])) == (90, 30)      # not in the zombie
    for tid, r in calls.items():
        assert r["args"] == next(line for line in lines if line["type"] == "syscall" and line["tid"] == tid)
    states = [(r["tid"], r["name"], ns(r["ts"]), ns(r["dur"])) for r in records if r["cat"] == "state"]
    assert sorted(states) == [(10, "running", 10, 50), (10, "stopped", 60, 140), (11, "running", 20, 80),
                              (12, "running", 70, 50), (12, "zombie", 120, 10)]


def test_a_task_alive_at_the_end_is_in_its_state_until_then(trace_bin, tmp_path, wait_traced):
    """-p, then Ctrl-C: the tracer lets go, and the program runs on (as
    /proc says), so its state lasts until the trace's last moment."""
    sleeper = subprocess.Popen(["sleep", "30"])
    out = tmp_path / "attached.json"
    tracer = subprocess.Popen([trace_bin, "-q", "-p", str(sleeper.pid), "--perfetto", str(out)],
                              stderr=subprocess.PIPE, text=True)
    try:
        wait_traced(sleeper.pid, tracer.pid)
        tracer.send_signal(signal.SIGINT)
        assert tracer.wait(timeout=10) == 0
        with open(f"/proc/{sleeper.pid}/stat") as f:
            assert f.read().rsplit(")", 1)[1].split()[0] in "SR"
    finally:
        if tracer.poll() is None:   # a failed wait above: no tracer is left attached
            tracer.kill()
            tracer.wait()
        sleeper.kill()
        sleeper.wait()
    doc = json.loads(out.read_text(), parse_float=Decimal)
    summary = doc["otherData"]["summary"]
    assert summary["after_interrupt"] == "detached"
    (state,) = [r for r in doc["traceEvents"] if r["cat"] == "state" and r["tid"] == sleeper.pid]
    assert state["name"] == "running" and ns(state["ts"]) + ns(state["dur"]) == summary["t"]
    assert state["args"]["ended_by"] == "the end of the trace"


@pytest.mark.parametrize("args, words", [
    (["--perfetto"], "--perfetto needs a file name"),
    (["--perfetto", "--", "true"], "--perfetto needs a file name"),
    (["--perfetto", "/no/such/dir/run.json", "--", "true"], "cannot write /no/such/dir/run.json"),
    (["--perfetto", "-", "--json", "-", "--", "true"], "cannot both write to stdout"),
])
def test_misuse_gets_one_line_and_status_2(args, words, trace_bin):
    done = subprocess.run([trace_bin, *args], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("trace: ") and words in lines[0], done.stderr
    assert done.stdout == ""


def test_stdout_and_a_full_disk(trace_bin, cli_progs):
    done = subprocess.run([trace_bin, "-q", "-o", "/dev/null", "--perfetto", "-", "--", str(cli_progs / "forkloop"), "3"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0
    records = json.loads(done.stdout)["traceEvents"]
    assert Counter(r["name"] for r in records if r["ph"] == "s")["fork"] == 3
    # forkloop's own code: three waitpid calls, which stop with -q too when --perfetto shows them
    assert [r["name"] for r in records if r["cat"] == "syscall"] == ["waitpid"] * 3
    full = subprocess.run([trace_bin, "-q", "-o", "/dev/null", "--perfetto", "/dev/full", "--", "true"],
                          capture_output=True, text=True, timeout=30)
    assert full.returncode == 2 and "cannot write /dev/full" in full.stderr


def test_a_process_that_runs_exec_is_named_with_each_program(trace_bin):
    """sh forks (or vforks) a child for ls, and the child runs execve: its
    lane is named with the program it had from its parent, then ls."""
    done = subprocess.run([trace_bin, "-q", "-o", "/dev/null", "--perfetto", "-", "--",
                           "sh", "-c", "ls / >/dev/null; true"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)["traceEvents"]
    names = {r["pid"]: r["args"]["name"] for r in records if r["name"] == "process_name"}
    (spawn,) = [r["args"] for r in records if r["cat"] == "spawn" and r["tid"] == r["args"]["tid"]]
    (execs,) = [r["args"] for r in records if r["cat"] == "exec" and r["pid"] == spawn["child"]]
    assert execs["name"] == "ls" and names[spawn["child"]] == spawn["name"] + " -> ls"


def test_a_stopped_process_has_a_stopped_bar(trace_bin, tmp_path, cli_progs):
    """A child stops itself with SIGSTOP, its parent sees it stopped (and
    says which pid), then sends SIGCONT: a "stopped" slice on that pid from
    the one state line to the other; the parent's SIGCHLD says CLD_STOPPED."""
    run = Run(trace_bin, tmp_path, "--", str(cli_progs / "stop_cont"))
    assert run.done.returncode == 0, run.done.stderr
    child = int(run.done.stdout.split()[-1])          # the program's own report
    (stop,) = [ev for ev in run.events if ev["type"] == "state" and ev["to"] == "stopped"]
    (cont,) = [ev for ev in run.events if ev["type"] == "state" and ev["from"] == "stopped"]
    (bar,) = run.of(ph="X", cat="state", name="stopped")
    assert (bar["tid"], ns(bar["ts"]), ns(bar["ts"]) + ns(bar["dur"])) == (child, stop["t"], cont["t"])
    assert stop["tid"] == child
    assert any(ev["type"] == "signal" and ev["code"] == "CLD_STOPPED" and ev["sender"] == child
               for ev in run.events)
    check_nesting(run.records)


def test_a_pid_given_again_shares_its_lane(tmp_path, trace_bin):
    """Made-up events: the kernel gives pid 11 to a second child after the
    first was reaped. One lane, named once, with both arrows."""
    lines = [{"type": "trace", "t": 0, "pid": 10, "tid": 10, "version": 1, "argv": ["x"], "name": "x"}]
    for start in (10, 50):
        lines += [{"type": "spawn", "t": start, "pid": 10, "tid": 10, "child": 11, "kind": "process",
                   "call": "fork", "name": "x"},
                  {"type": "exit", "t": start + 10, "pid": 11, "tid": 11, "code": 0, "process": True},
                  {"type": "reap", "t": start + 20, "pid": 10, "tid": 10, "child": 11, "by": 10, "how": "wait"}]
    lines.append({"type": "summary", "t": 100, "pid": 10, "tid": 10, "exit": 0})
    trace = tmp_path / "again.jsonl"
    trace.write_text("".join(json.dumps(line) + "\n" for line in lines))
    done = subprocess.run([trace_bin, "-q", "--replay", str(trace), "--perfetto", "-", "-o", "/dev/null"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)["traceEvents"]
    assert [r["pid"] for r in records if r["name"] == "process_name"] == [10, 11]
    assert [ns(str(r["ts"])) for r in records if r["ph"] == "f" and r["name"] == "fork"] == [10, 50]


def test_help_names_the_option(trace_bin):
    helped = subprocess.run([trace_bin, "--help"], capture_output=True, text=True, timeout=10).stdout
    assert "--perfetto FILE" in helped and "ui.perfetto.dev" in helped


# What a Vietnamese file names in Vietnamese (the English names of a lab 6
# run, then theirs), and English words none of its names may hold.
VI_NAMES = {"running": "đang chạy", "zombie": "zombie", "reap": "thu dọn", "exit 0": "thoát 0",
            "hold: release": "giữ SIGCHLD: thả ra", "lab: ready": "bài lab: máy chủ sẵn sàng",
            "./trace (the tracer)": "./trace (trình theo vết)"}
ENGLISH_WORDS = re.compile(r"running|blocked|reaped|^reap|^exit |^lab:|^hold:|^note:|the tracer|killed by|"
                           r"unfinished|stopped|the end of the trace")


def test_the_names_a_user_reads_follow_lang(trace_bin, tmp_path):
    """./trace --lang vi --perfetto: the tracks', states', marks' and
    arrows' names are Vietnamese; everything else (the records, their
    order, phases, categories, times, ids and args) is what the English
    file of the same trace holds (--replay of its --json in English)."""
    run = Run(trace_bin, tmp_path, "lab6", extra=("--lang", "vi"))
    assert run.done.returncode == 0, run.done.stderr
    english = tmp_path / "en.json"
    done = subprocess.run([trace_bin, "-q", "--lang", "en", "--replay", str(run.jsonl), "--perfetto", str(english),
                           "-o", "/dev/null"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    en_doc = json.loads(english.read_text(), parse_float=Decimal)
    assert set(en_doc) == set(run.doc) and en_doc["otherData"] == run.doc["otherData"]
    assert len(en_doc["traceEvents"]) == len(run.records)
    names = {}
    for en, vi in zip(en_doc["traceEvents"], run.records):
        assert set(en) == set(vi)
        assert {k: v for k, v in en.items() if k not in ("name", "args")} == \
               {k: v for k, v in vi.items() if k not in ("name", "args")}
        if en["cat"] == "state" and isinstance(en["args"]["ended_by"], str):
            assert en["args"]["ended_by"] == "the end of the trace"
            assert vi["args"]["ended_by"] == "bản ghi vết kết thúc"
        elif en["ph"] == "M":
            key = next(iter(en["args"]))
            assert en["name"] == vi["name"] and set(vi["args"]) == {key}
            if key == "name":
                names[en["args"][key]] = vi["args"][key]
            else:
                assert en["args"] == vi["args"]
        else:
            assert en.get("args") == vi.get("args")
            names[en["name"]] = vi["name"]
    for en, vi in VI_NAMES.items():
        assert names[en] == vi, (en, names.get(en))
    blocked = [en for en in names if en.startswith("blocked: ")]
    assert blocked and all(names[en] == "bị chặn: " + en[len("blocked: "):] for en in blocked)
    english = [vi for vi in names.values() if ENGLISH_WORDS.search(vi)]
    assert english == [], english
