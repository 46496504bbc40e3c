"""--hold sigchld arranges the SIGCHLD race for any program, and says so.

The tracer holds back every SIGCHLD that would run a handler until the
parent has no child left running and has been quiet (tracer/core/hold.c);
then one SIGCHLD stands for every exit. The oracle for "stands for" is the
trace's own exit events; the oracle for the zombies is the tracer's
reaping of what the program left (its summary), checked against the
program's structure: a handler that reaps one child per signal.
"""

import re
import subprocess

import tracelab

CONNECTIONS = 5
HELD_RUNS = 3
NATURAL_RUNS = 3
START = "the tracer holds this SIGCHLD back "
RACE = ", to make the race certain (--hold sigchld)"


def record(trace_bin, tmp_path, target, extra=(), client=None):
    """Run live, the timeline to a file and the events to JSON; client (an
    argv) runs beside it, untraced. Returns (the tracer's run, the
    timeline's text, one line per event (--numbered, the indices taken
    off: a sentence longer than a screen line is read whole), the Trace)."""
    live, jsonl = tmp_path / "live.txt", tmp_path / "run.jsonl"
    helper = subprocess.Popen(client) if client else None
    try:
        run = subprocess.run([trace_bin, "--color", "never", "--numbered", *extra, "-o", str(live),
                              "--json", str(jsonl), *target],
                             capture_output=True, text=True, timeout=120)
    finally:
        if helper:
            helper.wait(timeout=60)
    assert helper is None or helper.returncode == 0
    return run, re.sub(r"^\d*\t", "", live.read_text(), flags=re.M), tracelab.load(jsonl)


def holds(trace, what=None):
    return trace.select("hold", **({"what": what} if what else {}))


def check_each_release_counts_the_exits(trace):
    """Each release's `exits` is the number of the parent's children whose
    exit events came after the last SIGCHLD delivered to it and before the
    release; the SIGCHLD line comes right after, with the first held one's
    sender."""
    events = trace.events
    for i, ev in enumerate(events):
        if ev["type"] != "hold" or ev["what"] != "release":
            continue
        parent = ev["pid"]
        kids = {s["child"] for s in trace.spawns(kind="process") if s["pid"] == parent}
        since = max([j for j, e in enumerate(events[:i])
                     if e["type"] == "signal" and e["pid"] == parent and e["sig"] == "SIGCHLD"],
                    default=-1)
        exits = [e for e in events[since + 1:i]
                 if e["type"] == "exit" and e["process"] and e["pid"] in kids]
        assert ev["exits"] == len(exits) and ev["sig"] == "SIGCHLD"
        nxt = events[i + 1]
        assert nxt["type"] == "signal" and nxt["sig"] == "SIGCHLD" and nxt["pid"] == parent
        [start] = [e for e in events[since + 1:i] if e["type"] == "hold" and e["pid"] == parent]
        assert start["what"] == "start" and ev["held_ns"] == ev["t"] - start["t"]
        assert nxt["sender"] in {e["pid"] for e in exits}


def test_any_one_wait_per_signal_server_leaks_n_minus_1(tmp_path, cli_progs, trace_bin):
    """A tcpserv02-style server (one child per connection, a handler that
    calls wait() once) and a tcpcli04-style client (five connections, all
    closed at once): under --hold sigchld, one SIGCHLD, one child reaped,
    four leaked, every run, however far the server got in its accept queue
    when the first child exited. The text says where the hold starts and
    ends, and how many exits the one signal stands for."""
    portfile = tmp_path / "port"
    for _ in range(HELD_RUNS):
        portfile.unlink(missing_ok=True)
        run, text, t = record(trace_bin, tmp_path, ["--", str(cli_progs / "echo_server"), str(portfile)],
                              extra=["--hold", "sigchld"],
                              client=[str(cli_progs / "echo_client"), str(portfile), str(CONNECTIONS)])
        assert run.returncode == 0, run.stderr
        assert len(t.spawns(kind="process")) == CONNECTIONS
        assert len(t.signals("SIGCHLD", pid=t.root)) == 1
        assert len(t.reaps(how="wait")) == 1
        assert len(t.zombies.leaked) == CONNECTIONS - 1
        assert [h["what"] for h in holds(t)] == ["start", "release"]
        check_each_release_counts_the_exits(t)
        lines = text.splitlines()
        [start] = [n for n, line in enumerate(lines) if START in line]
        assert lines[start].endswith(RACE)
        [release] = [n for n, line in enumerate(lines) if "the tracer lets the held SIGCHLD go after " in line]
        assert lines[release].endswith(f": this one signal stands for {CONNECTIONS} children's exits (--hold sigchld)")
        assert start < release and "<- SIGCHLD from " in lines[release + 1]


