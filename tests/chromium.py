"""Headless Chromium for the tests of the pictures (./trace --html).

A page is loaded from file:// only, in a fresh profile, with nothing fetched
from the network. What a test gets back:

    page = load(path)            # the DOM after the page's scripts ran,
    page.dom, page.console       # and every console line it printed
    png = screenshot(path)       # a PNG of the page, as bytes
    ink(png)                     # how much of it is not background

A test that needs more than the DOM after load (a hover, a zoom) passes a
`probe`: JavaScript appended to a copy of the page, run after the page's
own scripts, that writes what it saw into the DOM for the test to read.

Only the standard library: there is no PyPI here, so no Selenium and no
websocket client; --dump-dom and --screenshot are enough.

When Chromium is missing the tests are skipped, except under `make test`,
which installs it and sets TRACELAB_REQUIRE_BROWSER=1 so a missing browser
fails rather than passes silently.
"""

import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

# The flags: no sandbox (we run as root), no GPU, nothing fetched.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--no-first-run",
         "--disable-extensions", "--disable-sync", "--hide-scrollbars",
         "--no-default-browser-check", "--disable-component-update"]
# Long enough for a 10 MB page on a slow machine; a hung browser is killed.
TIMEOUT_S = 120
# Lets the page's timers and animation frames run before the DOM is read.
VIRTUAL_TIME_MS = 3000
# Chromium prints every console message of the page on stderr like this.
CONSOLE_LINE = re.compile(r":CONSOLE(?:\(\d+\))?:?\d*\]\s*(.*)")
PROBE_OUT_ID = "tracelab-probe"


def chromium():
    """The browser's path, or skip (fail under make test) when missing."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    if os.environ.get("TRACELAB_REQUIRE_BROWSER") == "1":
        pytest.fail("chromium is missing: run `make deps` (as root it installs Debian's chromium)")
    pytest.skip("chromium is not installed (`make test` installs it)")


@dataclass
class Page:
    dom: str          # the document after load, as Chromium serialises it
    console: list     # every console message the page printed, in order
    probe: str        # what the probe wrote into #tracelab-probe, or ""


def _run(args):
    """Run Chromium in a fresh profile and session; kill its whole tree on
    timeout so no renderer is left behind."""
    with tempfile.TemporaryDirectory(prefix="tracelab-chromium-") as profile:
        cmd = [chromium(), *FLAGS, f"--user-data-dir={profile}", *args]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        try:
            out, err = proc.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            pytest.fail(f"chromium did not finish within {TIMEOUT_S} s: {' '.join(args)}")
        finally:
            try:   # the browser's helpers share its session: none may outlive it
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    return out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def _with_probe(path, probe, workdir):
    """A copy of the page with the probe appended, in workdir."""
    text = Path(path).read_text(encoding="utf-8")
    script = ("<script>(function(){var out=document.createElement('pre');"
              f"out.id='{PROBE_OUT_ID}';document.body.appendChild(out);"
              "try{out.textContent=String((function(){" + probe + "})());}"
              "catch(e){out.textContent='probe failed: '+e;}})();</script>")
    at = text.rfind("</body>")
    text = text[:at] + script + text[at:] if at >= 0 else text + script
    copy = Path(workdir) / Path(path).name
    copy.write_text(text, encoding="utf-8")
    return copy


def load(path, probe=None):
    """Load the page at path from file:// and return its DOM and console.
    probe: JavaScript (a function body whose return value is kept)."""
    with tempfile.TemporaryDirectory(prefix="tracelab-page-") as work:
        target = _with_probe(path, probe, work) if probe else Path(path)
        out, err = _run(["--enable-logging=stderr", "--v=0",
                         f"--virtual-time-budget={VIRTUAL_TIME_MS}",
                         "--dump-dom", target.resolve().as_uri()])
    console = [m.group(1) for m in map(CONSOLE_LINE.search, err.splitlines()) if m]
    found = re.search(rf'<pre id="{PROBE_OUT_ID}">(.*?)</pre>', out, re.S)
    return Page(dom=out, console=console, probe=_unescape(found.group(1)) if found else "")


def _unescape(text):
    return (text.replace("&lt;", "<").replace("&gt;", ">")
                .replace("&quot;", '"').replace("&amp;", "&"))


def screenshot(path, width=1200, height=800):
    """A PNG of the page at path, as bytes."""
    with tempfile.TemporaryDirectory(prefix="tracelab-shot-") as work:
        png = Path(work) / "shot.png"
        _run([f"--window-size={width},{height}", f"--virtual-time-budget={VIRTUAL_TIME_MS}",
              f"--screenshot={png}", Path(path).resolve().as_uri()])
        if not png.exists():
            pytest.fail(f"chromium wrote no screenshot of {path}")
        return png.read_bytes()


def _pixels(png):
    """(width, height, rows of RGB tuples) of an 8-bit RGB or RGBA PNG."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour = header[:4]
    if depth != 8 or colour not in (2, 6):
        raise ValueError(f"PNG of depth {depth}, colour type {colour}: only 8-bit RGB(A) is read")
    bpp = 3 if colour == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):   # undo the row's filter (PNG spec, section 9)
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(width)])
        prev = line
    return width, height, rows


def ink(png):
    """The share of pixels (0 to 1) that differ from the page's most common
    colour, and the number of distinct colours: a blank page has 0 and 1."""
    _, _, rows = _pixels(png)
    counts = {}
    for row in rows:
        for px in row:
            counts[px] = counts.get(px, 0) + 1
    total = sum(counts.values())
    return 1 - max(counts.values()) / total, len(counts)
