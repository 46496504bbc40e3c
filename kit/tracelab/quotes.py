"""The trace lines a lab's README quotes, checked against real runs.

    quoted(text)                 the timeline and summary lines a README
                                 quotes (its indented lines that start with
                                 a time, or with a summary's heading), above
                                 its Exercises (those quote changed programs,
                                 which the exercises' own tests run); a line
                                 the README wraps as the tracer does (under
                                 the words, or a summary's sentence under its
                                 heading) is one line
    commands(text)               the variants its `./trace labN [VARIANT]`
                                 commands run (None: the lab itself)
    verbose(text)                whether one of them asks for the expert's
                                 view (--verbose, -v): its lines count too
    shape(line)                  the line with what varies from run to run
                                 taken out: times, pids and other numbers
                                 of three digits or more, addresses, how
                                 long a call took. Small numbers stay: they
                                 are the claims (SIGCHLD x2, = 0, 4 leaked)
    unseen(text, traces)         the quoted lines that no line of these runs
                                 has the shape of; "..." in a quoted line
                                 stands for what the README left out (what
                                 some runs print, others not: nothing too)
    unseen_lines(lines, traces, expert)  the same for lines quoted() gave
    unwrapped(text)              what ./trace printed, each line it wrapped
                                 one line again (a word cut at the end of a
                                 line, longer than a line, gets a space)

A README in Vietnamese (README.vi.md) quotes what `./trace --lang vi`
prints: its summary's headings are the Vietnamese ones (both languages'
are known here: neither is a word of the other), and unseen(..., lang="vi")
renders the runs in Vietnamese to match it. RACES is which variant's
lesson is the race itself, for both languages' checks.

A README that quotes `0.029 18155/18157 lab12 futex(uaddr=0x5634..., ...)`
stays true as long as every run prints a line of that shape.
"""

import json
import re
import subprocess
import tempfile

from .i18n import _
from .runner import TracerMissing, trace_binary

_TIME = r"\d+\.\d{3,6}"
# A time, then who (a pid): not a sentence that goes on with a time
# ("0.048 s mà không gọi wait()", a leak's, wrapped).
_QUOTED = re.compile(rf"^ {{4,}}{_TIME} +\d")
_EVENT = re.compile(rf"^ *{_TIME} +\d")
# The summary's headings as ./trace prints them in English and, with
# --lang vi, in Vietnamese (po/vi.po).
_HEADINGS = {
    "en": ["== summary ==", "processes: ", "signals delivered:", "zombies: ", "what went wrong:",
           "the lesson of this run:", "your predictions:"],
    "vi": ["== tóm tắt ==", "tiến trình: ", "tín hiệu đã chuyển đến:", "zombie: ", "điều gì đã sai:",
           "bài học của lần chạy này:", "dự đoán của bạn:"],
}
_ENDED = r"(exited|killed|đã thoát|bị \S+ giết)"          # a process's line: how it ended
_LEAKED = r"(leaked|bị bỏ sót)"
_SUMMARY = re.compile(
    r"^ {4}(" + "|".join(re.escape(h) for hs in _HEADINGS.values() for h in hs) + "|"
    rf"\d+ \S+( \(\w+\))?: {_ENDED}|"
    rf" +\d+ \S+ \(\w+\): {_ENDED}|  \d+ {_LEAKED}: )")
_COMMAND = re.compile(r"\./trace (?:(?:--lang \w+|-\S+) )*(lab\d+)(?: ([a-z][\w-]*))?")
_VERBOSE = re.compile(r"\./trace (?:\S+ )*?(?:--verbose|-v)\b")
# A summary's sentences, wrapped under these headings, two spaces in.
_PARAGRAPH = ("what went wrong:", "the lesson of this run:", "điều gì đã sai:", "bài học của lần chạy này:")
# A leaked zombie's sentence goes on at its own indent.
_LEAK = re.compile(rf"^\d+ {_LEAKED}: ")
# Where a README's exercises start (they quote changed programs).
_EXERCISES = re.compile(r"\n## (Exercises|Bài tập)")
# (folder, variant) -> runs, one of which must print each quoted line: the
# variants whose lesson is the race itself (lab 6's natural run).
RACES = {("lab06-sigchld-wait", "natural"): 5}
# A wrapped timeline line goes on under its words, this much further in
# than its time (the who and name columns); its handler bars repeat.
_WRAP_INDENT = 10
_BARS = re.compile(r"^(\| )+")
_MARK_GAP = "  "      # before a mark (<blocked ...>, [library call]), as the tracer spaces it
_NUMBERED = re.compile(r"^\d+\t")
_VARYING = [
    (re.compile(r"\s*<(took|mất) [^>]*>"), ""),       # only a call a busy machine slowed down
    (re.compile(rf"^\s*{_TIME}"), "T"),
    (re.compile(r"\b\d+(\.\d+)? ?(ms|us|s)\b"), "D"),
    (re.compile(r"count=\d+\) = \d+"), "count=C) = C"),   # what the program wrote, as it wrote it
    (re.compile(r"0x[0-9a-f]+"), "ADDR"),
    (re.compile(r"\b\d{3,}\b"), "N"),
]


