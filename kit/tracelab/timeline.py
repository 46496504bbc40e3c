"""Timeline lines for the messages a student reads, in the tracer's own
words.

The timeline has one author: the tracer's text renderer. A trace's events
are handed back to it (`./trace --replay FILE --numbered`), which renders
them exactly as the live run did and starts each line with the index of
its event; this module asks once per trace and hands the lines out:

      0.033 31220       lab06    <- SIGCHLD from 31237 (child exited 0) -> runs the handler

A message quotes the student's view, the words `./trace labN` printed for
them. An event that view leaves out (the loader's calls, a write of the
program's own output) may still be the one a message points at: it is
quoted from the expert's view (`--verbose`), where every event has a line.

An event the timeline gives no line of its own (a state change other than
zombie, stopped or continued; the header; the summary) is quoted plainly
when a message must point at it.
"""

import json
import re
import subprocess
import tempfile

from .i18n import _, language
from .runner import TracerMissing, trace_binary

_NUMBERED = re.compile(r"^(\d+)\t(.*)$")


def _replay(binary, source, view):
    """{index: line} of the events in the file source, in a view (a list of
    the tracer's options)."""
    with tempfile.NamedTemporaryFile("r", suffix=".txt", encoding="utf-8", errors="replace") as out:
        try:
            # The tracer's lines in the kit's own language (i18n.py), which
            # TRACELAB_LANG may have chosen apart from the environment.
            run = subprocess.run([str(binary), "--replay", source, "--numbered", *view,
                                  "--lang", language(), "--color", "never", "-o", out.name],
                                 capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise TracerMissing(_("cannot run {binary} to render the timeline ({error}): "
                                  "run `make` first").format(binary=binary, error=e)) from e
        # 1: the events end without a summary (a run cut short, or a few
        # events picked out): rendered all the same.
        if run.returncode not in (0, 1):
            raise TracerMissing(_("{binary} could not render these events: {said}").format(
                binary=binary, said=run.stderr.strip()))
        lines = {}
        for text in out.read().splitlines():
            m = _NUMBERED.match(text)
            if m:
                lines[int(m.group(1))] = m.group(2).rstrip()
        return lines


def tracer_lines(events):
    """{index in events: the tracer's timeline line} for a list of events:
    the student's view where it has the event, the expert's otherwise."""
    binary = trace_binary()
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl") as src:
        for ev in events:
            src.write(json.dumps(ev, separators=(",", ":")) + "\n")
        src.flush()
        lines = _replay(binary, src.name, ["--verbose"])
        lines.update(_replay(binary, src.name, []))
        return lines


class Timeline:
    """The tracer's lines for one trace's events, looked up by event."""

    def __init__(self, events):
        self._index = {id(ev): i for i, ev in enumerate(events)}
        self._lines = tracer_lines(events)

    def has_line(self, ev):
        return self._index.get(id(ev)) in self._lines

    def line(self, ev):
        i = self._index.get(id(ev))
        if i in self._lines:
            return self._lines[i]
        return plain(ev)


def plain(ev):
    """An event with no timeline line of its own, quoted as it is."""
    t = ev.get("t")
    when = "?" if t is None else f"{t / 1e9:10.6f}"
    rest = {k: v for k, v in ev.items() if k not in ("type", "t", "pid", "tid")}
    return _("{when} {pid} ({type} event: {fields})").format(
        when=when, pid=ev.get("pid"), type=ev.get("type"),
        fields=json.dumps(rest, separators=(",", ":"))[:150])


def of(trace):
    """The Timeline of a Trace, made on first use and kept with it."""
    tl = getattr(trace, "_timeline", None)
    if tl is None:
        tl = Timeline(trace.events)
        trace._timeline = tl
    return tl


def render(events, trace, limit=None):
    """The tracer's lines for some of a trace's events (those that have a
    line), at most `limit` of them."""
    tl = of(trace)
    shown = [ev for ev in events if tl.has_line(ev)]
    lines = [tl.line(ev) for ev in shown[:limit]]
    if limit is not None and len(shown) > limit:
        lines.append(_("... {n} more events").format(n=len(shown) - limit))
    return "\n".join(lines)
