"""The trace lines a lab's README quotes, checked against real runs.

    quoted(text, section=None)   the timeline lines a README quotes: its
                                 indented lines that start with a time
                                 (only under the heading `section`, to
                                 the next heading of its level, if given)
    shape(line)                  a line with what varies from run to run
                                 taken out (times, pids, addresses, other
                                 numbers, how long a call blocked, and
                                 `<took ...>`, which only a slow call has)
    unseen(text, traces, section=None)
                                 the quoted lines that no line of these
                                 runs has the shape of

A README that quotes `0.0295 18155/18157 lab12 futex(uaddr=0x5634..., ...)`
stays true as long as some run prints a line of that shape.
"""

import json
import re
import subprocess
import tempfile

from .runner import TracerMissing, trace_binary

_QUOTED = re.compile(r"^ {4,}\d+\.\d{6} ")
_BLOCKED = re.compile(r"<blocked [0-9.]+ (us|ms|s)>")
_TOOK = re.compile(r"\s*<took [0-9.]+ (us|ms|s)>")   # shown only when slow: the machine's, not the run's
_ADDRESS = re.compile(r"0x[0-9a-f]+")
_NUMBER = re.compile(r"\d+")


def _section(text, heading):
    level = heading.split(" ")[0] + " "
    lines, inside = [], False
    for line in text.splitlines():
        if line.startswith(level):
            inside = line.strip() == heading
        elif inside:
            lines.append(line)
    return lines


def quoted(text, section=None):
    lines = text.splitlines() if section is None else _section(text, section)
    return [line.strip() for line in lines if _QUOTED.match(line)]


def shape(line):
    line = _TOOK.sub("", _BLOCKED.sub("<blocked D>", line))
    line = _ADDRESS.sub("ADDR", line)
    return " ".join(_NUMBER.sub("N", line).split())


def timeline(trace):
    """Every line of the trace's timeline as ./trace prints it (a spawn's
    second line, `fork() = 0` in the child, included)."""
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


def unseen(text, traces, section=None):
    seen = {shape(l) for t in traces for l in timeline(t)}
    return [line for line in quoted(text, section) if shape(line) not in seen]
