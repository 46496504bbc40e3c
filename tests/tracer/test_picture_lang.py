"""The pictures in Vietnamese (./trace --lang vi --svg/--html, or the
environment): a run recorded in English and replayed with --lang vi draws
a picture whose every word is Vietnamese (the heading, tree, legend,
merged SIGCHLD, group lanes, fd grid, the page's panel hint and its
<html lang>), a browser shows it so with no console message, and a live
run and its replay in one language give the same bytes. English stays
the default.

The word checks can fail: the same checker, run on the English picture,
finds its English words and misses the Vietnamese ones."""

import json
import os
import re
import subprocess

import pytest

import chromium
import tracelab

# Words of lab 6's picture (and the page) in Vietnamese, and the English
# ones that must be gone: the heading, tree labels, merge count, legend,
# lesson and diagnosis headings, the panel hint.
VIETNAMESE = ["tác vụ", "bị SIGTERM giết", "đã thoát 0, được", "thu dọn", "ZOMBIE BỊ BỎ SÓT",
              "lần thoát, 1 tín hiệu", "đang chạy", "bị chặn trong một lời gọi", "bị dừng",
              "zombie (đã thoát, chưa được thu dọn)", "lời gọi không bao giờ trả về",
              "trong trình xử lý tín hiệu", "nhiều, quá ngắn để vẽ", "tín hiệu (SIGCHLD gộp",
              "thu dọn (wait)", "bài học của lần chạy này:", "điều gì đã sai:"]
ENGLISH = [" tasks,", "killed by", "exited", "reaped", "LEAKED", "exits, 1 signal", "running",
           "blocked", "stopped", "never returned", "signal handler", "too short to draw",
           "merged SIGCHLD", "reap (wait)", "the lesson of this run", "what went wrong",
           "Point at", "Wheel", "double click", "the picture of a run", "children exited"]
PAGE_VIETNAMESE = ["Trỏ vào hoặc nhấp vào bất cứ thứ gì", "nhấp đúp: cả lần chạy"]
GRID_VIETNAMESE = ["Các tập fd của mỗi lời gọi select, poll và epoll_wait", "Mỗi cột một lời gọi",
                   "được theo dõi", "trả về sẵn sàng"]
GRID_ENGLISH = ["The fd sets", "A column per call", "watched", "came back ready", "Point at a column"]
LANGUAGE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def env_without_language(**more):
    env = {k: v for k, v in os.environ.items() if k not in LANGUAGE_VARS}
    env.update(more)
    return env


def trace(trace_bin, *args, env=None):
    run = subprocess.run([trace_bin, "-q", *args], capture_output=True, text=True, timeout=300,
                         env=env or env_without_language())
    assert run.returncode in (0, 143), run.stderr
    return run


def words(markup):
    """What a person reads in an SVG or a page, in one line: the text of its
    elements, without tooltips (<title>: the timeline's own lines, tested
    in test_lang.py), styles and scripts; entities read as characters."""
    for tag in ("title", "style", "script"):
        markup = re.sub(rf"<{tag}\b[^>]*>.*?</{tag}>", " ", markup, flags=re.S)
    text = " ".join(re.findall(r">([^<>]*)<", markup))
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    return " ".join(text.split())


def wrong_words(text, want, unwanted):
    """(the wanted words missing, the unwanted ones present)."""
    return [w for w in want if w not in text], [w for w in unwanted if w in text]


@pytest.fixture(scope="module")
def lab6(tmp_path_factory, trace_bin):
    """Lab 6 run in English (--json, --svg, --html), replayed in Vietnamese
    with --lang vi and with LANGUAGE=vi under LANG=C.UTF-8."""
    d = tmp_path_factory.mktemp("lab6-lang")
    trace(trace_bin, "--json", str(d / "run.jsonl"), "--svg", str(d / "en.svg"), "--html", str(d / "en.html"), "lab6")
    trace(trace_bin, "--replay", str(d / "run.jsonl"), "--lang", "vi", "--svg", str(d / "vi.svg"),
          "--html", str(d / "vi.html"))
    trace(trace_bin, "--replay", str(d / "run.jsonl"), "--svg", str(d / "env.svg"), "--html", str(d / "env.html"),
          env=env_without_language(LANGUAGE="vi", LANG="C.UTF-8"))
    trace(trace_bin, "--replay", str(d / "run.jsonl"), "--svg", str(d / "default.svg"))
    return d


def test_the_checker_finds_the_english_picture_english(lab6):
    missing, english = wrong_words(words((lab6 / "en.svg").read_text()), VIETNAMESE, ENGLISH)
    assert len(missing) == len(VIETNAMESE) and len(english) >= len(ENGLISH) - 6, (missing, english)


@pytest.mark.parametrize("name", ["vi.svg", "env.svg"])
def test_a_replay_in_vietnamese_draws_vietnamese_words(lab6, name):
    text = words((lab6 / name).read_text())
    missing, english = wrong_words(text, VIETNAMESE, ENGLISH)
    assert not missing and not english, f"missing: {missing}; English left: {english}\n{text}"


@pytest.mark.parametrize("name", ["vi.html", "env.html"])
def test_the_page_in_vietnamese(lab6, name):
    page = (lab6 / name).read_text()
    assert '<html lang="vi">' in page
    head = re.search(r"<head>.*?<title>(.*?)</title>", page, re.S).group(1)
    assert head.endswith(": hình của một lần chạy"), head
    text = words(page)
    missing, english = wrong_words(text, VIETNAMESE + PAGE_VIETNAMESE, ENGLISH)
    assert not missing and not english, f"missing: {missing}; English left: {english}\n{text}"


