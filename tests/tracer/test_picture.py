"""./trace --svg FILE and --html FILE: the picture of a run, checked
against the JSON Lines trace of the same run (--json in the same run):
one lane per process and thread, a zombie bar on each leaked child from
its zombie state to its reap, one SIGCHLD arrow for lab 6's merged exits,
an arrow per fork and per reap, each tooltip a line of the timeline; the
page is one file that fetches nothing; a replay draws the same files; a
20,000-fork run stays small by grouping its children."""

import html
import json
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

import tracelab

PAGE_MAX_BYTES = 10 * 1000 * 1000
LANES_MAX = 200


def events_of(jsonl):
    return [json.loads(line) for line in jsonl.read_text().splitlines()]


def plain(root):
    """Tags without the SVG namespace, which the .svg file declares and the page's inline SVG does not."""
    for el in root.iter():
        el.tag = el.tag.rsplit("}", 1)[-1]
    return root


def svg_in_page(html):
    """The picture inside the page, as XML (inline SVG needs no namespace)."""
    start = html.index('<svg class="picture"')
    return ET.fromstring(html[start:html.index("</svg>", start) + len("</svg>")])


def classes(el):
    return set(el.get("class", "").split())


def title(el):
    t = el.find("title")
    return t.text if t is not None else None


class Run:
    """One run of a lab with --json, --svg and --html together."""

    def __init__(self, trace_bin, tmp, *target, extra=()):
        self.dir = tmp
        self.jsonl, self.svg_path, self.html_path = tmp / "run.jsonl", tmp / "run.svg", tmp / "run.html"
        self.proc = subprocess.run([trace_bin, "-q", *extra, "--json", str(self.jsonl), "--svg", str(self.svg_path),
                                    "--html", str(self.html_path), *target],
                                   capture_output=True, text=True, timeout=300)
        assert self.proc.returncode in (0, 143), self.proc.stderr
        self.events = events_of(self.jsonl)
        self.svg = plain(ET.parse(self.svg_path).getroot())      # well-formed XML, or this raises
        self.html = self.html_path.read_text()
        self.page_svg = svg_in_page(self.html)

    def tasks(self):
        """(pid, tid) of every process and thread of the run, from the events."""
        head = self.events[0]
        found = {(head["pid"], head["tid"])}
        for e in self.events:
            if e["type"] == "spawn":
                found.add((e["child"], e["child"]) if e["kind"] == "process" else (e["pid"], e["child"]))
        return found

    def all(self, svg, cls):
        return [el for el in svg.iter() if cls <= classes(el)]

    def lanes(self, svg):
        return {(int(g.get("data-pid")), int(g.get("data-tid"))): g for g in self.all(svg, {"lane"})}


@pytest.fixture(scope="module")
def runs(tmp_path_factory, trace_bin):
    made = {}

    def run(*target):
        if target not in made:
            made[target] = Run(trace_bin, tmp_path_factory.mktemp("pic"), *target)
        return made[target]
    return run


LABS = [("lab5",), ("lab6",), ("lab1",), ("lab10",), ("lab10", "thread")]
IDS = ["lab5", "lab6", "lab1", "lab10", "lab10-thread"]


@pytest.mark.parametrize("target", LABS, ids=IDS)
def test_one_lane_per_task_of_the_run(runs, target):
    run = runs(*target)
    tasks = run.tasks()
    assert len(tasks) >= (1 if target == ("lab1",) else 2)   # lab 1's server makes nobody
    for svg in (run.svg, run.page_svg):
        lanes = run.lanes(svg)
        assert set(lanes) == tasks
        assert not run.all(svg, {"group"})          # few tasks: none grouped
        # the tree says each one's pid (and tid for a thread)
        for (pid, tid), g in lanes.items():
            words = "".join(g.find("text").itertext())
            assert (f"{pid}/{tid}" if pid != tid else f" {pid} ") in words


