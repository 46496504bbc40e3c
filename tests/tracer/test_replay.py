"""./trace --replay: a trace recorded with --json renders exactly as the
live run did (the same timeline, the same summary, the same JSON), because
every renderer reads events and nothing else; and the summary says every
fact once, in the text and in the JSON alike."""

import json
import re
import subprocess
from pathlib import Path

import pytest

import tracelab


def record(trace_bin, tmp_path, *target, extra=()):
    """Run live with the timeline to a file and the events to JSON."""
    live, jsonl = tmp_path / "live.txt", tmp_path / "run.jsonl"
    run = subprocess.run([trace_bin, "--color", "never", *extra, "-o", str(live),
                          "--json", str(jsonl), *target],
                         capture_output=True, text=True, timeout=120)
    return run, live.read_text(), jsonl


def replay(trace_bin, tmp_path, jsonl, *extra):
    out, again = tmp_path / "replay.txt", tmp_path / "again.jsonl"
    run = subprocess.run([trace_bin, "--color", "never", *extra, "--replay", str(jsonl),
                          "-o", str(out), "--json", str(again)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return out.read_text(), again.read_bytes()


@pytest.mark.parametrize("target", [("lab5",), ("lab6",), ("lab9",), ("lab10", "thread"),
                                    ("lab11",), ("--", "forkloop", "12")],
                         ids=["lab5", "lab6", "lab9", "lab10-thread", "lab11", "forkloop"])
def test_replay_renders_what_the_live_run_rendered(tmp_path, cli_progs, target, trace_bin):
    target = tuple(str(cli_progs / t) if t == "forkloop" else t for t in target)
    run, live, jsonl = record(trace_bin, tmp_path, *target)
    assert run.returncode == 0, run.stderr
    assert "== summary ==" in live and len(live.splitlines()) > 10
    text, again = replay(trace_bin, tmp_path, jsonl)
    assert text == live                      # line for line, timestamps too
    assert again == jsonl.read_bytes()       # and the JSON, byte for byte


def test_replay_of_the_summary_alone(tmp_path, cli_progs, trace_bin):
    run, live, jsonl = record(trace_bin, tmp_path, "--", str(cli_progs / "forkloop"), "30", extra=("-q",))
    assert run.returncode == 0
    assert live.lstrip().startswith("== summary ==")
    text, _ = replay(trace_bin, tmp_path, jsonl, "-q")
    assert text == live
    # 30 children, reaped: the tree shows 8 and counts the rest
    assert "... and 22 more children of" in text


def test_summary_counts_every_signal_kind_in_text_and_json(tmp_path, cli_progs, trace_bin):
    """The program's own report is the oracle: 16 kinds caught, once each;
    the JSON summary and the text summary both say all 16."""
    run, live, jsonl = record(trace_bin, tmp_path, "--", str(cli_progs / "many_signals"))
    assert run.returncode == 0, run.stderr
    report = dict((int(s), int(n)) for s, n in re.findall(r"(\d+) x(\d+)", run.stdout))
    assert len(report) == 16 and set(report.values()) == {1}
    summary = [json.loads(line) for line in jsonl.read_text().splitlines()][-1]
    assert summary["type"] == "summary"
    signals = summary["signals"]
    assert len(signals) == 16 and set(signals.values()) == {1}
    line = next(l for l in live.splitlines() if l.startswith("signals delivered:"))
    assert len(re.findall(r"SIG\w+ x1", line)) == 16
    for name in signals:
        assert f"{name} x1" in line


@pytest.mark.parametrize("content,words", [
    ('{"type":"syscall","t":1}\n', 'no "t", "pid" or "tid"'),
    ('{"type":"sycall","t":1,"pid":1,"tid":1}\n', 'no known "type"'),
    ('{"type":"trace","t":0,"pid":1,"tid":1,"version":2}\n', "version is not 1"),
    ('{"type":"exit","t":1,"pid":1,"tid":1,"code":0\n', "cut-short"),
    ("not json at all\n", "not a trace line"),
    ("", "holds no events"),
])
def test_bad_replay_input_gets_one_line_and_status_2(tmp_path, content, words, trace_bin):
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    run = subprocess.run([trace_bin, "--replay", str(path)], capture_output=True, text=True)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "./trace --json" in lines[0], run.stderr


def test_replay_of_a_missing_file_or_with_a_command_is_refused(tmp_path, trace_bin):
    run = subprocess.run([trace_bin, "--replay", str(tmp_path / "none.jsonl")],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "cannot read" in run.stderr
    run = subprocess.run([trace_bin, "--replay", "x.jsonl", "--", "true"],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "give no command" in run.stderr


def test_list_json_says_what_each_lab_conf_says(trace_bin):
    """One parser of lab.conf, in the tracer; the kit reads it from here.
    The oracle is the folder itself: the program it names is the one make
    built there, and the variants are the [sections] of its lab.conf."""
    run = subprocess.run([trace_bin, "--list", "--json"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    labs = [json.loads(line) for line in run.stdout.splitlines()]
    folders = sorted(p.name for p in (tracelab.REPO / "labs").iterdir() if p.is_dir())
    assert [lab["lab"] for lab in labs] == folders
    for lab in labs:
        folder = Path(lab["dir"])
        conf = (folder / "lab.conf").read_text()
        assert lab["ok"] and lab["built"]
        assert (folder / lab["program"]).is_file()
        assert re.search(rf"^program\s*=\s*{lab['program']}\s*$", conf, re.M)
        assert lab["variants"] == re.findall(r"^\[(\w+)\]", conf, re.M)
        assert lab["number"] == int(lab["lab"][3:5])
        assert lab["title"] == (folder / "README.md").read_text().splitlines()[0].lstrip("# ")
    lab6 = next(lab for lab in labs if lab["number"] == 6)
    assert lab6["hold_sigchld"] and lab6["stop"] == "SIGTERM" and lab6["ready"] == "listen"


def test_replay_survives_any_field_missing_or_of_another_kind(tmp_path, trace_bin):
    """A replayed file may hold anything: every event of a real run, with
    each field in turn left out or given every other kind of value, renders
    without a crash (make asan runs this too)."""
    run, _, jsonl = record(trace_bin, tmp_path, "lab6")
    events = [json.loads(line) for line in jsonl.read_text().splitlines()]
    others = [None, 7, -1, 2**62, 400000000, "x", "\U0001F600 \x00", True, [], [1, "x", {}],
              {}, {"a": [None]}]
    mutants = []
    for ev in events[:150] + events[-1:]:
        for key in ev:
            if key in ("type", "t", "pid", "tid", "version"):   # a wrong version is refused, rightly
                continue
            gone = dict(ev)
            del gone[key]
            mutants.append(gone)
            mutants += [{**ev, key: v} for v in others]
    path = tmp_path / "mutants.jsonl"
    path.write_text("".join(json.dumps(m) + "\n" for m in mutants))   # ASCII: \u escapes
    for extra in ((), ("-q",)):
        done = subprocess.run([trace_bin, "--color", "never", *extra, "--replay", str(path),
                               "-o", str(tmp_path / "out.txt")], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        # a huge depth is no huge indent, and every string stays valid UTF-8
        text = (tmp_path / "out.txt").read_bytes().decode("utf-8")
        assert max(map(len, text.splitlines())) < 2000
    assert len(mutants) > 1000


def test_strings_outside_the_basic_plane_and_bad_escapes(tmp_path, trace_bin):
    """A string written with \\u escapes (as Python writes JSON) reads back
    as the same text: a surrogate pair is one character. A malformed escape
    is refused, and a NUL becomes U+FFFD (a C string cannot hold it)."""
    run, live, jsonl = record(trace_bin, tmp_path, "--", "/bin/echo", "caf\u00e9 \U0001F600")
    assert run.returncode == 0
    events = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    escaped = tmp_path / "escaped.jsonl"
    escaped.write_text("".join(json.dumps(ev) + "\n" for ev in events))   # ensure_ascii
    assert "\\ud83d\\ude00" in escaped.read_text()
    text, again = replay(trace_bin, tmp_path, escaped)
    assert text == live and "caf\u00e9 \U0001F600" in text
    assert [json.loads(l) for l in again.decode("utf-8").splitlines()] == events
    for bad, words in [('"\\q"', "an unknown escape"), ('"\\u12"', "a bad \\u escape"),
                       ("+5", "a value of no known kind"), ("007", "a value of no known kind")]:
        path = tmp_path / "bad.jsonl"
        path.write_text('{"type":"exit","t":1,"pid":1,"tid":1,"code":%s}\n' % bad)
        done = subprocess.run([trace_bin, "--replay", str(path)], capture_output=True, text=True)
        assert done.returncode == 2 and words in done.stderr, (bad, done.stderr)
    path = tmp_path / "nul.jsonl"
    path.write_text('{"type":"exec","t":1,"pid":1,"tid":1,"path":"/x","argv":["a\\u0000b"],"name":"x"}\n'
                    '{"type":"summary","t":2,"pid":1,"tid":1,"exit":0}\n')
    done = subprocess.run([trace_bin, "--replay", str(path), "--json", "-", "-q", "-o", "/dev/null"],
                          capture_output=True, text=True)
    assert done.returncode == 0 and '"a\ufffdb"' in done.stdout


def test_replay_of_a_trace_cut_short_says_so(tmp_path, trace_bin):
    run, live, jsonl = record(trace_bin, tmp_path, "lab5")
    lines = jsonl.read_text().splitlines()
    cut = tmp_path / "cut.jsonl"
    cut.write_text("\n".join(lines[:-1]) + "\n")   # no summary: the tracer was killed
    done = subprocess.run([trace_bin, "--color", "never", "--replay", str(cut)],
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.strip().endswith("ends without its summary: the run was cut short; "
                                        "above is what it recorded")
    assert live.split("\n\n== summary ==")[0] in done.stderr
    done = subprocess.run([trace_bin, "--replay", str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 2 and "cannot read" in done.stderr


def test_a_broken_lab_conf_is_said_once_in_words_and_in_json(tmp_path, trace_bin):
    lab = tmp_path / "lab42-broken"
    lab.mkdir()
    (lab / "README.md").write_text("# A broken lab\n")
    (lab / "lab.conf").write_text("program = lab42\nstop = SIGNOPE\n")
    env = {"TRACELAB_LABS": str(tmp_path), "PATH": "/usr/bin:/bin"}
    listed = subprocess.run([trace_bin, "--list", "--json"], capture_output=True, text=True, env=env)
    assert listed.returncode == 0
    (entry,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert entry["ok"] is False and "stop = SIGNOPE is not a signal" in entry["error"]
    run = subprocess.run([trace_bin, "lab42"], capture_output=True, text=True, env=env)
    assert run.returncode == 2
    assert run.stderr.strip() == entry["error"]
    for line, words in [("hold = sigchd", "hold = sigchd: use sigchld, sigchld-burst, or none"),
                        ("holds = sigchld", "unknown key 'holds'"),
                        ("cue = sigchild", "cue = sigchild: use sigchld, or none"),
                        ("stop_when = idle", "stop_when = idle: use quiet, or asleep"),
                        ("time_spawns = 1", "time_spawns = 1: use yes, or no"),
                        ("ready = accept", "ready = accept: use listen (TCP) or bind (UDP)")]:
        (lab / "lab.conf").write_text(f"program = lab42\n{line}\n")
        run = subprocess.run([trace_bin, "lab42"], capture_output=True, text=True, env=env)
        assert run.returncode == 2 and words in run.stderr, run.stderr


def test_list_json_gives_each_variant(tmp_path, trace_bin):
    lab = tmp_path / "lab43-variants"
    lab.mkdir()
    (lab / "lab.conf").write_text("program = lab43\n[alpha]\nargs = 1\n[beta]\nargs = 2\n")
    listed = subprocess.run([trace_bin, "--list", "--json"], capture_output=True, text=True,
                            env={"TRACELAB_LABS": str(tmp_path)})
    assert json.loads(listed.stdout)["variants"] == ["alpha", "beta"]


def test_a_spawn_line_names_every_clone_flag():
    """The flags the kernel was asked for are shown whole (a long signal
    mask is cut short, a clone's flags never are), in the expert's view."""
    t = tracelab.run_lab("lab9")
    spawns = t.spawns(kind="thread")
    assert spawns
    src = "".join(json.dumps(e) + "\n" for e in t.events)
    run = subprocess.run([str(tracelab.trace_binary()), "--replay", "/dev/stdin", "--numbered", "--verbose",
                          "--color", "never"], input=src, capture_output=True, text=True, timeout=60)
    lines = dict(l.split("\t", 1) for l in run.stderr.splitlines() if "\t" in l)
    for ev in spawns:
        assert len(ev["flags"]) >= 9
        assert f"[{ev['syscall']} {'|'.join(ev['flags'])}]" in lines[str(t.events.index(ev))]
