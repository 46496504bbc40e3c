"""The page of a run (./trace --html) in a real browser: headless Chromium
(tests/chromium.py) loads it from file:// with nothing fetched, runs its
script, and the DOM it ends with holds what the run's JSON Lines say (a
lane per task, a zombie bar on each leaked child of lab 5, one SIGCHLD
arrow for lab 6's merged exits), with no console message; pointing at a
bar shows its timeline line in the panel, a click keeps it; the wheel
zooms the time axis and leaves the words their size, a drag pans, an
address with #t=START-END zooms there; the screenshot is not blank."""

import json
import re
import subprocess

import pytest

import chromium


@pytest.fixture(scope="module")
def pages(tmp_path_factory, trace_bin):
    made = {}

    def page(lab):
        if lab not in made:
            d = tmp_path_factory.mktemp(lab)
            run = subprocess.run([trace_bin, "-q", "--json", str(d / "run.jsonl"), "--html", str(d / "run.html"), lab],
                                 capture_output=True, text=True, timeout=120)
            assert run.returncode == 0, run.stderr
            events = [json.loads(l) for l in (d / "run.jsonl").read_text().splitlines()]
            made[lab] = (d / "run.html", events, chromium.load(d / "run.html"))
        return made[lab]
    return page


def tags(dom, cls):
    """The attributes of the elements whose class list holds every word of cls."""
    found = []
    for m in re.finditer(r"<(rect|path|g)\b([^>]*)>", dom):
        c = re.search(r'class="([^"]*)"', m.group(2))
        if c and set(cls.split()) <= set(c.group(1).split()):
            found.append(dict(re.findall(r'([\w-]+)="([^"]*)"', m.group(2))))
    return found


def probe(path, body):
    """Run body (JavaScript returning a JSON-able value) after the page's script."""
    got = chromium.load(path, probe="return JSON.stringify((function(){" + body + "})());")
    assert got.console == [], got.console
    assert not got.probe.startswith("probe failed"), got.probe
    return json.loads(got.probe)


@pytest.mark.parametrize("lab", ["lab5", "lab6"])
def test_the_page_runs_without_a_console_message(pages, lab):
    path, events, page = pages(lab)
    assert page.console == []
    # the script drew the axis again, from 0 (in ms, or in s for a slow run)
    assert re.search(r'class="tick-label"[^>]*>0 (?:µs|ms|s)<', page.dom)


@pytest.mark.parametrize("lab", ["lab5", "lab6"])
def test_the_dom_holds_a_lane_per_task(pages, lab):
    path, events, page = pages(lab)
    tasks = {(events[0]["pid"], events[0]["tid"])}
    tasks |= {(e["child"], e["child"]) if e["kind"] == "process" else (e["pid"], e["child"])
              for e in events if e["type"] == "spawn"}
    lanes = {(int(g["data-pid"]), int(g["data-tid"])) for g in tags(page.dom, "lane")}
    assert lanes == tasks and len(tasks) >= 4


def test_the_dom_holds_a_zombie_bar_on_each_leaked_child_of_lab5(pages):
    path, events, page = pages("lab5")
    leaked = events[-1]["zombies"]["leaked"]
    assert leaked
    became = {e["pid"]: e["t"] for e in events if e["type"] == "state" and e["to"] == "zombie"}
    bars = {int(b["data-t0"]) for b in tags(page.dom, "bar zombie") if "data-t0" in b}
    assert {became[pid] for pid in leaked} <= bars


def test_the_dom_holds_one_sigchld_arrow_for_the_merged_exits_of_lab6(pages):
    path, events, page = pages("lab6")
    exits = [e["exits"] for e in events if e["type"] == "hold" and e["what"] == "release"]
    arrows = [a for a in tags(page.dom, "arrow signal") if a.get("data-sig") == "SIGCHLD"]
    assert len(exits) == 1 and len(arrows) == 1
    assert int(arrows[0]["data-merged"]) == exits[0] >= 2


ZOMBIES = "var bars = document.querySelectorAll('#view rect.bar.zombie[data-t0]');"
TITLE = "function title(el) { return el.querySelector('title').textContent; }"