def test_a_zombie_bar_on_each_leaked_child_of_lab5(runs):
    run = runs("lab5")
    summary = run.events[-1]
    leaked = summary["zombies"]["leaked"]
    assert len(leaked) >= 2
    became = {e["pid"]: e["t"] for e in run.events if e["type"] == "state" and e["to"] == "zombie"}
    reaped = {e["child"]: e["t"] for e in run.events if e["type"] == "reap"}
    for svg in (run.svg, run.page_svg):
        lanes = run.lanes(svg)
        for pid in leaked:
            bars = [r for r in lanes[(pid, pid)].iter("rect") if {"bar", "zombie"} <= classes(r)]
            assert len(bars) == 1, pid
            # from the moment it became a zombie to the moment it was reaped (by the tracer)
            assert int(bars[0].get("data-t0")) == became[pid]
            assert int(bars[0].get("data-t1")) == reaped[pid]
            assert "is a zombie now" in title(bars[0])
        # and no zombie bar on a task that never was one
        zombie_lanes = {int(g.get("data-pid")) for g in run.all(svg, {"lane"})
                        if any({"bar", "zombie"} <= classes(r) for r in g.iter("rect"))}
        assert zombie_lanes == set(became)


def test_one_sigchld_arrow_for_the_merged_exits_of_lab6(runs):
    run = runs("lab6")
    release = [e for e in run.events if e["type"] == "hold" and e["what"] == "release"]
    signals = [e for e in run.events if e["type"] == "signal" and e["sig"] == "SIGCHLD"]
    assert len(release) == 1 and len(signals) == 1
    exits = release[0]["exits"]
    assert exits >= 2
    # the children that exited before the one signal was delivered
    children = {e["child"] for e in run.events if e["type"] == "spawn"}
    exited = {e["pid"] for e in run.events if e["type"] == "exit" and e["pid"] in children
              and e["t"] <= signals[0]["t"]}
    for svg in (run.svg, run.page_svg):
        arrows = [a for a in run.all(svg, {"arrow", "signal"}) if a.get("data-sig") == "SIGCHLD"]
        assert len(arrows) == 1
        a = arrows[0]
        assert int(a.get("data-merged")) == exits
        assert "merged" in classes(a)
        assert {int(p) for p in a.get("data-exits").split()} == exited
        assert int(a.get("data-to")) == signals[0]["tid"]
        # one line from each exit, and one more to the parent
        assert len(a.get("data-d").split(";")) == exits + 1
        assert a.get("d").count("M") == exits + 1
        assert "SIGCHLD" in title(a)


@pytest.mark.parametrize("target", LABS, ids=IDS)
def test_an_arrow_per_fork_and_per_reap(runs, target):
    run = runs(*target)
    spawns = sorted((e["tid"], e["child"]) for e in run.events if e["type"] == "spawn")
    reaps = sorted((e["child"], e["by"]) for e in run.events if e["type"] == "reap")
    assert spawns or target == ("lab1",)
    for svg in (run.svg, run.page_svg):
        drawn = sorted((int(a.get("data-from")), int(a.get("data-to"))) for a in run.all(svg, {"arrow", "spawn"})
                       if a.get("d", "").startswith("M") and a.get("data-d"))
        assert drawn == spawns
        drawn = sorted((int(a.get("data-from")), int(a.get("data-to"))) for a in run.all(svg, {"arrow", "reap"})
                       if a.get("data-d"))
        assert drawn == reaps


@pytest.mark.parametrize("target", [("lab1",), ("lab6",)], ids=["lab1", "lab6"])   # the labs that trace io
def test_a_blocked_bar_per_sleep_named_by_its_call(runs, target):
    """Each time a task slept in a call (a state event from "blocked"), its
    lane has a blocked bar over that time, which names the call."""
    run = runs(*target)
    sleeps = sorted((e["tid"], e["since"], e["t"], e["call"]) for e in run.events
                    if e["type"] == "state" and e["from"] == "blocked")
    assert sleeps
    for svg in (run.svg, run.page_svg):
        bars = []
        for (pid, tid), g in run.lanes(svg).items():
            for r in g.iter("rect"):
                if {"bar", "blocked"} <= classes(r):
                    call = re.match(r"[\d.]+ +\S+ +\S+ +(?:\| )*(\w+)\(", title(r)).group(1)
                    bars.append((tid, int(r.get("data-t0")), int(r.get("data-t1")), call))
        assert sorted(bars) == sleeps


