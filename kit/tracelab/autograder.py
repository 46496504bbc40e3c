"""Build a Gradescope autograder zip: `make autograder LAB=7`, or
`python3 -m tracelab.autograder --lab 7 [--tests FILE...] [--out ZIP]`.

The zip holds, at its root (Gradescope unpacks it to /autograder/source):
setup.sh (installs the Debian/Ubuntu packages and runs `make all`),
run_autograder (copies /autograder/submission, builds it in a copy of the
labs, runs the lab's tests and writes /autograder/results/results.json),
AUTOGRADER.md (which tests, and what they are worth in all: Gradescope
reads no total from results.json, so the instructor sets the assignment's
points to it; the build prints it too), and the kit's sources: Makefile,
tracer/, kit/, labs/ (no binaries), tests/conftest.py and the lab's test
files (tests/labs/).
"""

import argparse
import glob
import stat
import sys
import zipfile
from pathlib import Path

from . import i18n
from .i18n import N_, _, ngettext
from . import points as _points
from .runner import REPO
from .submission import SubmissionError, find_lab, lab_number

TEMPLATES = REPO / "kit" / "templates" / "autograder"
LAB_TESTS = "tests/labs"      # where each lab's tests are: test_labNN_*.py
_TREES = ["tracer", "kit", "labs", "docs", "po"]
_FILES = ["Makefile", "pyproject.toml", "README.md"]
_SKIP_DIRS = {"__pycache__", ".pytest_cache", ".git", "build"}
_SKIP_SUFFIXES = {".o", ".so", ".pyc", ".zip"}
# Gradescope's default timeout for one submission, 10 minutes (40 at most);
# an assignment can change it in its autograder settings.
GRADESCOPE_TIMEOUT = 600
# The share of it that run_autograder gives the build and the tests (its
# BUDGET_PERCENT); the rest is for a run cut short and results.json.
BUDGET_PERCENT = 80


def _is_binary_program(path):
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return True


def _source_files(repo):
    for name in _FILES:
        if (repo / name).is_file():
            yield repo / name
    for tree in _TREES:
        for path in sorted((repo / tree).rglob("*")):
            rel = path.relative_to(repo)
            if not path.is_file() or any(p in _SKIP_DIRS for p in rel.parts):
                continue
            if path.suffix in _SKIP_SUFFIXES or _is_binary_program(path):
                continue
            yield path
    tests = repo / "tests"
    for path in sorted(tests.glob("*.py")):
        if not path.name.startswith("test_"):      # conftest.py
            yield path


def lab_tests(lab, repo=REPO):
    """The test files of a lab: tests/labs/test_labNN_*.py."""
    num = lab_number(lab)
    return sorted((Path(repo) / LAB_TESTS).glob(f"test_lab{num:02d}_*.py"))


def total_text(totals, tr=str):
    """What the tests are worth, in words: "10 points", or by lab; `tr`
    translates (_ for the kit's language; AUTOGRADER.md stays English)."""
    if len(totals) == 1:
        return tr(N_("{n} points")).format(n=_points.number(next(iter(totals.values()))))
    return tr(N_("by the lab they grade: {totals}")).format(totals=", ".join(
        f"lab{lab:02d} {_points.number(n)}" if lab is not None
        else tr(N_("other {n}")).format(n=_points.number(n))
        for lab, n in sorted(totals.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))))


