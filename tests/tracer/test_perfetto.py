"""./trace --perfetto FILE: the run as a Chrome trace-event file (the JSON
Object Format) that ui.perfetto.dev and chrome://tracing open.

Checked field by field against the fields the Trace Event Format documents
(name, cat, ph, ts, dur, pid, tid, id, bp, s, args), and as Perfetto's JSON
importer reads them (slices on a track must nest; a flow event binds to the
slice on top of its track). Checked fact by fact against the JSON Lines
trace of the same run (--json and --perfetto in one run), and against the
program's own report where it gives one. No timing is asserted: every time
compared is one the trace itself recorded. test_perfetto_cases.py has the
cases a lab run does not show (made-up traces, -p, misuse)."""

import json
import subprocess
from collections import defaultdict
from decimal import Decimal

import pytest

from perfetto_check import Run, check_nesting, ns

# The phases the format documents; this file uses X (complete), i
# (instant), s and f (flow start and end) and M (metadata).
DOCUMENTED_PHASES = set("BEXiICbneSTpFstfPNODMVvRc")
USED_PHASES = {"X", "i", "s", "f", "M"}
METADATA = {"process_name": "name", "thread_name": "name",
            "process_sort_index": "sort_index", "thread_sort_index": "sort_index"}
STATES = {"running", "stopped", "zombie"}   # the states a task stays in: open at the end


@pytest.fixture(scope="module")
def lab6(trace_bin, tmp_path_factory):
    """Five children, their SIGCHLDs merged into one, four zombies leaked."""
    run = Run(trace_bin, tmp_path_factory.mktemp("lab6"), "lab6")
    assert run.done.returncode == 0, run.done.stderr
    return run


@pytest.fixture(scope="module")
def lab10(trace_bin, tmp_path_factory):
    """Threads, one of which crashes the whole process."""
    run = Run(trace_bin, tmp_path_factory.mktemp("lab10"), "lab10", "thread")
    assert run.done.returncode == 0, run.done.stderr
    return run


@pytest.fixture(scope="module")
def report(trace_bin, tmp_path_factory, cli_progs):
    """A child and a thread that say their own pid and tid."""
    run = Run(trace_bin, tmp_path_factory.mktemp("report"), "--", str(cli_progs / "spawn_report"))
    assert run.done.returncode == 0, run.done.stderr
    return run


@pytest.fixture(params=["lab6", "lab10", "report"])
def run(request):
    return request.getfixturevalue(request.param)


def test_every_record_has_the_documented_fields(run):
    assert set(run.doc) == {"traceEvents", "displayTimeUnit", "otherData"}
    assert run.doc["displayTimeUnit"] in ("ms", "ns")
    assert run.doc["otherData"] == {"trace": run.events[0], "summary": run.summary}
    for r in run.records:
        assert r["ph"] in DOCUMENTED_PHASES and r["ph"] in USED_PHASES, r
        assert isinstance(r["name"], str) and r["name"] and isinstance(r["cat"], str) and r["cat"], r
        assert type(r["pid"]) is int and type(r["tid"]) is int and r["pid"] > 0 and r["tid"] > 0, r
        assert isinstance(r["ts"], Decimal) and r["ts"] >= 0, r
        if r["ph"] == "X":
            assert isinstance(r["dur"], Decimal) and r["dur"] >= 0, r
        if r["ph"] == "i":
            assert r["s"] == "t", r                  # on its thread's track
        if r["ph"] in "sf":
            assert type(r["id"]) is int and "args" not in r, r
            assert r.get("bp") == ("e" if r["ph"] == "f" else None), r
        if r["ph"] == "M":
            assert r["cat"] == "__metadata" and r["name"] in METADATA, r
            assert set(r["args"]) == {METADATA[r["name"]]}, r
    times = [ns(r["ts"]) for r in run.records if r["ph"] != "M"]
    assert times == sorted(times)                    # written in time order
    assert all(r["ph"] == "M" for r in run.records[:len(run.records) - len(times)])


def test_flows_pair_up_and_bind_to_their_instants(run):
    """Each id has one s and one f, with the same cat and name (how Perfetto
    matches them), at the same time; each binds to the instant written just
    before it on its own track (Perfetto binds a flow event to the slice on
    top of its track: that instant, which has no length)."""
    pairs = run.flows()
    assert pairs
    for fid, pair in pairs.items():
        s, f = pair["s"], pair["f"]
        assert (s["cat"], s["name"]) == (f["cat"], f["name"]) == ("flow", s["name"])
        assert s["ts"] == f["ts"]
        for end in (s, f):
            anchor = run.anchor(end)
            assert anchor["ph"] == "i" and anchor["ts"] == end["ts"], (end, anchor)
        assert run.anchor(s)["args"] == run.anchor(f)["args"]   # both ends: the same event


def test_slices_nest_on_each_track_as_perfetto_reads_them(run):
    check_nesting(run.records)


