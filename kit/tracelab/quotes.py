"""The trace lines a lab's README quotes, checked against real runs.

    quoted(text)                 the timeline lines a README quotes: its
                                 indented lines that start with a time
    shape(line)                  a line with what varies from run to run
                                 taken out (times, pids, addresses,
                                 durations, other numbers)
    unseen(text, traces)         the quoted lines that no line of these
                                 runs has the shape of

A README that quotes `0.0295 18155/18157 lab12 futex(uaddr=0x5634..., ...)`
stays true as long as some run prints a line of that shape.
"""

import re

from .timeline import tracer_lines

_QUOTED = re.compile(r"^ {4,}\d+\.\d{6} ")
_DURATION = re.compile(r"<(blocked|took) [0-9.]+ (us|ms|s)>")
_ADDRESS = re.compile(r"0x[0-9a-f]+")
_NUMBER = re.compile(r"\d+")


def quoted(text):
    return [line.strip() for line in text.splitlines() if _QUOTED.match(line)]


def shape(line):
    line = _DURATION.sub(r"<\1 D>", line)
    line = _ADDRESS.sub("ADDR", line)
    return " ".join(_NUMBER.sub("N", line).split())


def unseen(text, traces):
    seen = {shape(l) for t in traces for l in tracer_lines(t.events).values()}
    return [line for line in quoted(text) if shape(line) not in seen]
