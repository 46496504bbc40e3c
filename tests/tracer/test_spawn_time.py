"""--time-spawns (lab.conf: time_spawns = yes): each spawn event says how
much CPU time its call took, from the call's entry to the child's birth
(took_ns: the kernel's work of making the child).

The oracle is tests/tracer/cli/spawn_timing.c, which times each fork(),
vfork() and pthread_create() itself around the call: the trace's span lies
inside the program's, so took_ns is above 0 and at most what the program
measured (CPU time is never more than the clock's). Without the option no spawn says it (no stop more per fork)."""

import re
import subprocess

import tracelab

EACH = 3          # spawn_timing.c makes 3 of each


def reported(stdout):
    """child id -> (kind, ns), as the program measured each call."""
    return {int(c): (kind, int(ns)) for kind, c, ns in re.findall(r"^(fork|vfork|thread) (\d+) (\d+)$", stdout, re.M)}


def test_each_spawn_took_at_most_what_the_program_measured(cli_progs):
    t = tracelab.run([cli_progs / "spawn_timing"], extra_args=["--time-spawns"])
    assert t.returncode == 0, t.stderr
    said = reported(t.stdout)
    assert sorted(k for k, _ in said.values()) == sorted(["fork", "vfork", "thread"] * EACH)
    spawns = {s["child"]: s for s in t.spawns()}
    assert set(spawns) == set(said)
    for child, (kind, ns) in said.items():
        s = spawns[child]
        assert s["kind"] == ("thread" if kind == "thread" else "process")
        assert 0 < s["took_ns"] <= ns, (kind, s, ns)


def shown(ns):
    """took_ns as the timeline says a duration (s, ms to a tenth, or whole us)."""
    return f"{ns / 1e9:.2f} s" if ns >= 10**9 else f"{ns / 1e6:.1f} ms" if ns >= 10**6 else f"{ns // 1000} us"


def test_the_timeline_says_how_long_each_took(cli_progs, trace_bin, tmp_path):
    """Each spawn's line says its own took_ns (the JSON of the same run)."""
    jsonl = tmp_path / "run.jsonl"
    done = subprocess.run([trace_bin, "--time-spawns", "--numbered", "--color", "never", "--json", jsonl,
                           "--", cli_progs / "spawn_timing"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    made = re.findall(r"(?:fork|vfork)\(\) = (\d+) \(new process\)  <took ([^>]+) of CPU>", done.stderr)
    threads = re.findall(r"pthread_create\(&thread\) = 0 -> new thread (\d+)  <took ([^>]+) of CPU>",
                         done.stderr)
    assert len(made) == 2 * EACH and len(threads) == EACH, done.stderr
    took = {s["child"]: s["took_ns"] for s in tracelab.load(jsonl).spawns()}
    assert {int(child): said for child, said in made + threads} == {c: shown(ns) for c, ns in took.items()}


def test_without_the_option_no_spawn_is_timed(cli_progs):
    t = tracelab.run([cli_progs / "spawn_timing"])
    assert t.returncode == 0, t.stderr
    spawns = t.spawns()
    assert len(spawns) == 3 * EACH
    assert all("took_ns" not in s for s in spawns)


def test_replay_takes_no_time_spawns(trace_bin, tmp_path):
    recorded = tmp_path / "run.jsonl"
    recorded.write_text("")
    done = subprocess.run([trace_bin, "--replay", recorded, "--time-spawns"], capture_output=True, text=True)
    assert done.returncode == 2 and "--replay takes only" in done.stderr and done.stderr.count("\n") == 1