@pytest.mark.parametrize("target", LABS, ids=IDS)
def test_every_tooltip_is_a_line_of_the_timeline(runs, target, trace_bin):
    """The text renderer is the oracle: the numbered timeline of the same
    trace. A bar, mark or arrow that stands for one event shows that
    event's line, word for word."""
    run = runs(*target)
    text = subprocess.run([trace_bin, "--replay", str(run.jsonl), "--numbered", "--color", "never"],
                          capture_output=True, text=True, timeout=60).stderr
    lines = {l.split("\t", 1)[1].strip() for l in text.splitlines() if re.match(r"\d+\t", l)}
    shown = 0
    for el in run.svg.iter():
        c = classes(el)
        if ("bar" in c and "dense" not in c and not el.get("data-count")) or "exec" in c or \
                ("arrow" in c and el.get("data-d") and not el.get("data-count")):
            if title(el) is not None:
                assert title(el) in lines, title(el)
                shown += 1
    assert shown >= max(1, sum(e["type"] == "spawn" for e in run.events))


@pytest.mark.parametrize("target", [("lab6",), ("lab10", "thread")], ids=["lab6", "lab10-thread"])
def test_the_page_is_one_file_that_fetches_nothing(runs, target):
    html = runs(*target).html
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"(?i)https?://", html)
    assert not re.search(r"(?i)\b(src|href|srcset|action)\s*=", html)
    assert not re.search(r"(?i)<link\b|@import|@font-face", html)
    assert all(u.startswith("#") for u in re.findall(r"url\(([^)]*)\)", html))
    assert html.count("<script>") == 1 and "</script>" in html
    assert '<pre id="line">' in html       # the panel that shows the line