def test_pointing_at_a_bar_shows_its_line_and_a_click_keeps_it(pages, trace_bin):
    path, events, page = pages("lab5")
    got = probe(path, ZOMBIES + TITLE + """
        var line = document.getElementById('line'), seen = {};
        bars[0].dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
        seen.hover = line.textContent;
        bars[0].dispatchEvent(new MouseEvent('click', {bubbles: true}));
        bars[1].dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
        seen.kept = line.textContent;
        seen.picked = bars[0].classList.contains('picked');
        seen.first = title(bars[0]); seen.second = title(bars[1]);
        return seen;""")
    # the oracle: the timeline of the same trace, as the text renderer prints it
    text = subprocess.run([trace_bin, "--replay", str(path.with_suffix(".jsonl")), "--color", "never", "--numbered"],
                          capture_output=True, text=True, timeout=60).stderr
    lines = {l.split("\t", 1)[1].strip() for l in text.splitlines() if re.match(r"\d+\t", l)}
    assert got["hover"] == got["first"] and got["first"] in lines and "is a zombie now" in got["first"]
    assert got["kept"] == got["first"] != got["second"] and got["picked"]


PLOT = """var svg = document.querySelector('#view svg.picture'), r = svg.getBoundingClientRect();
    var px = +svg.getAttribute('data-plot-x'), pw = +svg.getAttribute('data-plot-w');
    function ticks() { return Array.prototype.map.call(document.querySelectorAll('#axis .tick-label'),
                                                       function (t) { return t.textContent; }); }"""


def test_the_wheel_zooms_time_only_and_a_drag_pans(pages):
    path, events, page = pages("lab5")
    got = probe(path, ZOMBIES + PLOT + """
        var bar = bars[0], label = document.querySelector('#view .task'), seen = {};
        seen.w0 = +bar.getAttribute('width'); seen.h0 = +bar.getAttribute('height');
        seen.font0 = getComputedStyle(label).fontSize; seen.ticks0 = ticks();
        svg.dispatchEvent(new WheelEvent('wheel', {deltaY: -500, clientX: r.left + px + pw / 2,
                                                   clientY: r.top + 60, bubbles: true, cancelable: true}));
        seen.w1 = +bar.getAttribute('width'); seen.h1 = +bar.getAttribute('height');
        seen.font1 = getComputedStyle(label).fontSize; seen.ticks1 = ticks(); seen.hash = location.hash;
        var x1 = +bar.getAttribute('x');
        svg.dispatchEvent(new MouseEvent('mousedown', {clientX: r.left + 700, clientY: r.top + 60, bubbles: true}));
        window.dispatchEvent(new MouseEvent('mousemove', {clientX: r.left + 800, clientY: r.top + 60}));
        window.dispatchEvent(new MouseEvent('mouseup', {}));
        seen.moved = +bar.getAttribute('x') - x1;
        return seen;""")
    # deltaY -500: the span shrinks by e (page.js: exp(deltaY * 0.002)), so bars widen by e
    assert got["w1"] / got["w0"] == pytest.approx(2.71828, rel=0.01)
    assert got["h1"] == got["h0"] and got["font1"] == got["font0"]   # time only: heights and words stay
    assert got["ticks1"] != got["ticks0"] and got["ticks1"][0] != "0 ms"
    assert re.fullmatch(r"#t=[\d.]+-[\d.]+", got["hash"])
    assert got["moved"] == pytest.approx(100, abs=0.5)


def test_an_address_with_a_time_range_zooms_there(pages):
    """#t=START-END (seconds): each bar is drawn again where that view puts it."""
    path, events, page = pages("lab5")
    zombie = tags(page.dom, "bar zombie")[0]
    t0 = int(zombie["data-t0"])
    t_end = int(re.search(r'data-t-end="(\d+)"', page.dom).group(1))
    v1 = min(t0 + 4_000_000, t_end) / 1e9          # 10 ms around the zombie's start, inside the run
    v0 = v1 - 0.010
    got = probe(path, ZOMBIES + PLOT + f"""
        location.hash = '#t={v0:.9f}-{v1:.9f}';
        window.dispatchEvent(new HashChangeEvent('hashchange'));
        return {{x: +bars[0].getAttribute('x'), t0: +bars[0].getAttribute('data-t0'), px: px, pw: pw,
                 ticks: ticks()}};""")
    assert got["t0"] == t0
    assert got["x"] == pytest.approx(got["px"] + (t0 / 1e9 - v0) * got["pw"] / (v1 - v0), abs=0.5)
    assert got["ticks"] and all(t.endswith("ms") for t in got["ticks"]) and "0 ms" not in got["ticks"]


def test_a_screenshot_of_the_page_is_not_blank(pages):
    path, events, page = pages("lab6")
    share, colours = chromium.ink(chromium.screenshot(path, 1400, 900))
    assert colours >= 8          # bars, words, arrows: many colours
    assert share > 0.05          # and not a white page
