"""What a student is shown of text that the kit did not write itself: the
compiler's messages and a program's own output. A few lines of it, and
never a line quoted from a file outside the submission, so that an
`#include` of a hidden test (or `#line`, or an assembler `.include`) gets
back a count, not the file.

    compiler_messages(text, own={"/tmp/x/lab07.c": "lab07.c"}, cwd="/tmp/x")
    first_lines(text)      # at most SHOWN_LINES lines, and how many were left out
    last_lines(text)       # the same, from the end (a log's last words)
"""

import os
import re

from .i18n import N_, _, ngettext

# How many lines of the compiler's messages, or of a program's output or
# error output, a student reads; the rest is counted.
SHOWN_LINES = 15
# How long one of those lines may be.
LINE_CHARS = 200
# Any message a student reads (a failed test's), whatever it quotes: a
# failure's timeline excerpt is at most 40 lines (failures.py).
MESSAGE_LINES = 60
MESSAGE_LINE_CHARS = 400

# The lines of gcc's (and gas's, ld's) messages, by what they are.
# `FILE:LINE[:COL]: error: ...`, gas's `FILE:LINE: Error: ...`
_LOCATED = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?:\d+:)? ")
# `FILE: In function 'main':`, `FILE: At top level:`, `FILE: Assembler messages:`
_CONTEXT = re.compile(r"^(?P<file>[^\s:][^:]*): (?:In |At top level:|Assembler messages:)")
# `In file included from FILE:LINE,` then `                 from FILE:LINE:`
_INCLUDED = re.compile(r"^(?:In file included| +) from (?P<file>.+?):(?P<line>\d+)[:,]$")
# A quoted source line, its caret, a fix-it: `    7 | text`, `      | ^~~`, `  +++ |+#include`
_QUOTE = re.compile(r"^\s+(?:\d+|\+\+\+)?\s*\|")
# The tools' own words, which quote no file: `collect2: error: ld returned 1
# exit status`, `/usr/bin/ld: x.o: in function ...`, `cc1: out of memory ...`
_TOOL = re.compile(r"^(?:[\w./+-]*/)?(?:cc1\w*|collect2|gcc|g\+\+|cc|clang|ld(?:\.\w+)?|as): ")
_KIND = re.compile(r"\b(error|warning|Error|Warning|fatal error)\b:")


def _cut(line, width=LINE_CHARS):
    return line if len(line) <= width else line[:width - 3] + "..."


# How the lines left out are counted: "... (N more lines left out)".
_MORE = {"lines": N_("... ({n} more lines left out)"),
         "compiler": N_("... ({n} more lines of the compiler's messages left out)")}


def first_lines(text, n=SHOWN_LINES, what="lines", width=LINE_CHARS):
    """The first n lines of text (each cut at `width`), then how many
    more there were (`what`: a key of _MORE)."""
    lines = text.rstrip("\n").splitlines()
    shown = [_cut(l, width) for l in lines[:n]]
    if len(lines) > n:
        shown.append(_(_MORE[what]).format(n=len(lines) - n))
    return "\n".join(shown)


def last_lines(text, n=SHOWN_LINES):
    """The last n lines of text (each cut at LINE_CHARS), after how many
    came before them."""
    lines = text.rstrip("\n").splitlines()
    shown = [_cut(l) for l in lines[-n:]] if n else []
    if len(lines) > n:
        shown.insert(0, _("... ({n} earlier lines left out)").format(n=len(lines) - n))
    return "\n".join(shown)


class _Block:
    """One message of the compiler's: the include chain that led to it,
    its located line, and the quoted lines under it."""

    def __init__(self, chain, file=None, tool=False):
        self.chain, self.file, self.tool = chain, file, tool
        self.lines = []


def _blocks(text):
    blocks, chain, current = [], [], None
    for line in text.splitlines():
        inc = _INCLUDED.match(line)
        if inc:
            chain.append((line, inc.group("file"), int(inc.group("line"))))
            current = None
            continue
        loc = _LOCATED.match(line) or _CONTEXT.match(line)
        if loc:
            current = _Block(chain, loc.group("file"))
            chain = []
            blocks.append(current)
        elif _TOOL.match(line):
            current = _Block([], tool=True)
            blocks.append(current)
        elif current is None:
            if not line.strip():
                continue
            # A line that belongs to no message we know: not shown.
            current = _Block([], file=None)
            blocks.append(current)
        current.lines.append(line)
    return blocks


def compiler_messages(text, own, cwd):
    """The compiler's messages about the student's own files, under their
    names; a count of the others in place of their lines (and the line of
    the student's file that brought such a file in); at most SHOWN_LINES
    lines. `own` maps each file of the student's, as the compiler was given
    it, to the name the student knows; `cwd` is the compiler's folder
    (relative names, as `#line` may give, are opened from there)."""
    real = {os.path.realpath(path): name for path, name in own.items()}

    def name_of(path):
        if path is None:
            return None
        return real.get(os.path.realpath(os.path.join(cwd, path)))

    shown, hidden = [], {}   # hidden: where it came in (or None) -> {kind: count}
    came_in_by_file = {}
    for block in _blocks(text):
        if block.tool or name_of(block.file):
            for line, file, _line in block.chain:
                shown.append(line.replace(file, name_of(file) or _("(a file not in your submission)")))
            shown += block.lines
            continue
        # gcc says how a file came in once, before its first message.
        if block.chain:
            came_in_by_file[block.file] = next(
                ((name_of(f), n) for _line, f, n in block.chain if name_of(f)), None)
        came_in = came_in_by_file.get(block.file)
        kinds = hidden.setdefault(came_in, {})
        head = _KIND.search(block.lines[0]) if block.file else None
        kind = head.group(1).lower().replace("fatal error", "error") if head else "other"
        kinds[kind] = kinds.get(kind, 0) + 1
    for came_in, kinds in hidden.items():
        shown.append(_hidden_note(came_in, kinds))
    text = "\n".join(shown)
    for path in sorted(own, key=len, reverse=True):     # the names the student knows
        text = text.replace(str(path), own[path])
    return first_lines(text, what="compiler")


def _hidden_note(came_in, kinds):
    counted = [_KINDS[k](n).format(n=n) for k, n in sorted(kinds.items()) if k != "other"]
    what = _(" and ").join(counted) if counted else _("messages")
    if came_in is not None:
        name, line = came_in
        return _("{file}:{line}: {what} in the file included here, which is not part of "
                 "your submission (not shown)").format(file=name, line=line, what=what)
    return _("{what} about files that are not part of your submission (not shown)").format(what=what)


# The kinds of the compiler's messages, counted.
_KINDS = {"error": lambda n: ngettext("{n} error", "{n} errors", n),
          "warning": lambda n: ngettext("{n} warning", "{n} warnings", n)}
