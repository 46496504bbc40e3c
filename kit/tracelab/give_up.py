"""The results.json that run_autograder writes when it cannot even start the
tests (kit/templates/autograder/run_autograder), in the student's language:

    python3 -m tracelab.give_up RESULTS_JSON WHY [NAME=VALUE ...]

WHY is a key of REASONS, and NAME=VALUE fill its sentence. The student
reads the sentence on Gradescope (results.json's output, score 0, no
tests); the same sentence goes to stderr, for the instructor. The language
is the kit's (tracelab.i18n: TRACELAB_LANG, else the environment); an
unknown TRACELAB_LANG gives English here, since the reason must be written
whatever else is wrong.

It may run before the kit was built (the build is one of the things that
can fail), so without build/locale/: then the language's catalog is
compiled from po/kit/LANG.po with msgfmt into a temporary folder.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import i18n
from .i18n import N_, _

REASONS = {
    "timeout": N_("TRACELAB_AG_TIMEOUT={value}: give the assignment's timeout in seconds"),
    "no-submission": N_("there is no submission folder ({path})"),
    "copy": N_("could not copy the submission"),
    "no-source": N_("there is no autograder source at {path}"),
    "build": N_("the kit did not build (its errors are in the autograder's output)"),
    "runner-died": N_("the test runner ended abnormally (pytest exit status {status})"),
    "no-results": N_("the tests did not run (pytest exit status {status})"),
    "write": N_("could not write {path}"),
}
HEADLINE = N_("The autograder could not grade this submission: {why}")
# Where the kit's catalogs are, relative to the kit's root (i18n.LOCALEDIR's
# sources).
PO_DIR = Path("po") / "kit"


def _language():
    try:
        return i18n.language()
    except ValueError:
        os.environ[i18n.OVERRIDE] = i18n.ENGLISH
        return i18n.ENGLISH


def _catalog_at_hand(lang, root=i18n.LOCALEDIR.parent.parent):
    """Make sure the catalog of `lang` can be read: if `make` has not
    compiled it, compile po/kit/LANG.po into a temporary folder (returned,
    for the caller to remove) and point i18n there. None if nothing was
    needed or nothing could be done (then the words are English)."""
    if lang == i18n.ENGLISH or os.environ.get("TRACELAB_LOCALEDIR"):
        return None
    mo = Path("LC_MESSAGES") / f"{i18n.DOMAIN}.mo"
    if (i18n.LOCALEDIR / lang / mo).is_file():
        return None
    po = Path(root) / PO_DIR / f"{lang}.po"
    if not po.is_file() or not shutil.which("msgfmt"):
        return None
    where = Path(tempfile.mkdtemp(prefix="tracelab-locale-"))
    (where / lang / mo).parent.mkdir(parents=True)
    done = subprocess.run(["msgfmt", "-o", str(where / lang / mo), str(po)], capture_output=True)
    if done.returncode != 0:
        shutil.rmtree(where)
        return None
    os.environ["TRACELAB_LOCALEDIR"] = str(where)
    return where


def sentence(why, values):
    """The student's sentence for reason `why` with `values` filled in."""
    return _(HEADLINE).format(why=_(REASONS[why]).format(**values))


def write(path, why, values):
    """Write results.json at `path`: score 0, no tests, the sentence."""
    text = sentence(why, values)
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"score": 0, "output": text, "tests": []}, f, indent=2, ensure_ascii=False)
        f.write("\n")
    return text


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    _language()         # an unknown TRACELAB_LANG: English
    if len(args) < 2 or args[1] not in REASONS or not all("=" in a for a in args[2:]):
        print(_("usage: {command}").format(
            command=f"python3 -m tracelab.give_up RESULTS_JSON {{{','.join(REASONS)}}} "
                    + _("[NAME=VALUE ...]")), file=sys.stderr)
        return 2
    values = dict(a.split("=", 1) for a in args[2:])
    made = _catalog_at_hand(_language())
    try:
        text = write(args[0], args[1], values)
    finally:
        if made:
            shutil.rmtree(made, ignore_errors=True)
    print(f"run_autograder: {text}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
