"""Every lab and variant in Vietnamese (./trace --lang vi labN [VARIANT]):
the beginner's timeline and summary fit in 100 columns, hold no English
sentence of the student's view, and end with the lab's lesson from its
lab.conf's lesson.vi, its holes filled with the run's facts (checked
against a second filling in Python, tests/lessons_oracle.py); lesson.vi
names the same facts as the English lesson, predict.vi asks the same facts
in the same order."""

import json
import os
import re
import shutil
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


WIDTH = 100


def first_heading(path):
    return path.read_text(encoding="utf-8").splitlines()[0].lstrip("# ")


def list_lines(*args, labs=None):
    env = dict(os.environ, **({"TRACELAB_LABS": str(labs)} if labs else {}))
    done = subprocess.run([str(tracelab.trace_binary()), *args], capture_output=True, text=True,
                          timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    for line in lines if "--json" not in args else ():    # a beginner's view: 100 columns
        assert len(line) <= WIDTH, f"{len(line)} columns: {line}"
    return [line for line in lines if not line.startswith(" ")]     # one per lab


def test_the_list_says_each_labs_variants_on_a_line_of_its_own():
    """A lab's variants (and a lab not yet built) are said under its line,
    so that every line of the list stays within 100 columns."""
    for lang, word in (("en", "variants: "), ("vi", "biến thể: ")):
        done = subprocess.run([str(tracelab.trace_binary()), "--lang", lang, "--list"],
                              capture_output=True, text=True, timeout=60)
        lines = done.stdout.splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith("lab6 "))
        assert lines[at + 1].strip() == word + "restart, natural", lines[at:at + 2]


def test_the_list_of_labs_shows_each_ones_vietnamese_title():
    """./trace --lang vi --list: each lab's title is its README.vi.md's
    first heading; the JSON keeps the English README's, in every language
    (a program reads it)."""
    lines = list_lines("--lang", "vi", "--list")
    folders = sorted(p for p in (tracelab.REPO / "labs").iterdir() if p.is_dir())
    assert len(lines) == len(folders)
    for line, folder in zip(lines, folders):
        assert folder.name in line and first_heading(folder / "README.vi.md") in line, line
        assert first_heading(folder / "README.md") not in line, line
    for lang in ("en", "vi"):
        for line, folder in zip(list_lines("--lang", lang, "--list", "--json"), folders):
            assert json.loads(line)["title"] == first_heading(folder / "README.md")


def test_a_lab_without_a_vietnamese_readme_keeps_its_english_title(tmp_path):
    lab = tmp_path / "lab06-sigchld-wait"
    lab.mkdir()
    source = tracelab.REPO / "labs" / lab.name
    for name in ("lab.conf", "README.md"):
        shutil.copy(source / name, lab / name)
    (line,) = list_lines("--lang", "vi", "--list", labs=tmp_path)
    assert first_heading(source / "README.md") in line and first_heading(source / "README.vi.md") not in line
