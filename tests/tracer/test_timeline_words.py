"""The text timeline says what happened in the words of the course, and
each line is checked here against the program's own report (what it read
in /proc, the pids and tids it printed, the order of its own writes):

- SIGCHLD left to its default action leaves a zombie; set to SIG_IGN, the
  kernel reaps the children itself;
- fork() returns twice (the child's `fork() = 0`), pthread_create returns 0
  and writes the new thread's id through its first argument;
- a wait's pid argument reads with its meaning beside it;
- the lines of a signal handler are marked with a bar, one per handler
  running, from its delivery to its sigreturn.

The programs are tests/tracer/cli/*.c."""

import json
import re
import subprocess
from pathlib import Path

import pytest

HEAD = r"^\s*\d+\.\d{3} +"   # the time column (to the millisecond: the beginner's view)
NUMBERED = re.compile(r"^\d*\t")


def trace_text(trace_bin, argv, tmp_path, *extra):
    """(timeline lines, events, the program's stdout) of one traced run,
    the timeline as the student reads it (the default view), with no
    colours; one line per event (--numbered, its index taken off), so that
    a sentence too long for one screen line is read whole."""
    jsonl = tmp_path / "run.jsonl"
    run = subprocess.run([trace_bin, "--color", "never", "--numbered", "--json", str(jsonl), *extra,
                          *map(str, argv)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    events = [json.loads(l) for l in jsonl.read_text().splitlines()]
    return [NUMBERED.sub("", l) for l in run.stderr.splitlines()], events, run.stdout


def lines_of(lines, pid, text):
    """The timeline lines of pid (its own column) that contain text."""
    who = re.compile(HEAD + rf"{pid}(/\d+)? ")
    return [l for l in lines if who.match(l) and text in l]


@pytest.mark.parametrize("disposition", ["default", "ignore"])
def test_sigchld_default_is_not_ignored(cli_progs, trace_bin, tmp_path, disposition):
    lines, events, out = trace_text(trace_bin, [cli_progs / "sigchld_disposition", disposition], tmp_path)
    sigign = int(re.search(r"^sigign (\d)$", out, re.M).group(1))
    child, fate = re.search(r"^zombie (\d+) (\w+)$", out, re.M).groups()
    parent = events[0]["pid"]
    signals = [e for e in events if e["type"] == "signal" and e["sig"] == "SIGCHLD"]
    assert {e["disposition"] for e in signals} == {disposition}
    if disposition == "default":
        # the oracle: SigIgn has no SIGCHLD, and /proc showed the child a zombie until the wait
        assert (sigign, fate) == (0, "stays")
        died = lines_of(lines, parent, f"<- SIGCHLD from {child} (child exited")
        assert len(died) == 1, lines
        assert died[0].endswith("-> default action: nothing runs; the child stays a zombie until it is reaped")
        own = lines_of(lines, parent, f"<- SIGCHLD from {parent} (sent by kill())")
        assert len(own) == 1 and own[0].endswith("-> default action: nothing runs"), lines
    else:
        # the oracle: SigIgn has SIGCHLD, and the child vanished from /proc with no wait
        assert (sigign, fate) == (1, "gone")
        assert not any(e["sig"] == "SIGCHLD" and e.get("sender") == int(child) for e in signals)
        own = lines_of(lines, parent, f"<- SIGCHLD from {parent} (sent by kill())")
        assert len(own) == 1, lines
        assert own[0].endswith("-> ignored (SIG_IGN): the kernel reaps the children itself")
    assert not any(l.endswith("-> ignored") for l in lines)


def test_fork_returns_twice_and_pthread_create_returns_0(cli_progs, trace_bin, tmp_path):
    lines, events, out = trace_text(trace_bin, [cli_progs / "spawn_report"], tmp_path)
    child = int(re.search(r"^child getpid (\d+)$", out, re.M).group(1))
    assert re.search(rf"^fork returned {child}$", out, re.M)
    tid = int(re.search(r"^thread gettid (\d+)$", out, re.M).group(1))
    assert re.search(r"^pthread_create returned 0$", out, re.M)
    parent = events[0]["pid"]
    in_parent = lines_of(lines, parent, f"fork() = {child} (new process)")
    in_child = lines_of(lines, child, "fork() = 0  (in the child: this is the new process)")
    assert len(in_parent) == 1 and len(in_child) == 1, lines
    assert lines.index(in_child[0]) == lines.index(in_parent[0]) + 1   # the same moment, both sides
    made = lines_of(lines, parent, "pthread_create(")
    assert len(made) == 1, lines
    assert made[0].endswith(f"pthread_create(&thread) = 0 -> new thread {tid}")


def test_with_numbers_the_childs_line_has_no_index(cli_progs, trace_bin, tmp_path):
    """Tools quote the fork event by its parent's line: the child's side
    starts with a tab alone."""
    _, events, out = trace_text(trace_bin, [cli_progs / "spawn_report"], tmp_path)
    child = int(re.search(r"^child getpid (\d+)$", out, re.M).group(1))
    run = subprocess.run([trace_bin, "--replay", str(tmp_path / "run.jsonl"), "--numbered",
                          "--color", "never"], capture_output=True, text=True, timeout=60)
    spawn = next(i for i, e in enumerate(events) if e["type"] == "spawn" and e["child"] == child)
    lines = run.stderr.splitlines()
    at = lines.index(next(l for l in lines if l.startswith(f"{spawn}\t")))
    assert f"fork() = {child} (new process)" in lines[at]
    assert lines[at + 1].startswith("\t") and "fork() = 0  (in the child" in lines[at + 1]


def test_a_waits_pid_says_what_it_asks_for(cli_progs, trace_bin, tmp_path):
    lines, events, out = trace_text(trace_bin, [cli_progs / "wait_pids"], tmp_path)
    pgrp = int(re.search(r"^pgrp (\d+)$", out, re.M).group(1))
    calls = [tuple(map(int, m)) for m in re.findall(r"^waitpid (-?\d+) = (-?\d+)$", out, re.M)]
    assert [arg for arg, _ in calls][1:] == [-1, 0, -pgrp] and calls[0][0] > 0
    words = {-1: "any child", 0: "any child in my process group", -pgrp: f"any child in group {pgrp}",
             calls[0][0]: "that child"}
    parent = events[0]["pid"]
    for arg, got in calls:
        call = f"waitpid(pid={arg} ({words[arg]}), options=0) = {got}"
        said = [l for l in lines_of(lines, parent, call) if l.endswith(call) or f"{call}  " in l]
        assert len(said) == 1, (arg, lines)


BODY = re.compile(HEAD + r"\S+ +\S+ +((?:\| )*)(.*)$")


def handler_bars(line):
    """How many handler bars a timeline line has after its who columns."""
    return len(BODY.match(line).group(1)) // 2


def test_nested_handlers_are_marked_deeper(cli_progs, trace_bin, tmp_path):
    lines, events, out = trace_text(trace_bin, [cli_progs / "nested_handlers"], tmp_path)
    assert out.splitlines() == ["h1 in", "h2", "h1 out", "main"]   # h2 ran inside h1
    pid = events[0]["pid"]
    wanted = [(0, "<- SIGUSR1"), (1, "tgkill("), (1, "<- SIGUSR2"), (2, "sigreturn()"),
              (1, "sigreturn()"), (0, "exited with code 0")]
    starts = {w for _, w in wanted}
    got = []
    for line in lines_of(lines, pid, ""):
        bars, text = BODY.match(line).groups()
        got += [(len(bars) // 2, w) for w in starts if text.startswith(w)]
    assert got[-len(wanted):] == wanted, lines
    assert all(bars == 0 for bars, _ in got[:-len(wanted)])


def test_lab7_handler_waits_are_marked_and_nothing_after_sigreturn(trace_bin, tmp_path):
    lines, events, _ = trace_text(trace_bin, ["lab7"], tmp_path)
    server = events[0]["pid"]
    mine = lines_of(lines, server, "")
    start = next(i for i, l in enumerate(mine) if "<- SIGCHLD" in l and l.endswith("-> runs the handler"))
    end = next(i for i, l in enumerate(mine) if "sigreturn()" in l and i > start)
    assert handler_bars(mine[start]) == 0
    inside = [l for l in mine[start + 1:end + 1] if "interrupted by SIGCHLD" not in l and "==" not in l]
    waits = [l for l in inside if "waitpid(pid=-1 (any child), options=WNOHANG)" in l]
    assert waits and len(waits) == sum("waitpid(" in l for l in inside)
    assert all(handler_bars(l) == 1 for l in inside), inside
    # the call the signal cut short ended before the handler ran: not the handler's
    assert all(handler_bars(l) == 0 for l in mine if "interrupted by SIGCHLD" in l)
    # after sigreturn, nothing is the handler's until the next SIGCHLD runs
    # it again (lab 7 has two runs: the slow child's exit brings another)
    after = mine[end + 1:]
    again = next((i for i, l in enumerate(after) if "<- SIGCHLD" in l and l.endswith("-> runs the handler")),
                 len(after))
    assert all(handler_bars(l) == 0 for l in after[:again]), after[:again]
    # the JSON says the same, so a replay draws the same bars
    marked = [e for e in events if e.get("in_handler")]
    assert marked and {e["in_handler"] for e in marked} == {1}
    replay = subprocess.run([trace_bin, "--replay", str(tmp_path / "run.jsonl"), "--color", "never",
                             "--numbered"], capture_output=True, text=True, timeout=60)
    replayed = [NUMBERED.sub("", l) for l in replay.stderr.splitlines()]
    assert [l for l in replayed if "| " in l] == [l for l in lines if "| " in l]


def test_posix_spawn_has_no_child_side(trace_bin, tmp_path):
    """posix_spawn's child does not return from it (it runs exec): no
    `= 0` line, only the parent's."""
    prog = tmp_path / "posix_spawn"
    progs = Path(__file__).parent / "progs"
    subprocess.run(["gcc", "-O2", "-I", str(progs), "-o", str(prog), str(progs / "posix_spawn.c")], check=True)
    lines, events, _ = trace_text(trace_bin, [prog], tmp_path)
    child = next(e["child"] for e in events if e["type"] == "spawn" and e["call"] == "posix_spawn")
    assert len(lines_of(lines, events[0]["pid"], f"posix_spawn() = {child} (new process)")) == 1, lines
    assert not any("(in the child: this is the new process)" in l for l in lines), lines
