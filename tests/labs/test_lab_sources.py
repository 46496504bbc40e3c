"""Every lab's program (labs/labNN-*/labNN.c, a new lab's too) stays the
size a student reads in one sitting: 30 to 115 lines, none wider than
100 columns, a tab counting as 8 (the kernel's style; the beginner's
view of the trace keeps to the same width). Not named test_labNN_*:
grading a lab does not run it."""

from pathlib import Path

import pytest

import tracelab

LABS = Path(tracelab.REPO) / "labs"
SOURCES = sorted(LABS.glob("lab*/lab[0-9][0-9].c"))
MIN_LINES, MAX_LINES = 30, 115
MAX_COLUMNS = 100
TAB = 8


def problems(text):
    """What breaks the rules in a lab's source text: [] when nothing does."""
    lines = text.splitlines()
    found = [] if MIN_LINES <= len(lines) <= MAX_LINES else \
        [f"{len(lines)} lines, not {MIN_LINES} to {MAX_LINES}"]
    return found + [f"line {n}: {len(line.expandtabs(TAB))} columns (at most {MAX_COLUMNS})"
                    for n, line in enumerate(lines, 1) if len(line.expandtabs(TAB)) > MAX_COLUMNS]


def test_every_lab_has_a_source():
    folders = sorted(p for p in LABS.glob("lab*") if (p / "lab.conf").is_file())
    assert folders and [s.parent for s in SOURCES] == folders


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_a_lab_source_is_short_and_narrow(source):
    assert problems(source.read_text(encoding="utf-8")) == [], source.relative_to(LABS.parent)


def test_the_rules_can_fail():
    """A line of 100 columns passes, one of 101 does not, nor 93 characters
    after a tab (101 columns); too few and too many lines fail."""
    body = ["x" * 100] + ["\t" + "y" * 92] + ["z"] * 40
    assert problems("\n".join(body)) == []
    assert problems("\n".join(body + ["w" * 101])) == ["line 43: 101 columns (at most 100)"]
    assert problems("\n".join(body + ["\t" + "v" * 93])) == ["line 43: 101 columns (at most 100)"]
    assert problems("\n".join(["a"] * 29)) == ["29 lines, not 30 to 115"]
    assert problems("\n".join(["a"] * 116)) == ["116 lines, not 30 to 115"]
