"""Every lab and variant in Vietnamese (./trace --lang vi labN [VARIANT]):
the beginner's timeline and summary fit in 100 columns, hold no English
sentence of the student's view, and end with the lab's lesson from its
lab.conf's lesson.vi, its holes filled with the run's facts (checked
against a second filling in Python, tests/lessons_oracle.py); lesson.vi
names the same facts as the English lesson, predict.vi asks the same facts
in the same order."""

import json
import re
import subprocess

import pytest

import tracelab
from lessons_oracle import fill
from tracelab.runner import list_labs

LABS = list_labs()
RUNS = [(lab, None) for lab in LABS] + [(lab, v) for lab in LABS for v in lab["variants"]]
WIDTH = 100
# English words of the beginner's view that no lab's Vietnamese view may hold.
ENGLISH = ["(new process)", "(new thread)", "new thread", "this is the new process", "is a zombie now",
           "== summary ==", "signals delivered", "the lesson of this run", "what went wrong",
           "exited with code", "<blocked", "<took", "killed by", "the load generator", "the server is ready",
           "the lab is over", "library call", "it returned", "any child", "processes:", "threads created",
           "zombies:", "reaped", "leaked", "runs the handler", "default action", "sent by", "status=exited",
           "interrupted by", "how to read this"]
PROGRAM_TEXT = re.compile(r"^lab\d\d\[\d+\]: ")
HOLE = re.compile(r"\{(\w+)(?::[^}]*)?\}")


def run_vi(lab, variant, tmp_path):
    out, js = tmp_path / "out.txt", tmp_path / "run.jsonl"
    args = [str(tracelab.trace_binary()), "--lang", "vi", lab["lab"], *([variant] if variant else []),
            "--color", "never", "-o", str(out), "--json", str(js)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in js.read_text(encoding="utf-8").splitlines()]
    return out.read_text(encoding="utf-8"), events


def said(text):
    """The lesson's sentence in the Vietnamese summary, one line."""
    head = "bài học của lần chạy này:\n"
    assert head in text, text[-2000:]
    return " ".join(line.strip() for line in text[text.index(head) + len(head):].splitlines())


@pytest.mark.parametrize("lab, variant", RUNS, ids=lambda x: x["lab"] if isinstance(x, dict) else str(x))
def test_each_lab_in_vietnamese(lab, variant, tmp_path):
    text, events = run_vi(lab, variant, tmp_path)
    lines = [line for line in text.splitlines() if not PROGRAM_TEXT.match(line)]
    wide = [line for line in lines if len(line) > WIDTH]
    assert wide == [], f"lines over {WIDTH} columns:\n" + "\n".join(wide)
    words = " ".join(" ".join(lines).split())
    english = [w for w in ENGLISH if w in words]
    assert english == [], f"English in the Vietnamese view: {english}"
    assert "== tóm tắt ==" in words and "tiến trình:" in words
    header = events[0]
    vi = header["translations"]["vi"]
    assert vi["lesson"], f"{lab['dir']}/lab.conf has no lesson.vi for {variant or 'the lab'}"
    assert sorted(HOLE.findall(vi["lesson"])) == sorted(HOLE.findall(header["lesson"]))
    assert said(text) == fill(vi["lesson"], events[-1]["facts"])
    english_facts = [q["fact"] for q in lab["predict"]]
    assert [q["fact"] for q in vi["predict"] or []] == english_facts
