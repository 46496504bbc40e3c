"""The Makefile's own lines (its usage lines, what it installs or lacks) in
the language chosen as for the rest of the kit (TRACELAB_LANG, LANGUAGE,
LC_ALL, LC_MESSAGES, LANG: tracelab.i18n), from the kit's catalog.

    python3 -m tracelab.make_says missing packages=" gcc gettext"

prints the line of that key, its {names} filled from NAME=VALUE. It runs
before `make` has installed anything: when msgfmt has not compiled the
catalog yet, it reads po/kit/LANG.po itself. Python 3 alone is needed; if
even that fails, the Makefile says its line in English.
"""

import ast
import gettext
import os
import sys
from pathlib import Path

from . import i18n
from .i18n import N_

# key -> the line (a msgid of the kit's catalog).
LINES = {
    "installing": N_("installing from Debian: {packages}"),
    "missing": N_("make: missing: {packages}; install them: {command}"),
    "grade-usage": N_("usage: make grade LAB=7 SUBMISSION=path/to/lab07.c "
                      "[TESTS=tests/...py] [PYTEST_ARGS=...]"),
    "new-lab-usage": N_("usage: make new-lab NAME=lab12-prefork"),
    "no-picture": N_("make: no picture from {command}"),
}
PO_DIR = Path(__file__).resolve().parents[2] / "po" / "kit"


def read_po(path):
    """{msgid: msgstr} of a .po file's translated, not fuzzy, singular
    messages: enough for the lines above, without msgfmt."""
    found, fuzzy, field, parts = {}, False, None, {}

    def done():
        if not fuzzy and parts.get("msgid") and parts.get("msgstr"):
            found[parts["msgid"]] = parts["msgstr"]

    for line in Path(path).read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if line.startswith("#,"):
            fuzzy = "fuzzy" in line
        elif line.startswith(("msgid ", "msgstr ", "msgid_plural ", "msgstr[")):
            word, _sp, text = line.partition(" ")
            if word == "msgid":
                done()
                parts = {}
            field = word
            parts[field] = ast.literal_eval(text)
        elif line.startswith('"') and field:
            parts[field] += ast.literal_eval(line)
        elif not line:
            done()
            fuzzy, field, parts = False, None, {}
    return found


def line(key, values, env=None):
    """The line of `key` in the chosen language (English if none can be
    read), with `values` filled in."""
    msgid = LINES[key]
    try:
        lang = i18n.language(env)
    except ValueError:
        lang = i18n.ENGLISH
    text = msgid
    if lang != i18n.ENGLISH:
        where = os.environ.get("TRACELAB_LOCALEDIR") or str(i18n.LOCALEDIR)
        mo = gettext.find(i18n.DOMAIN, where, languages=[lang])
        if mo:
            with open(mo, "rb") as f:
                text = gettext.GNUTranslations(f).gettext(msgid)
        elif (PO_DIR / f"{lang}.po").is_file():
            text = read_po(PO_DIR / f"{lang}.po").get(msgid, msgid)
    return text.format(**values)


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in LINES or not all("=" in a for a in args[1:]):
        return 2
    values = {k: v.strip() for k, v in (a.split("=", 1) for a in args[1:])}
    print(line(args[0], values))
    return 0


if __name__ == "__main__":
    sys.exit(main())
