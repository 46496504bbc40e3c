"""What a lab (or the load generator) printed, read back in any language.

A lab's own lines are say("client %d: served by child %d", n, pid): the
format is the English sentence, and labkit prints it translated
(po/labs/, the "tracelab-labs" domain) when the student asked for another
language. A test that reads numbers back from those lines names the
format as the lab's source has it; this module matches the English line
and each catalog's translation of it, so the test holds in every language:

    from tracelab.said import said
    said(trace.stdout, "expected %ld, counter = %ld: %ld updates lost")
    -> [(400000, 312554, 87446)]
    said_by(trace.stdout, "child: %d messages echoed")   -> [(4170, 3), ...]
"""

import gettext
import os
import re

from .i18n import LANGUAGES, LOCALEDIR

DOMAIN = "tracelab-labs"

# A printf conversion (flags, width, precision, length, type) and what it
# prints, as a pattern and a value.
_CONVERSION = re.compile(r"%([-+ #0]*\d*(?:\.\d+)?)(hh|h|ll|l|z|j|t)?([diuxXsfp%])")
_PRINTS = {
    "d": (r"(-?\d+)", int), "i": (r"(-?\d+)", int), "u": (r"(\d+)", int),
    "x": (r"([0-9a-f]+)", str), "X": (r"([0-9A-F]+)", str),
    "f": (r"(-?\d+(?:\.\d+)?)", float), "p": (r"(0x[0-9a-f]+|\(nil\))", str),
    "s": (r"(.*?)", str),
}


def translations(fmt):
    """fmt and its translation in each catalog there is (English first)."""
    where = os.environ.get("TRACELAB_LOCALEDIR") or str(LOCALEDIR)
    found = [fmt]
    for lang in LANGUAGES[1:]:
        catalog = gettext.translation(DOMAIN, where, languages=[lang], fallback=True)
        text = catalog.gettext(fmt)
        if text not in found:
            found.append(text)
    return found


# labkit's say() puts "lab05[pid]: " before each line.
_SPEAKER = r"^[\w.-]+\[(\d+)\]: "


def pattern(fmt, speaker=""):
    """A printf format as a regular expression (after a speaker pattern
    whose groups come first), and the types of its values."""
    parts, types, at = [speaker], [int] * re.compile(speaker).groups, 0
    for m in _CONVERSION.finditer(fmt):
        parts.append(re.escape(fmt[at:m.start()]))
        if m.group(3) == "%":
            parts.append("%")
        else:
            regex, kind = _PRINTS[m.group(3)]
            parts.append(regex)
            types.append(kind)
        at = m.end()
    parts.append(re.escape(fmt[at:]))
    # A line's end ends the sentence: a %s at the end takes the rest of it.
    return re.compile("".join(parts) + r"(?=\n|$)", re.M), types


def said(text, fmt, speaker=""):
    """Each line of text that fmt printed, in whatever language, as a tuple
    of its values (ints for %d, floats for %f, str otherwise), in the
    order they were printed."""
    hits = []
    for form in translations(fmt):
        regex, types = pattern(form, speaker)
        hits += [(m.start(), tuple(kind(v) for kind, v in zip(types, m.groups())))
                 for m in regex.finditer(text)]
    return [values for _start, values in sorted(hits)]


def said_by(text, fmt):
    """As said(), for lines labkit's say() printed: each as (pid, values...)."""
    return said(text, fmt, _SPEAKER)
