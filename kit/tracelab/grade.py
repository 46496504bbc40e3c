"""Grade one student or a whole class on one machine.

    make grade LAB=7 SUBMISSION=alice/lab07.c
    python3 -m tracelab.grade --lab 7 alice/lab07.c              # the same
    python3 -m tracelab.grade --lab 7 --out results/ class/*/     # a class
    python3 -m tracelab.grade --lab 7 alice/ -- -n 4 -x           # pytest options after --

One submission: pytest runs the lab's tests (tests/labs/test_labNN_*.py, or
--tests) on it and prints the score table. Several: each runs in its own
pytest (--jobs at a time; servers bind port 0 and each run has its own
copy of the labs, so they do not fight), results.json for each goes to
--out, and a class table and scores.csv come at the end.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .autograder import lab_tests
from .i18n import _, language
from .runner import REPO
from .submission import SubmissionError, lab_number

PYTHON = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable


def pytest_command(submission, lab, tests, gradescope=None, extra=()):
    cmd = [PYTHON, "-m", "pytest", "-p", "no:cacheprovider", *map(str, tests),
           "--submission", str(submission), "--score-table"]
    if lab is not None:
        cmd += ["--lab", str(lab)]
    if gradescope:
        cmd += ["--gradescope", str(gradescope)]
    return cmd + list(extra)


def _env():
    # Each submission's time budget counts from its own start.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST_", "TRACELAB_SUBMISSION", "TRACELAB_LABS", "TRACELAB_LAB",
                                "TRACELAB_STARTED"))}
    paths = [str(REPO / "kit"), str(REPO / "tests")]
    env["PYTHONPATH"] = os.pathsep.join(paths + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return env


def names_for(submissions):
    """A name per submission: its folder's name, or for files the file's
    name without .c (its folder's when several files share a name)."""
    paths = [Path(s) for s in submissions]
    stems = [p.stem for p in paths if p.is_file()]
    names = []
    for p in paths:
        if p.is_dir():
            names.append(p.resolve().name)
        elif stems.count(p.stem) > 1:
            names.append(p.resolve().parent.name)
        else:
            names.append(p.stem)
    seen = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}-{seen[n]}")
    return out


def grade_one(submission, lab, tests, gradescope=None, extra=(), quiet=False):
    """Run pytest on one submission; returns (exit status, results dict or None)."""
    cmd = pytest_command(submission, lab, tests, gradescope, extra)
    if quiet:
        cmd.append("-q")
        done = subprocess.run(cmd, cwd=REPO, env=_env(), stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, errors="replace")
    else:
        done = subprocess.run(cmd, cwd=REPO, env=_env(), stdin=subprocess.DEVNULL)
    results = None
    if gradescope and Path(gradescope).is_file():
        results = json.loads(Path(gradescope).read_text())
    return done.returncode, results


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    ap = argparse.ArgumentParser(prog="python3 -m tracelab.grade",
                                 description="Grade submissions of a lab with its tests.")
    ap.add_argument("submissions", nargs="+", help="a student's file or folder (several: a class)")
    ap.add_argument("--lab", help="the lab (7, lab07); default: read off the file names")
    ap.add_argument("--tests", nargs="*", help="test files (default: tests/labs/test_labNN_*.py)")
    ap.add_argument("--out", help="a folder for each submission's results.json and scores.csv")
    ap.add_argument("--jobs", type=int, default=max(1, (os.cpu_count() or 2) // 2),
                    help="submissions graded at once (default: half the CPUs)")
    args = ap.parse_args(argv)
    try:
        language()
    except ValueError as e:
        print(f"grade: {e}", file=sys.stderr)
        return 2

    lab = args.lab
    if lab is None:
        nums = {lab_number(Path(s).name) for s in args.submissions} - {None}
        if len(nums) == 1:
            lab = str(nums.pop())
    if args.tests:
        tests = args.tests
    elif lab is not None:
        tests = [str(p.relative_to(REPO)) for p in lab_tests(lab)]
    else:
        print("grade: " + _("say which lab: --lab 7 (or LAB=7)"), file=sys.stderr)
        return 2
    if not tests:
        print("grade: " + _("lab {lab} has no tests ({pattern})").format(
            lab=lab, pattern=f"tests/labs/test_lab{lab_number(lab):02d}_*.py"), file=sys.stderr)
        return 2
    for s in args.submissions:
        if not Path(s).exists():
            print("grade: " + _("no submission at {path}").format(path=s), file=sys.stderr)
            return 2

    if len(args.submissions) == 1 and not args.out:
        status, _results = grade_one(args.submissions[0], lab, tests, extra=extra)
        return 0 if status in (0, 1) else status    # 1: graded, some tests failed

    out = Path(args.out or "grades")
    out.mkdir(parents=True, exist_ok=True)
    names = names_for(args.submissions)

    def work(pair):
        name, sub = pair
        return grade_one(sub, lab, tests, out / f"{name}.json", extra, quiet=True)

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        done = list(pool.map(work, zip(names, args.submissions)))
    rows = []
    for name, sub, (status, results) in zip(names, args.submissions, done):
        if results is None:
            rows.append((name, 0, 0, _("no results (pytest exit {status})").format(status=status)))
            continue
        score = results.get("score", 0)
        top = sum(t.get("max_score", 0) for t in results.get("tests", []))
        failed = [t["name"] for t in results.get("tests", []) if t.get("status") != "passed"]
        rows.append((name, score, top, "; ".join(failed)))
    width = max(len(r[0]) for r in rows)
    for name, score, top, failed in rows:
        said = _("failed: {tests}").format(tests=failed) if failed else ""
        print(f"{name:<{width}}  {score:>5g}/{top:<5g} {said}")
    with open(out / "scores.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["submission", "score", "max_score", "failed"])
        w.writerows(rows)
    name = _("<name>")      # a placeholder: each submission's name
    print(_("results: {files}").format(files=f"{out}/{name}.json, {out}/scores.csv"))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SubmissionError as e:
        print(f"grade: {e}", file=sys.stderr)
        sys.exit(2)