def _above_exercises(text):
    return _EXERCISES.split(text, 1)[0]


def _indent(line):
    return len(line) - len(line.lstrip(" "))


def _joined(lines, is_event, is_summary, indent=False):
    """The lines that is_event or is_summary picks, each with the lines
    that wrap it: an event's go on under its words (its handler bars
    repeated), a sentence of the summary's under its heading, two spaces
    further in, as does a line of the summary cut after a comma (longer
    in Vietnamese: `zombie: 0 bị bỏ sót, ...,`). Stripped (indent: only on the right); a summary's sentence
    is one line."""
    out, kind, base = [], None, 0
    for line in lines:
        body, at = line.strip(), _indent(line)
        first = line.rstrip() if indent else body
        if kind == "event" and body and at >= base + _WRAP_INDENT and not is_event(line):
            rest = _BARS.sub("", body)
            out[-1] += (_MARK_GAP if rest.startswith(("<", "[")) else " ") + rest
        elif kind in ("heading", "sentence") and body and at == base + 2 and not is_event(line):
            if kind == "heading":
                out.append(first)
            else:
                out[-1] += " " + body
            kind = "sentence"
        elif kind == "leak" and body and at == base and not is_event(line) and not _LEAK.match(body):
            out[-1] += " " + body
        elif kind == "summary" and out[-1].endswith(",") and body and at == base + 2 and not is_event(line):
            out[-1] += " " + body      # a line of the summary cut after a comma goes on 2 further in
        elif is_event(line):
            out.append(first)
            kind, base = "event", at
        elif is_summary(line):
            out.append(first)
            kind = "heading" if body in _PARAGRAPH else "leak" if _LEAK.match(body) else "summary"
            base = at
        else:
            kind = None
    return out


def quoted(text):
    return _joined(_above_exercises(text).splitlines(), _QUOTED.match, _SUMMARY.match)


def commands(text):
    found = []
    for line in _above_exercises(text).splitlines():
        m = _COMMAND.search(line) if line.startswith("    ") and not _QUOTED.match(line) else None
        if m and m.group(2) not in found:
            found.append(m.group(2))
    return found


def verbose(text):
    return any(_VERBOSE.search(line) for line in _above_exercises(text).splitlines()
               if line.startswith("    ") and not _QUOTED.match(line))


def shape(line):
    for pattern, instead in _VARYING:
        line = pattern.sub(instead, line)
    return " ".join(line.split())


def timeline(trace, expert=False, lang="en"):
    """Every line ./trace prints for the trace, timeline and summary, as a
    student reads them (--replay of its events; --color never; --verbose
    when expert; in lang), each line one line however the tracer wraps it
    (--numbered does not wrap the timeline; a summary's sentence is joined)."""
    binary = trace_binary()
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl") as src:
        for ev in trace.events:
            src.write(json.dumps(ev, separators=(",", ":")) + "\n")
        src.flush()
        try:
            run = subprocess.run([str(binary), "--replay", src.name, "--color", "never", "--numbered", "--lang", lang,
                                  *(["--verbose"] if expert else [])],
                                 capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise TracerMissing(_("cannot run {path} to render the timeline ({error}): "
                                  "run `make` first").format(path=binary, error=e)) from e
    lines = [_NUMBERED.sub("", l) for l in (run.stdout + run.stderr).splitlines()]
    return _joined(lines, _EVENT.match, lambda l: True)


def unwrapped(text):
    """What ./trace printed (timeline, the program's lines, summary), each
    line it wrapped one line again, for checks that read a line whole."""
    return "".join(l + "\n" for l in _joined(text.splitlines(), _EVENT.match, lambda l: True, indent=True))


# What "..." in a quoted line stands for: anything, or nothing at all (a
# "..." between two words also stands for the words' one space alone).
_ELIDED = re.compile(r"( ?\.\.\. ?)")


def _seen(quote, shapes):
    if "..." not in quote:
        return quote in shapes
    parts = _ELIDED.split(quote)
    pattern = re.compile("".join(r" (?:.* )?" if p == " ... " else ".*" if i % 2 else re.escape(p)
                                 for i, p in enumerate(parts)))
    return any(pattern.fullmatch(s) for s in shapes)


def unseen(text, traces, lang="en"):
    return unseen_lines(quoted(text), traces, verbose(text), lang)


def unseen_lines(lines, traces, expert=False, lang="en"):
    views = (False, True) if expert else (False,)
    shapes = {shape(l) for t in traces for v in views for l in timeline(t, v, lang)}
    return [line for line in lines if not _seen(shape(line), shapes)]
