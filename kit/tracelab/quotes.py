"""The trace lines a lab's README quotes, checked against real runs.

    quoted(text)                 the timeline and summary lines a README
                                 quotes (its indented lines that start with
                                 a time, or with a summary's heading), above
                                 its Exercises (those quote changed programs,
                                 which the exercises' own tests run); a line
                                 the tracer wrapped, or a summary paragraph,
                                 is one line (logical), on both sides
    commands(text)               the variants its `./trace labN [VARIANT]`
                                 commands run (None: the lab itself)
    shape(line)                  the line with what varies from run to run
                                 taken out: times, pids and other numbers
                                 of three digits or more, addresses, how
                                 long a call took. Small numbers stay: they
                                 are the claims (SIGCHLD x2, = 0, 4 leaked)
    unseen(text, traces)         the quoted lines that no line of these runs
                                 has the shape of; "..." in a quoted line
                                 stands for what the README left out

A README that quotes `0.029 18155/18157 lab12 futex(uaddr=0x5634..., ...)`
stays true as long as every run prints a line of that shape.
"""

import json
import re
import subprocess
import tempfile

from .runner import TracerMissing, trace_binary

_TIME = r"\d+\.\d{3,6}"
_TIMED = re.compile(rf"^\s*{_TIME} ")
_SUMMARY = re.compile(
    r"^(== summary ==|processes: |signals delivered:|zombies: |what went wrong:|"
    r"the lesson of this run:|your predictions:|\d+ \S+( \(\w+\))?: (exited|killed)|"
    r" +\d+ \S+ \(\w+\): (exited|killed)|  \d+ leaked: )")
# A timeline line the tracer wrapped at 100 columns goes on under its
# words; a summary paragraph goes on with two spaces.
_GOES_ON = re.compile(r"^ {10,}\S")
_PARAGRAPH = re.compile(r"^(what went wrong:|the lesson of this run:|your predictions:|  \d+ leaked: )")
_PARAGRAPH_GOES_ON = re.compile(r"^  (?!\d+ leaked: )\S")
_BARS = re.compile(r"^(\| )+")
_COMMAND = re.compile(r"\./trace (?:-\S+ )*(lab\d+)(?: ([a-z][\w-]*))?")
_VARYING = [
    (re.compile(r"\s*<took [^>]*>"), ""),       # only a call a busy machine slowed down
    (re.compile(rf"^\s*{_TIME}"), "T"),
    (re.compile(r"\b\d+(\.\d+)? ?(ms|us|s)\b"), "D"),
    (re.compile(r"count=\d+\) = \d+"), "count=C) = C"),   # what the program wrote, as it wrote it
    (re.compile(r"0x[0-9a-f]+"), "ADDR"),
    (re.compile(r"\b\d{3,}\b"), "N"),
]


def _above_exercises(text):
    return text.split("\n## Exercises", 1)[0]


def logical(lines):
    """The lines as the tracer meant them: a timeline line it wrapped, or
    a summary paragraph, joined back into one (so that where a line breaks,
    which depends on how wide the pids are, does not matter)."""
    whole = []
    for line in lines:
        prev = whole[-1] if whole else ""
        goes_on = not _TIMED.match(line) and (
            (_GOES_ON.match(line) and _TIMED.match(prev))
            or (_PARAGRAPH_GOES_ON.match(line) and _PARAGRAPH.match(prev)))
        if whole and goes_on:
            whole[-1] = prev.rstrip() + " " + _BARS.sub("", line.strip())
        else:
            whole.append(line)
    return whole


def quoted(text):
    """The README's quoted lines (logical: a wrapped one joined), from its
    indented blocks above its Exercises."""
    block = [line[4:] for line in _above_exercises(text).splitlines() if line.startswith("    ")]
    return [line.strip() for line in logical(block) if _TIMED.match(line) or _SUMMARY.match(line)]


def commands(text):
    found = []
    for line in _above_exercises(text).splitlines():
        m = _COMMAND.search(line) if line.startswith("    ") and not _TIMED.match(line) else None
        if m and m.group(2) not in found:
            found.append(m.group(2))
    return found


def shape(line):
    for pattern, instead in _VARYING:
        line = pattern.sub(instead, line)
    return " ".join(line.split())


def timeline(trace):
    """Every line ./trace prints for the trace, timeline and summary, as a
    student reads them (--replay of its events; --color never)."""
    binary = trace_binary()
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl") as src:
        for ev in trace.events:
            src.write(json.dumps(ev, separators=(",", ":")) + "\n")
        src.flush()
        try:
            run = subprocess.run([str(binary), "--replay", src.name, "--color", "never"],
                                 capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise TracerMissing(f"cannot run {binary} to render the timeline ({e}): "
                                f"run `make` first") from e
    return (run.stdout + run.stderr).splitlines()


def _seen(quote, shapes):
    if "..." not in quote:
        return quote in shapes
    pattern = re.compile(".*".join(map(re.escape, quote.split("..."))))
    return any(pattern.fullmatch(s) for s in shapes)


def unseen(text, traces):
    shapes = {shape(l) for t in traces for l in logical(timeline(t))}
    return [line for line in quoted(text) if not _seen(shape(line), shapes)]
