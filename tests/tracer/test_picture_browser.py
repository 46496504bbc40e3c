"""The page of a run (./trace --html) in a real browser: headless
Chromium loads it from file:// with no network, runs its script, and the
DOM it ends with holds what the run's JSON Lines say (a lane per task, a
zombie bar on each leaked child of lab 5, one SIGCHLD arrow for lab 6's
merged exits); no console message; an address with #t=START-END opens the
page zoomed there; the screenshot is not blank."""

import json
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make test installs it)")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
         "--enable-logging=stderr", "--v=0"]


def chromium(url, *what):
    """Run headless Chromium on url with a fresh profile: (stdout, the
    console messages the page logged)."""
    with tempfile.TemporaryDirectory() as profile:
        run = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *what, url],
                             capture_output=True, text=True, timeout=120)
    console = [l for l in run.stderr.splitlines() if ":CONSOLE" in l]
    return run.stdout, console


def png_pixels(path):
    """(width, height, rows of RGB(A) bytes) of a PNG, unfiltered (8 bits a channel)."""
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + size]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6)
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + size
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pred = [0, a, b, (a + b) // 2,
                    a if abs(p - a) <= abs(p - b) and abs(p - a) <= abs(p - c) else b if abs(p - b) <= abs(p - c) else c]
            line[i] = (line[i] + pred[kind]) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


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
            dom, console = chromium((d / "run.html").as_uri(), "--dump-dom")
            made[lab] = (d, events, dom, console)
        return made[lab]
    return page


def tags(dom, cls):
    """The start tags of the elements whose class list holds every word of cls."""
    found = []
    for m in re.finditer(r"<(rect|path|g)\b([^>]*)>", dom):
        c = re.search(r'class="([^"]*)"', m.group(2))
        if c and set(cls.split()) <= set(c.group(1).split()):
            found.append(dict(re.findall(r'([\w-]+)="([^"]*)"', m.group(2))))
    return found


@pytest.mark.parametrize("lab", ["lab5", "lab6"])
def test_the_page_runs_in_chromium_without_a_console_message(pages, lab):
    d, events, dom, console = pages(lab)
    assert console == []
    assert "<svg" in dom and 'id="axis"' in dom
    # the script drew the axis again (its ticks) and left the picture whole
    assert re.search(r'class="tick-label"[^>]*>0 ms<', dom)


@pytest.mark.parametrize("lab", ["lab5", "lab6"])
def test_the_dom_holds_a_lane_per_task(pages, lab):
    d, events, dom, console = pages(lab)
    tasks = {(events[0]["pid"], events[0]["tid"])}
    tasks |= {(e["child"], e["child"]) if e["kind"] == "process" else (e["pid"], e["child"])
              for e in events if e["type"] == "spawn"}
    lanes = {(int(g["data-pid"]), int(g["data-tid"])) for g in tags(dom, "lane")}
    assert lanes == tasks and len(tasks) >= 4


def test_the_dom_holds_a_zombie_bar_on_each_leaked_child_of_lab5(pages):
    d, events, dom, console = pages("lab5")
    leaked = events[-1]["zombies"]["leaked"]
    assert leaked
    became = {e["pid"]: e["t"] for e in events if e["type"] == "state" and e["to"] == "zombie"}
    bars = {int(b["data-t0"]) for b in tags(dom, "bar zombie") if "data-t0" in b}
    assert {became[pid] for pid in leaked} <= bars


def test_the_dom_holds_one_sigchld_arrow_for_the_merged_exits_of_lab6(pages):
    d, events, dom, console = pages("lab6")
    exits = [e["exits"] for e in events if e["type"] == "hold" and e["what"] == "release"]
    arrows = [a for a in tags(dom, "arrow signal") if a.get("data-sig") == "SIGCHLD"]
    assert len(exits) == 1 and len(arrows) == 1
    assert int(arrows[0]["data-merged"]) == exits[0] >= 2


def test_an_address_with_a_time_range_opens_the_page_zoomed_there(pages):
    """#t=START-END (seconds): each bar is drawn again where that view puts it."""
    d, events, dom, console = pages("lab5")
    svg = re.search(r'<svg class="picture"[^>]*>', dom).group(0)
    plot_x, plot_w = (float(re.search(f'{k}="([^"]*)"', svg).group(1)) for k in ("data-plot-x", "data-plot-w"))
    zombie = tags(dom, "bar zombie")[0]
    t0 = int(zombie["data-t0"])
    v0, v1 = (t0 - 2_000_000) / 1e9, (t0 + 8_000_000) / 1e9     # 10 ms around the zombie's start
    zoomed, console = chromium((d / "run.html").as_uri() + f"#t={v0:.9f}-{v1:.9f}", "--dump-dom")
    assert console == []
    bar = next(b for b in tags(zoomed, "bar zombie") if int(b["data-t0"]) == t0)
    assert float(bar["x"]) == pytest.approx(plot_x + (t0 / 1e9 - v0) * plot_w / (v1 - v0), abs=0.5)
    ticks = re.findall(r'class="tick-label"[^>]*>([^<]*)<', zoomed)
    assert ticks and all(t.endswith("ms") for t in ticks) and "0 ms" not in ticks


def test_a_screenshot_of_the_page_is_not_blank(pages, tmp_path):
    d, events, dom, console = pages("lab6")
    png = tmp_path / "page.png"
    _, console = chromium((d / "run.html").as_uri(), f"--screenshot={png}", "--window-size=1400,900")
    assert console == []
    width, height, bpp, rows = png_pixels(png)
    assert (width, height) == (1400, 900)
    pixels = [r[i:i + 3] for r in rows[::7] for i in range(0, len(r), bpp)]
    assert len(set(pixels)) >= 8                                 # bars, words, arrows: many colours
    assert pixels.count(b"\xff\xff\xff") < 0.95 * len(pixels)    # and not a white page
