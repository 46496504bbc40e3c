"""The words of a picture are never cut, in English or Vietnamese (whose
words are longer): each line of the tree on the left (a task, or a group
lane past 200 tasks) is whole, and the tree is as wide as its longest line
needs, so that a browser draws every line left of the plot and every text
inside the picture.

Runs: 400 forks (a group lane of children), 250 threads (a group lane of
threads), and orphans (a deep tree whose lines say how each was reaped)."""

import json
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

import chromium
import tracelab

SVG = "{http://www.w3.org/2000/svg}"
ELLIPSIS = "\u2026"
# How a group of children says they ended, whole, in each language.
GROUP_END = {"en": "exited 0, reaped", "vi": "đã thoát 0, đã được thu dọn"}


def trace(trace_bin, *args):
    run = subprocess.run([trace_bin, "-q", *args], capture_output=True, text=True, timeout=300,
                         stdin=subprocess.DEVNULL)
    assert run.returncode == 0, run.stderr
    return run


@pytest.fixture(scope="module")
def pictures(tmp_path_factory, trace_bin, cli_progs):
    """{(run, lang): (svg path, html path)}, each run recorded once and drawn
    in both languages."""
    d = tmp_path_factory.mktemp("labels")
    w1 = d / "w1_fork"
    subprocess.run(["gcc", "-O2", "-o", str(w1), str(tracelab.REPO / "bench" / "w1_fork.c")], check=True)
    runs = {"forks": [str(w1), "400"], "threads": [str(cli_progs / "threadloop"), "250"],
            "orphans": [str(cli_progs / "orphans")]}
    out = {}
    for name, cmd in runs.items():
        trace(trace_bin, "--json", str(d / f"{name}.jsonl"), "--", *cmd)
        for lang in ("en", "vi"):
            svg, html = d / f"{name}-{lang}.svg", d / f"{name}-{lang}.html"
            trace(trace_bin, "--replay", str(d / f"{name}.jsonl"), "--lang", lang, "--svg", str(svg),
                  "--html", str(html))
            out[name, lang] = svg, html
    return out


def tree_lines(svg_path):
    """(classes of the lane, the words drawn, the tooltip) of each lane."""
    root = ET.parse(svg_path).getroot()
    lines = []
    for g in root.iter(SVG + "g"):
        if "lane" not in g.get("class", "").split():
            continue
        text = g.find(SVG + "text")
        title = text.find(SVG + "title")
        lines.append((g.get("class").split(), text.text or "", title.text if title is not None else ""))
    return root, lines


CASES = [(run, lang) for run in ("forks", "threads", "orphans") for lang in ("en", "vi")]


@pytest.mark.parametrize("run, lang", CASES)
def test_every_tree_line_is_whole(pictures, run, lang):
    """The tooltip of a tree line starts with the line's whole words: the
    line drawn must be all of them, with no ellipsis."""
    _, lines = tree_lines(pictures[run, lang][0])
    assert lines
    cut = [(words, title) for _, words, title in lines if ELLIPSIS in words or not title.startswith(words + ": ")]
    assert cut == [], cut[:3]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_group_lane_says_how_its_children_ended_whole(pictures, lang):
    _, lines = tree_lines(pictures["forks", lang][0])
    groups = [words for classes, words, _ in lines if "group" in classes]
    assert groups and all(words.endswith(GROUP_END[lang]) for words in groups), groups


def test_the_tree_widens_for_longer_words_only(pictures):
    """The Vietnamese tree is wider than the English one where its lines
    are longer, and the plot keeps its width: only the picture grows."""
    def sizes(run, lang):
        root, _ = tree_lines(pictures[run, lang][0])
        return int(root.get("data-plot-x")), int(root.get("data-plot-w")), int(root.get("width"))
    for run in ("forks", "orphans"):
        (x_en, w_en, width_en), (x_vi, w_vi, width_vi) = sizes(run, "en"), sizes(run, "vi")
        assert x_vi > x_en and w_vi == w_en and width_vi - width_en == x_vi - x_en


# In the browser: every tree line ends left of the plot, and every text of
# the picture but a bar's (clipped to the plot on purpose) ends inside it.
MEASURE = """
var svg = document.querySelector('svg.picture'), plotX = +svg.getAttribute('data-plot-x');
var width = svg.viewBox.baseVal.width, out = {tree: [], outside: []};
document.querySelectorAll('svg.picture text').forEach(function (t) {
  if (t.closest('g.bars')) return;
  var box = t.getBBox(), m = t.getCTM(), right = m.a * (box.x + box.width) + m.e;
  var words = t.firstChild ? t.firstChild.nodeValue : '';
  if (t.classList.contains('task') && right > plotX) out.tree.push([words, right, plotX]);
  if (right > width || m.a * box.x + m.e < 0) out.outside.push([words, right, width]);
});
return JSON.stringify(out);
"""


@pytest.mark.parametrize("what", ["page", "svg"])
@pytest.mark.parametrize("run, lang", CASES)
def test_the_browser_draws_every_line_inside_its_room(pictures, run, lang, what, tmp_path):
    """The page (after its script drew the axis again) and the SVG as the
    tracer wrote it (in a bare page: an axis label at the last tick must not
    pass the right edge)."""
    svg, html = pictures[run, lang]
    if what == "svg":
        html = tmp_path / "bare.html"
        html.write_text("<!DOCTYPE html><html><body>" + svg.read_text(encoding="utf-8") + "</body></html>",
                        encoding="utf-8")
    page = chromium.load(html, probe=MEASURE)
    assert not page.probe.startswith("probe failed"), page.probe
    seen = json.loads(page.probe)
    assert seen["tree"] == [] and seen["outside"] == [], seen