def test_english_stays_the_default(lab6):
    text = words((lab6 / "default.svg").read_text())
    assert (lab6 / "default.svg").read_bytes() == (lab6 / "en.svg").read_bytes()
    assert "exits, 1 signal" in text and "LEAKED zombie" in text and "tác vụ" not in text
    assert '<html lang="en">' in (lab6 / "en.html").read_text()


def test_the_browser_shows_the_vietnamese_hint_and_legend(lab6):
    probe = ("return JSON.stringify({lang: document.documentElement.lang,"
             " hint: document.querySelector('#panel .hint').textContent,"
             " legend: Array.prototype.map.call(document.querySelectorAll('g.legend text'),"
             "   function (t) { return t.textContent; }),"
             " minutes: JSON.parse(document.getElementById('page-words').textContent).minutes,"
             " ticks: Array.prototype.map.call(document.querySelectorAll('#axis text'),"
             "   function (t) { return t.textContent; })});")
    page = chromium.load(lab6 / "vi.html", probe=probe)
    assert page.console == [], page.console
    assert not page.probe.startswith("probe failed"), page.probe
    seen = json.loads(page.probe)
    assert seen["lang"] == "vi"
    assert seen["hint"].startswith("Trỏ vào hoặc nhấp vào bất cứ thứ gì"), seen["hint"]
    assert "zombie (đã thoát, chưa được thu dọn)" in seen["legend"] and "đang chạy" in seen["legend"]
    assert not [w for w in seen["legend"] if re.search(r"running|blocked|reaped|handler", w)], seen["legend"]
    assert seen["minutes"] == "%s phút %s s"
    assert seen["ticks"] and seen["ticks"][0] == "0 ms"   # the script drew the axis again


def test_live_and_replayed_pictures_in_vietnamese_are_the_same_bytes(tmp_path, trace_bin):
    trace(trace_bin, "--lang", "vi", "--json", str(tmp_path / "run.jsonl"), "--svg", str(tmp_path / "live.svg"),
          "--html", str(tmp_path / "live.html"), "lab6")
    trace(trace_bin, "--replay", str(tmp_path / "run.jsonl"), "--lang", "vi", "--svg", str(tmp_path / "again.svg"),
          "--html", str(tmp_path / "again.html"))
    assert (tmp_path / "live.svg").read_bytes() == (tmp_path / "again.svg").read_bytes()
    assert (tmp_path / "live.html").read_bytes() == (tmp_path / "again.html").read_bytes()
    assert "tác vụ" in (tmp_path / "live.svg").read_text()


def test_the_fd_grid_in_vietnamese(tmp_path, trace_bin):
    trace(trace_bin, "--json", str(tmp_path / "run.jsonl"), "--html", str(tmp_path / "en.html"), "lab3")
    trace(trace_bin, "--replay", str(tmp_path / "run.jsonl"), "--lang", "vi", "--html", str(tmp_path / "vi.html"))
    en, vi = words((tmp_path / "en.html").read_text()), words((tmp_path / "vi.html").read_text())
    assert wrong_words(en, GRID_VIETNAMESE, GRID_ENGLISH) == (GRID_VIETNAMESE, GRID_ENGLISH)   # can fail
    assert wrong_words(vi, GRID_VIETNAMESE, GRID_ENGLISH) == ([], []), vi


def test_a_group_lane_in_vietnamese(tmp_path, trace_bin):
    """Past 200 tasks, children of one shape share a lane whose words say
    how many, whose, how made and how ended."""
    w1 = tmp_path / "w1_fork"
    subprocess.run(["gcc", "-O2", "-o", str(w1), str(tracelab.REPO / "bench" / "w1_fork.c")], check=True)
    trace(trace_bin, "--json", str(tmp_path / "run.jsonl"), "--svg", str(tmp_path / "en.svg"), "--", str(w1), "400")
    trace(trace_bin, "--replay", str(tmp_path / "run.jsonl"), "--lang", "vi", "--svg", str(tmp_path / "vi.svg"))
    root = json.loads((tmp_path / "run.jsonl").read_text().splitlines()[0])["pid"]
    en, vi = words((tmp_path / "en.svg").read_text()), words((tmp_path / "vi.svg").read_text())
    assert re.search(r"[\d,]+ more children of %d: forked, exited 0, reaped" % root, en), en
    # the lane's words whole (test_picture_labels.py: never cut), and in its tooltip
    said = r"thêm [\d,]+ tiến trình con của %d: tạo bằng fork, đã thoát 0, đã được thu dọn" % root
    assert re.search(said, vi), vi
    assert re.search(r'<g class="lane group".*?<title>' + said, (tmp_path / "vi.svg").read_text()), vi
    # the group's bars say, in their tooltips, how many were alive and in which state
    raw_vi, raw_en = (tmp_path / "vi.svg").read_text(), (tmp_path / "en.svg").read_text()
    assert "trong số chúng cùng còn sống ở đây, phần lớn thời gian" in raw_vi and "most of the time" not in raw_vi
    assert "most of the time" in raw_en
    assert not re.search(r"more children|forked|exited|reaped", vi), vi


def test_the_docs_say_lang_vi_draws_in_vietnamese():
    """docs/pictures.md shows the commands this file runs."""
    doc = (tracelab.REPO / "docs" / "pictures.md").read_text()
    assert re.search(r"^\s+\./trace --lang vi --html \S+ lab6\s+#.*Vietnamese", doc, re.M), doc[:1500]
    assert re.search(r"^\s+\./trace --replay \S+ --lang vi --html \S+\s+#", doc, re.M), doc[:1500]
