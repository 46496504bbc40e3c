"""The timeline and summary lines that the READMEs of labs 5, 6 and 7
quote (their indented blocks) are lines of real runs of those labs: each
quoted line, with what changes from run to run (times, pids, durations,
byte counts) set aside, is a line of the lab's own text in a run of today.
So a README cannot drift from the tracer. Small numbers are kept: they are
the claims (5 children's exits, SIGCHLD x2, = 0, 4 leaked).

Not named test_labNN_*, so that grading a lab does not run it."""

import re

import pytest

from labs.solutions.worked import text_of
from tracelab.runner import REPO

# lab -> the variants whose runs its README quotes
QUOTED = {"lab5": [None], "lab6": [None, "restart"], "lab7": [None]}
FOLDERS = {"lab5": "lab05-fork-per-client", "lab6": "lab06-sigchld-wait",
           "lab7": "lab07-waitpid-loop"}
TIMELINE = re.compile(r"^\s+\d+\.\d{6}\s")
SUMMARY = re.compile(r"^\s+(signals delivered|zombies|processes): ")
VARYING = [
    (re.compile(r"\s+<took [^>]*>"), ""),     # a call slowed down by a busy machine, or not
    (re.compile(r"^\s*\d+\.\d{6}"), "T"),                                   # the time
    (re.compile(r"\d+(\.\d+)? ?(ms|us|s)\b"), "D"),                          # durations
    (re.compile(r"count=\d+\) = \d+"), "count=C) = C"),                     # the program's own text
    (re.compile(r"0x[0-9a-f]+"), "0xA"),                                    # addresses
    (re.compile(r"\b\d{3,}\b"), "N"),                                       # pids, ports
    (re.compile(r"\s+"), " "),
]


def normal(line):
    for pattern, instead in VARYING:
        line = pattern.sub(instead, line)
    return line.strip()


def quoted(lab):
    text = (REPO / "labs" / FOLDERS[lab] / "README.md").read_text()
    return [line for line in text.splitlines() if TIMELINE.match(line) or SUMMARY.match(line)]


@pytest.mark.parametrize("lab", sorted(QUOTED))
def test_every_quoted_line_is_a_line_of_a_real_run(lab, trace_lab):
    lines = quoted(lab)
    assert lines, f"the README of {lab} quotes no line"
    seen = set()
    for variant in QUOTED[lab]:
        seen |= {normal(line) for line in text_of(trace_lab(lab, variant)).splitlines()}
    missing = [line for line in lines if normal(line) not in seen]
    assert missing == [], f"{lab}'s README quotes lines that today's runs do not show:\n" + "\n".join(missing)