def test_no_hold_when_nothing_is_left_to_wait_for(cli_progs):
    """The parent has slept in pause() for 500 ms when its only child exits:
    no child is left and nothing new came, so the SIGCHLD is not held."""
    t = tracelab.run([cli_progs / "lone_child", "500"], hold="sigchld")
    assert t.returncode == 0
    assert holds(t) == []
    [sig] = t.signals("SIGCHLD", pid=t.root)
    assert sig["action"] == "handler" and len(t.reaps(how="wait")) == 1


def test_a_child_that_never_ends_holds_until_the_time_limit(cli_progs):
    """One child exits, another never does (a daemon): the SIGCHLD is held
    until --timeout kills the tree; the trace says it was never delivered,
    and nothing is left running."""
    t = tracelab.run([cli_progs / "lone_child", "100", "daemon"], hold="sigchld", timeout=2)
    assert t.summary["timed_out"] and t.leftovers == []
    assert [h["what"] for h in holds(t)] == ["start", "dropped"]
    start, dropped = holds(t)
    assert start["children"] == 1
    # the daemon, killed with the tree, may die before its parent: then its
    # exit counts too; either way `exits` is the children's exit lines before
    kids = {s["child"] for s in t.spawns(kind="process") if s["pid"] == t.root}
    before = t.events[:t.events.index(dropped)]
    assert dropped["exits"] == len([e for e in before if e["type"] == "exit" and e["pid"] in kids])
    assert t.signals("SIGCHLD", pid=t.root) == []


def test_lab6_held_always_leaves_four_of_five(tmp_path, trace_bin):
    """labs/lab06-sigchld-wait/README.md: in the held run one SIGCHLD stands
    for the five exits, its line follows the tracer's, and 4 of 5 leak."""
    run, text, t = record(trace_bin, tmp_path, ["lab6"])
    assert run.returncode == 0, run.stderr
    assert len(t.signals("SIGCHLD", pid=t.root)) == 1 and len(t.zombies.leaked) == 4
    [release] = holds(t, "release")
    assert release["exits"] == 5
    check_each_release_counts_the_exits(t)
    assert "this one signal stands for 5 children's exits (--hold sigchld)" in text
    assert "zombies: 4 leaked, 1 reaped by their parent" in text
    assert "signals delivered: SIGTERM x1, SIGCHLD x1" in text


def test_lab6_natural_shows_the_real_race(tmp_path, trace_bin):
    """`./trace lab6 natural`: no hold; however many SIGCHLDs come, the
    handler reaps one child per signal and the rest leak: zombies = 5 -
    reaps, and reaps = SIGCHLDs delivered."""
    for _ in range(NATURAL_RUNS):
        run, text, t = record(trace_bin, tmp_path, ["lab6", "natural"])
        assert run.returncode == 0, run.stderr
        assert holds(t) == [] and START not in text
        children = len(t.spawns(kind="process"))
        reaps = len(t.reaps(how="wait"))
        assert children == CONNECTIONS
        assert len(t.zombies.leaked) == children - reaps
        assert reaps == len(t.signals("SIGCHLD", pid=t.root)) >= 1


def test_lab7_burst_lets_the_signal_go_while_a_child_runs(tmp_path, trace_bin):
    """labs/lab07-waitpid-loop (hold = sigchld-burst): the first held
    SIGCHLD goes once the exits have stopped, while a child still runs (its
    exit event comes after the release), and stands for the three exits
    before it. The start line does not promise to wait for the children."""
    run, text, t = record(trace_bin, tmp_path, ["lab7"])
    assert run.returncode == 0, run.stderr
    check_each_release_counts_the_exits(t)
    first_start, first = holds(t, "start")[0], holds(t, "release")[0]
    assert first_start["until"] == "quiet" and "children" not in first_start
    assert first["exits"] == 3
    kids = {s["child"] for s in t.spawns(kind="process") if s["pid"] == t.root}
    later = t.events[t.events.index(first):]
    assert any(e["type"] == "exit" and e["process"] and e["pid"] in kids for e in later)
    assert START + "while the process may still make children" + RACE in text
    assert "this one signal stands for 3 children's exits (--hold sigchld)" in text


def test_hold_on_the_command_line_wins_over_lab_conf(tmp_path, trace_bin):
    """`./trace --hold sigchld lab7` holds until no child runs (the grading
    tests ask for it so): every SIGCHLD then finds nobody running, and
    each handler loop ends on ECHILD."""
    run, text, t = record(trace_bin, tmp_path, ["lab7"], extra=["--hold", "sigchld"])
    assert run.returncode == 0, run.stderr
    check_each_release_counts_the_exits(t)
    assert all("children" in h for h in holds(t, "start"))
    assert t.syscalls("wait4") and all(c["ret"] != 0 for c in t.syscalls("wait4"))
    assert len(t.spawns(kind="process")) == 5 and t.zombies.leaked == []