@pytest.mark.parametrize("target", [("lab6",), ("lab10", "thread")], ids=["lab6", "lab10-thread"])
def test_replay_draws_the_same_files_as_the_live_run(runs, target, trace_bin, tmp_path):
    run = runs(*target)
    svg, html = tmp_path / "again.svg", tmp_path / "again.html"
    again = subprocess.run([trace_bin, "-q", "--replay", str(run.jsonl), "--svg", str(svg), "--html", str(html)],
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr
    assert svg.read_bytes() == run.svg_path.read_bytes()
    assert html.read_bytes() == run.html_path.read_bytes()


def test_the_lesson_and_the_diagnoses_are_above_the_picture(runs, trace_bin):
    run = runs("lab6")
    # the summary's own words are the oracle
    summary = subprocess.run([trace_bin, "-q", "--replay", str(run.jsonl), "--color", "never"],
                             capture_output=True, text=True, timeout=60).stderr
    lesson = summary.split("the lesson of this run:\n", 1)[1]
    words = " ".join(l.strip() for l in lesson.splitlines() if l.startswith("  "))
    wrong = summary.split("what went wrong:\n", 1)[1].split("the lesson of this run:")[0]
    wrong = " ".join(l.strip() for l in wrong.splitlines())
    page_top = html.unescape(run.html[:run.html.index('<svg class="picture"')])
    assert words in page_top and wrong in page_top
    assert page_top.index("the lesson of this run") < page_top.index('id="panel"')


def test_the_fd_sets_of_lab11_as_a_grid(runs):
    """A column per poll call, in order: the fds it watched, and the ones
    that came back ready, as the call's own line in the trace says."""
    run = runs("lab11")
    polls = [e for e in run.events if e["type"] == "syscall" and e["name"] == "poll"]
    assert len(polls) >= 10
    start = run.html.index('<svg class="fdgrid"')
    grid = ET.fromstring(run.html[start:run.html.index("</svg>", start) + len("</svg>")])
    cols = [g for g in grid.iter("g") if "mux-call" in classes(g)]
    assert len(cols) == min(len(polls), 400)
    for g, e in zip(cols, polls):
        watched = {f["fd"] for f in e["args"]["fds"]}
        ready = {f["fd"] for f in e["out"].get("fds", [])}
        cells = {c: {int(r.get("data-fd")) for r in g.iter("rect") if c in classes(r)} for c in ("in", "ready")}
        assert cells["ready"] == ready
        assert cells["in"] | cells["ready"] == watched
        assert int(g.get("data-t0")) == e["t"]


def test_twenty_thousand_forks_make_a_small_page_with_a_group_lane(tmp_path, trace_bin):
    """The bench's W1 workload (fork, exit, waitpid) 20,000 times: the page
    stays under 10 MB, with at most 200 lanes, the children that look
    alike grouped into one lane that says how many it stands for."""
    w1 = tmp_path / "w1_fork"
    subprocess.run(["gcc", "-O2", "-o", str(w1), str(tracelab.REPO / "bench" / "w1_fork.c")], check=True)
    jsonl, html = tmp_path / "w1.jsonl", tmp_path / "w1.html"
    run = subprocess.run([trace_bin, "-q", "--json", str(jsonl), "--html", str(html), "--", str(w1), "20000"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    events = events_of(jsonl)
    root = events[0]["pid"]
    forks = [e for e in events if e["type"] == "spawn"]
    assert len(forks) == 20000
    assert html.stat().st_size < PAGE_MAX_BYTES
    page = html.read_text()
    svg = svg_in_page(page)
    lanes = [g for g in svg.iter("g") if "lane" in classes(g)]
    assert len(lanes) <= LANES_MAX
    groups = [g for g in lanes if "group" in classes(g)]
    assert groups
    # every task is on a lane: its own, or counted by its group's
    assert sum(int(g.get("data-count", 1)) for g in lanes) == 20001
    label = "".join(groups[0].find("text").itertext())
    assert re.match(r"[\d,]+ more children of %d: forked, exited 0, reaped" % root, label), label
    assert not re.search(r"(?i)https?://", page)


def test_help_lists_the_pictures(trace_bin):
    out = subprocess.run([trace_bin, "--help"], capture_output=True, text=True).stdout
    assert re.search(r"^  --html FILE ", out, re.M) and re.search(r"^  --svg FILE ", out, re.M)


@pytest.mark.parametrize("args,words", [
    (["--html"], "--html needs a file name"),
    (["--svg"], "--svg needs a file name"),
    (["--html", "/nonexistent-folder/x.html", "--", "true"], "cannot write /nonexistent-folder/x.html"),
])
def test_a_picture_option_misused_says_what_to_do(trace_bin, args, words):
    run = subprocess.run([trace_bin, *args], capture_output=True, text=True, timeout=30)
    assert run.returncode == 2
    assert words in run.stderr and len(run.stderr.strip().splitlines()) == 1


def ns_of(label):
    """A tick's words as ns: "250 µs", "1.5 ms", "20 s", "1 min 40 s"."""
    m = re.fullmatch(r"(\d+) min (\d\d) s", label)
    if m:
        return (int(m.group(1)) * 60 + int(m.group(2))) * 10**9
    m = re.fullmatch(r"(\d+(?:\.\d+)?) (µs|ms|s)", label)
    assert m, label
    return round(float(m.group(1)) * {"µs": 10**3, "ms": 10**6, "s": 10**9}[m.group(2)])


@pytest.mark.parametrize("span_ns,unit", [(10**6, "ms"), (2 * 10**9, "s"), (180 * 10**9, "min")],
                         ids=["1ms", "2s", "3min"])
def test_the_time_axis_reads_well_from_a_millisecond_to_minutes(runs, trace_bin, tmp_path, span_ns, unit):
    """A trace of that length (its first line, then a summary that late):
    ticks from 0, evenly spaced by 1, 2 or 5 times a power of ten, in
    words that fit the length."""
    first = runs("lab6").jsonl.read_text().splitlines()[0]
    summary = {"type": "summary", "t": span_ns, "pid": 1, "tid": 1, "exit": 0, "processes": 1, "threads": 0,
               "signals": {}, "zombies": {"leaked": []}, "tree": [], "diagnoses": [], "facts": {}}
    jsonl, svg = tmp_path / "t.jsonl", tmp_path / "t.svg"
    jsonl.write_text(first + "\n" + json.dumps(summary) + "\n")
    run = subprocess.run([trace_bin, "-q", "--replay", str(jsonl), "--svg", str(svg)], capture_output=True, timeout=30)
    assert run.returncode == 0, run.stderr
    root = plain(ET.parse(svg).getroot())
    labels = [t.text for t in root.iter("text") if "tick-label" in classes(t)]
    assert 4 <= len(labels) <= 16
    assert any(unit in l for l in labels[1:])
    ticks = [ns_of(l) for l in labels]
    step = ticks[1] - ticks[0]
    assert ticks[0] == 0 and all(b - a == step for a, b in zip(ticks, ticks[1:]))
    assert re.fullmatch(r"[125]0*", str(step))
    assert ticks[-1] <= span_ns < ticks[-1] + step


@pytest.mark.parametrize("target", [("lab7",), ("lab4",)], ids=["lab7", "lab4"])
def test_each_handler_run_is_marked_on_its_lane(runs, target):
    """From the signal whose action is "handler" to that handler's
    rt_sigreturn, on the lane of the thread that ran it."""
    run = runs(*target)
    starts = sorted((e["tid"], e["t"]) for e in run.events if e["type"] == "signal" and e["action"] == "handler")
    ends = sorted((e["tid"], e["t"]) for e in run.events if e["type"] == "syscall" and e["name"] == "rt_sigreturn")
    assert len(starts) == len(ends) >= 1
    for svg in (run.svg, run.page_svg):
        runs_drawn = sorted((tid, int(r.get("data-t0")), int(r.get("data-t1")))
                            for (pid, tid), g in run.lanes(svg).items()
                            for r in g.iter("rect") if {"bar", "handler"} <= classes(r))
        assert [(tid, t0) for tid, t0, t1 in runs_drawn] == starts
        assert sorted((tid, t1) for tid, t0, t1 in runs_drawn) == ends
        assert all("runs the handler" in title(r) for g in run.lanes(svg).values()
                   for r in g.iter("rect") if {"bar", "handler"} <= classes(r))


def test_bytes_that_are_not_utf8_are_drawn_as_the_json_writes_them(trace_bin, tmp_path):
    """A program's argv may hold any bytes: the picture writes U+FFFD for
    each byte that is not UTF-8, as the JSON Lines do, so the SVG stays
    XML and the replayed picture is the live one."""
    jsonl, svg, again = tmp_path / "run.jsonl", tmp_path / "run.svg", tmp_path / "again.svg"
    run = subprocess.run([trace_bin, "-q", "--json", str(jsonl), "--svg", str(svg), "--", "/bin/sh", "-c",
                          b"exec /bin/true \xff\xfe ok"], capture_output=True, timeout=60)
    assert run.returncode == 0, run.stderr
    root = plain(ET.parse(svg).getroot())
    marks = [title(r) for r in root.iter("rect") if "exec" in classes(r) and title(r)]
    assert any("\ufffd\ufffd ok" in m for m in marks), marks
    replay = subprocess.run([trace_bin, "-q", "--replay", str(jsonl), "--svg", str(again)], capture_output=True,
                            timeout=60)
    assert replay.returncode == 0 and again.read_bytes() == svg.read_bytes()