def test_any_replayed_input_gives_a_well_formed_file(tmp_path, lab6, trace_bin):
    """A replayed file may hold anything: each field of a real run's events
    left out or given another kind of value still gives valid JSON whose
    slices nest."""
    others = [None, 7, -1, 2**62, "x", True, [], {}, {"a": [None]}]
    mutants = []
    for ev in lab6.events[1:-1]:
        for key in ev:
            if key not in ("type", "t", "pid", "tid"):
                mutants.append({k: v for k, v in ev.items() if k != key})
                mutants += [{**ev, key: v} for v in others]
    path, out = tmp_path / "mutants.jsonl", tmp_path / "mutants.json"
    path.write_text("".join(json.dumps(m) + "\n" for m in [lab6.events[0]] + mutants + [lab6.summary]))
    done = subprocess.run([trace_bin, "-q", "--replay", str(path), "--perfetto", str(out), "-o", "/dev/null"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    records = json.loads(out.read_text(encoding="utf-8"), parse_float=Decimal)["traceEvents"]
    assert len(records) > len(mutants)
    check_nesting(records, layered=False)


def test_every_process_and_thread_has_a_named_track_in_creation_order(run):
    tasks = []          # (pid, tid) in the order the JSON trace first names them
    for ev in run.events[1:-1]:
        for task in [(ev["pid"], ev["tid"])] + ([(ev["pid"] if ev["kind"] == "thread" else ev["child"],
                                                   ev["child"])] if ev["type"] == "spawn" else []):
            if task not in tasks:
                tasks.append(task)
    meta = {(r["name"], r["pid"], r["tid"]): r["args"] for r in run.of(ph="M")}
    used = {(r["pid"], r["tid"]) for r in run.records if r["ph"] != "M"}
    threads = [(pid, tid) for name, pid, tid in meta if name == "thread_name"]
    assert set(tasks) == set(threads) and used <= set(threads)
    assert sorted(threads, key=lambda k: meta["thread_sort_index", *k]["sort_index"]) == tasks
    assert {pid for pid, _ in used} == {pid for name, pid, _ in meta if name == "process_name"}
    names = {ev["pid"] if ev["kind"] == "thread" else ev["child"]: ev["name"]
             for ev in run.events if ev["type"] == "spawn"}
    names[run.events[0]["pid"]] = run.events[0]["name"]
    for ev in run.events:
        if ev["type"] == "exec":
            names[ev["pid"]] += " -> " + ev["name"] if ev["name"] != names[ev["pid"]] else ""
    for pid, name in names.items():
        assert meta["process_name", pid, pid]["name"] == name
    if (run.tracer, run.tracer) in used:
        assert meta["process_name", run.tracer, run.tracer]["name"] == "./trace (the tracer)"


def test_each_spawn_is_an_arrow_from_parent_to_child(run):
    spawns = [ev for ev in run.events if ev["type"] == "spawn"]
    assert spawns
    arrows = {(p["s"]["tid"], p["f"]["tid"], ns(p["s"]["ts"]), p["s"]["name"]): p
              for p in run.flows().values()}
    for ev in spawns:
        pair = arrows[ev["tid"], ev["child"], ev["t"], ev["call"]]
        assert run.anchor(pair["s"])["args"] == ev
        assert pair["f"]["pid"] == (ev["pid"] if ev["kind"] == "thread" else ev["child"])
    assert len([p for p in run.flows().values() if p["s"]["name"] in {ev["call"] for ev in spawns}]) == len(spawns)


def test_every_call_is_a_slice_whose_args_are_its_line(run):
    calls = [ev for ev in run.events if ev["type"] == "syscall"]
    slices = run.of(ph="X", cat="syscall")
    assert calls and len(slices) == len(calls)
    for ev, r in zip(calls, sorted(slices, key=lambda r: run.events.index(r["args"]))):
        assert r["args"] == ev and r["tid"] == ev["tid"] and r["pid"] == ev["pid"]
        start, end = ns(r["ts"]), ns(r["ts"]) + ns(r["dur"])
        assert ev["t"] - ev["dur_ns"] <= start <= end <= ev["t"]
        if ev.get("slept") and "unfinished" not in ev:
            assert (start, end) == (ev["t"] - ev["dur_ns"], ev["t"])   # drawn exactly when it slept


def test_blocked_slices_span_what_the_state_events_say(run):
    blocked = [ev for ev in run.events if ev["type"] == "state" and ev["from"] == "blocked"]
    slices = [r for r in run.of(ph="X", cat="state") if r["name"].startswith("blocked: ")]
    assert len(slices) == len(blocked)
    spans = {(r["tid"], ns(r["ts"]), ns(r["ts"]) + ns(r["dur"]), r["name"]): r for r in slices}
    for ev in blocked:
        r = spans[ev["tid"], ev["since"], ev["t"], "blocked: " + ev["call"]]
        assert r["args"] == {"since": ev["since"], "until": ev["t"], "ended_by": ev}


def test_states_tile_each_life_and_end_with_the_trace(run):
    """A task's state slices follow one another without gap or overlap,
    from its first state event to its last (or to the trace's end, for
    one still in a state then)."""
    end = run.summary["t"]
    by_tid = defaultdict(list)
    for r in run.of(ph="X", cat="state"):
        by_tid[r["tid"]].append((ns(r["ts"]), ns(r["ts"]) + ns(r["dur"]), r))
    for tid, spells in by_tid.items():
        spells.sort(key=lambda s: s[0])
        states = [ev for ev in run.events if ev["type"] == "state" and ev["tid"] == tid]
        assert spells[0][0] == states[0]["t"]
        for (_, stop, _), (start, _, _) in zip(spells, spells[1:]):
            assert stop == start
        last = spells[-1][2]
        if states[-1]["to"] in STATES:
            assert spells[-1][1] == end and last["args"]["ended_by"] == "the end of the trace"
        else:
            ended_by = last["args"]["ended_by"]
            assert spells[-1][1] == states[-1]["t"] == ended_by["t"] and ended_by in states
            assert ended_by["from"] == last["name"].split(":")[0]


def test_signals_and_exits_are_instants_with_their_events(run):
    for kind in ("signal", "exit"):
        events = [ev for ev in run.events if ev["type"] == kind]
        on_own_track = [r for r in run.of(ph="i", cat=kind) if r["args"]["tid"] == r["tid"]]
        assert sorted(json.dumps(r["args"]) for r in on_own_track) == sorted(json.dumps(ev) for ev in events)
    arrows = {json.dumps(run.anchor(p["f"])["args"]): p for p in run.flows().values()}
    for ev in run.events:
        if ev["type"] == "signal" and ev["sender"] in {r["pid"] for r in run.of(ph="M")}:
            pair = arrows[json.dumps(ev)]
            assert (pair["s"]["pid"], pair["f"]["tid"], pair["s"]["name"]) == (ev["sender"], ev["tid"], ev["sig"])


def test_lab6_zombies_are_slices_until_their_reap_and_reaps_are_arrows(lab6):
    leaked = lab6.summary["zombies"]["leaked"]
    assert len(leaked) == 4                       # lab 6's lesson: 5 exits, 1 SIGCHLD, 1 reaped
    reaps = {ev["child"]: ev for ev in lab6.events if ev["type"] == "reap"}
    exits = {ev["pid"]: ev for ev in lab6.events if ev["type"] == "exit"}
    zombies = {r["tid"]: r for r in lab6.of(ph="X", cat="state", name="zombie")}
    assert set(zombies) == set(reaps) - {lab6.events[0]["pid"]} == set(exits) - {lab6.events[0]["pid"]}
    for pid, r in zombies.items():
        assert (ns(r["ts"]), ns(r["ts"]) + ns(r["dur"])) == (exits[pid]["t"], reaps[pid]["t"])
        assert ns(r["dur"]) == reaps[pid]["zombie_ns"]
    for pid in leaked:                            # left until the parent died, then the tracer's
        assert reaps[pid]["by"] == lab6.tracer and reaps[pid]["leaked"] is True
        assert reaps[pid]["t"] >= exits[lab6.events[0]["pid"]]["t"]
    arrows = {(p["s"]["tid"], p["f"]["tid"]) for p in lab6.flows().values() if p["s"]["name"] == "reap"}
    assert arrows == {(ev["child"], ev["by"]) for ev in reaps.values()}
    # the one SIGCHLD stands for five exits: one arrow, from the sender the kernel named
    sigchld = [p for p in lab6.flows().values() if p["s"]["name"] == "SIGCHLD"]
    assert len(sigchld) == 1 and sigchld[0]["f"]["tid"] == lab6.events[0]["pid"]
    release = next(ev for ev in lab6.events if ev["type"] == "hold" and ev["what"] == "release")
    assert release["exits"] == 5 and lab6.anchor(sigchld[0]["s"])["args"]["t"] == release["t"]


def test_the_programs_own_pids_have_tracks_and_arrows(report):
    said = dict(line.rsplit(" ", 1) for line in report.done.stdout.splitlines() if line.split()[-1].isdigit())
    child, thread = int(said["child getpid"]), int(said["thread gettid"])
    root = report.events[0]["pid"]
    assert int(said["fork returned"]) == child
    arrows = {(p["s"]["tid"], p["f"]["pid"], p["f"]["tid"], p["s"]["name"]) for p in report.flows().values()}
    assert (root, child, child, "fork") in arrows and (root, root, thread, "pthread_create") in arrows
    meta = {(r["name"], r["pid"], r["tid"]) for r in report.of(ph="M")}
    assert ("process_name", child, child) in meta and ("thread_name", root, thread) in meta


def test_lab10_a_crashing_thread_ends_its_process(lab10):
    crash = next(ev for ev in lab10.events if ev["type"] == "signal" and ev["sig"] == "SIGSEGV")
    root = lab10.events[0]["pid"]
    assert crash["tid"] != root and crash["pid"] == root
    killed = [r for r in lab10.of(ph="i", cat="exit") if r["name"] == "killed by SIGSEGV"]
    assert {r["tid"] for r in killed} >= {crash["tid"], root}


def test_live_and_replay_write_the_same_file(run, trace_bin, tmp_path):
    again = tmp_path / "again.json"
    done = subprocess.run([trace_bin, "-q", "--replay", str(run.jsonl), "--perfetto", str(again), "-o", "/dev/null"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert again.read_bytes() == run.file.read_bytes()
