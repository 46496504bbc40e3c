"""Long names, paths and arguments are never cut in the middle of a
character, and never cut without a word: where a column or a label must
be short, the cut falls between letters and "…" marks it; everywhere
else (the JSON, the timeline's lines, a picture's tooltips) the text is
whole. Vietnamese letters take two and three bytes, so a cut at a fixed
number of bytes would land inside one."""

import json
import re
import shutil
import subprocess

import pytest

CUT = "\u2026"
# 2 + 3 * 40 bytes: a cut after 31 bytes (a 32-byte name field) or after
# 8 or 10 bytes (the timeline's name column) falls inside an "ệ".
NAME = "xx" + "ệ" * 40
ARG = "đối_số_" * 100          # 1,700 bytes, more than any fixed buffer held


@pytest.fixture(scope="module")
def outputs(tmp_path_factory, trace_bin):
    d = tmp_path_factory.mktemp("long")
    prog = d / NAME
    shutil.copy("/bin/true", prog)
    files = {k: d / f for k, f in (("text", "timeline.txt"), ("json", "run.jsonl"), ("svg", "run.svg"),
                                   ("html", "run.html"), ("perfetto", "run.json"))}
    run = subprocess.run([trace_bin, "--color", "never", "-o", str(files["text"]), "--json", str(files["json"]),
                          "--svg", str(files["svg"]), "--html", str(files["html"]), "--perfetto",
                          str(files["perfetto"]), "--", str(prog), ARG], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return files


@pytest.mark.parametrize("kind", ["text", "json", "svg", "html", "perfetto"])
def test_every_output_is_whole_utf8(outputs, kind):
    text = outputs[kind].read_bytes().decode("utf-8")   # strict: a split character raises here
    assert "\ufffd" not in text                        # nor was one replaced on the way


def test_the_json_has_the_name_and_argument_whole(outputs):
    events = [json.loads(line) for line in outputs["json"].read_text().splitlines()]
    exe = next(e for e in events if e["type"] == "exec")
    assert exe["name"] == NAME and exe["argv"][1] == ARG
    assert NAME in [n["name"] for n in next(e for e in events if e["type"] == "summary")["tree"]]


def test_the_timeline_marks_the_name_it_cuts_and_keeps_the_argument(outputs):
    text = outputs["text"].read_text()
    exec_line = next(line for line in text.splitlines() if re.search(r" exec( |$)", line))
    column = exec_line.split()[2]
    assert column == "xx" + "ệ" * 5 + CUT            # 8 characters: 7 and the mark
    assert ARG in "".join(line.strip() for line in text.splitlines())   # wrapped, not cut


def test_the_picture_marks_a_cut_name_and_keeps_the_lines(outputs):
    svg = outputs["svg"].read_text()
    lanes = re.findall(r'<text class="task[^"]*"[^>]*>([^<]*)', svg)
    assert len(lanes) == 1 and lanes[0].startswith("xx") and CUT in lanes[0]
    titles = "".join(re.findall(r"<title>([^<]*)", svg))
    assert ARG in titles                              # the exec line, whole, as a tooltip


def test_perfetto_names_the_process_whole(outputs):
    trace = json.loads(outputs["perfetto"].read_text())
    names = {e["args"]["name"] for e in trace["traceEvents"] if e.get("name") == "process_name"}
    assert names == {NAME}