def _notes(lab, rels, totals, timeout):
    if len(totals) == 1:
        total = _points.number(next(iter(totals.values())))
        says = f"The tests are worth {total} points in all: set the assignment's points to {total}."
    else:
        says = ("The tests are worth, " + total_text(totals) + ": set the assignment's points "
                "to the total of the lab it grades.")
    words = {"@WHAT@": f"lab {lab_number(lab)}" if lab is not None else "every lab",
             "@TESTS@": "\n    ".join(rels), "@POINTS@": says, "@TIMEOUT@": str(timeout),
             "@BUDGET@": str(timeout * BUDGET_PERCENT // 100)}
    text = (TEMPLATES / "AUTOGRADER.md").read_text()
    for k, v in words.items():
        text = text.replace(k, v)
    return text


def build(out, lab=None, tests=None, repo=REPO, timeout=GRADESCOPE_TIMEOUT, lang=None):
    """Write the zip to `out`; returns (its path, {lab: total points}).
    `timeout`: the assignment's timeout on Gradescope, in seconds
    (run_autograder's time budget is a fraction of it); `lang`: the
    language the students read (i18n.LANGUAGES; None: Gradescope's
    environment chooses, which is English)."""
    if lang is not None and lang not in i18n.LANGUAGES:
        raise SubmissionError(_("--lang {lang}: give one of {languages}").format(
            lang=lang, languages=", ".join(i18n.LANGUAGES)))
    repo = Path(repo)
    if not (isinstance(timeout, int) and timeout > 0):
        raise SubmissionError(_("--timeout {timeout}: give the assignment's timeout in whole "
                                "seconds").format(timeout=timeout))
    if lab is not None:
        find_lab(lab, repo / "labs")        # a clear error for a lab that is not there
    if tests:
        test_files = []
        for pattern in tests:
            hits = sorted(glob.glob(str(repo / pattern))) or sorted(glob.glob(pattern))
            if not hits:
                raise SubmissionError(_("no test file {pattern}").format(pattern=pattern))
            test_files += [Path(h).resolve() for h in hits]
    elif lab is not None:
        test_files = lab_tests(lab, repo)
        if not test_files:
            raise SubmissionError(_("lab {lab} has no tests ({pattern})").format(
                lab=lab, pattern=f"{LAB_TESTS}/test_lab{lab_number(lab):02d}_*.py"))
    else:
        test_files = sorted((repo / LAB_TESTS).glob("test_lab[0-9][0-9]_*.py"))
    rels = [str(p.relative_to(repo.resolve())) for p in test_files]
    # A submission is graded by the tests of its lab and those named for
    # no lab; the tests of other labs are left out (tracelab.plugin.grading).
    totals = _points.by_lab(_points.worth(rels, repo))
    shared = totals.pop(None, 0)
    if lab is not None:
        totals = {lab_number(lab): totals.get(lab_number(lab), 0) + shared}
    else:
        totals = {k: n + shared for k, n in totals.items()} or {None: shared}
    words = {"@LAB@": str(lab_number(lab)) if lab is not None else "",
             "@TESTS@": " ".join(rels), "@TIMEOUT@": str(timeout),
             "@BUDGET_PERCENT@": str(BUDGET_PERCENT), "@LANG@": lang or ""}
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for name in ("setup.sh", "run_autograder"):
            text = (TEMPLATES / name).read_text()
            for k, v in words.items():
                text = text.replace(k, v)
            _add(z, name, text.encode(), executable=True)
        _add(z, "AUTOGRADER.md", _notes(lab, rels, totals, timeout).encode())
        seen = set()
        for path in list(_source_files(repo)) + [repo / r for r in rels]:
            rel = str(path.relative_to(repo))
            if rel in seen:
                continue
            seen.add(rel)
            mode = path.stat().st_mode
            _add(z, rel, path.read_bytes(), executable=bool(mode & stat.S_IXUSR))
    tmp.replace(out)
    return out, totals


def _add(z, name, data, executable=False):
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = ((0o755 if executable else 0o644) | stat.S_IFREG) << 16
    z.writestr(info, data)


def extract(zip_path, dest):
    """Unzip keeping the executable bits (zipfile alone drops them)."""
    dest = Path(dest)
    with zipfile.ZipFile(zip_path) as z:
        for info in z.infolist():
            target = dest / info.filename
            z.extract(info, dest)
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                target.chmod(mode)
    return dest


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m tracelab.autograder",
                                 description="Build a Gradescope autograder zip for a lab.")
    ap.add_argument("--lab", help="the lab it grades (7, lab07); default: read off each submission")
    ap.add_argument("--tests", nargs="*", help="test files (default: tests/labs/test_labNN_*.py)")
    ap.add_argument("--out", help="the zip (default: build/autograder[-labNN].zip)")
    ap.add_argument("--timeout", type=int, default=GRADESCOPE_TIMEOUT,
                    help=f"the assignment's timeout on Gradescope, in seconds (default "
                         f"{GRADESCOPE_TIMEOUT}); the tests get {BUDGET_PERCENT}%% of it")
    ap.add_argument("--lang", choices=i18n.LANGUAGES,
                    help="the language the students read (default: Gradescope's, English)")
    args = ap.parse_args(argv)
    try:
        i18n.language()
    except ValueError as e:
        print(f"autograder: {e}", file=sys.stderr)
        return 2
    out = args.out or str(REPO / "build" / (f"autograder-lab{lab_number(args.lab):02d}.zip"
                                            if args.lab else "autograder.zip"))
    try:
        path, totals = build(out, args.lab, args.tests, timeout=args.timeout, lang=args.lang)
    except SubmissionError as e:
        print(f"autograder: {e}", file=sys.stderr)
        return 2
    with zipfile.ZipFile(path) as z:
        n = len(z.namelist())
    print(ngettext("wrote {path} ({n} file): upload it as the assignment's autograder on Gradescope",
                   "wrote {path} ({n} files): upload it as the assignment's autograder on Gradescope",
                   n).format(path=path, n=n))
    if len(totals) == 1:
        total = _points.number(next(iter(totals.values())))
        print(_("its tests are worth {total} points: set the assignment's points on Gradescope "
                "to {total}").format(total=total))
    else:
        print(_("its tests are worth, {totals}: set the assignment's points on Gradescope to the "
                "total of the lab it grades").format(totals=total_text(totals, _)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
