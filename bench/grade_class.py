#!/usr/bin/python3
"""grade_class.py: time the grading of a class of lab 7 submissions on
this machine, the way an instructor grades one (python3 -m tracelab.grade
--out DIR), and check every student got the score their program earns.

The class is made of the kit's own files: copies of the reference lab 7
(full marks), of lab 6's one-wait-per-signal handler (it leaks zombies
when SIGCHLDs coalesce), of a file that does not compile, and of the
hostile and fork-bomb submissions of the grading tests. Run it as root to
time the grading with its sandbox (a user of its own per submission).

    make grade-bench                 # 30 submissions, --jobs 1 and 2
    bench/grade_class.py --size 10 --jobs 2

Prints, for each --jobs, the wall time of the whole class, the time per
submission, and each kind's scores; exits 1 if a score is not the
expected one (a reference below full marks, a wrong one at full marks)."""

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUBS = ROOT / "tests" / "grading" / "submissions"
PYTHON = "/usr/bin/python3"

# (kind, source file, share of the class, whether it earns full marks)
KINDS = [
    ("reference", ROOT / "labs" / "lab07-waitpid-loop" / "lab07.c", 0.6, True),
    ("wait-once", SUBS / "lab07_wait_once.c", 0.2, False),
    ("broken", SUBS / "lab07_broken.c", 0.1, False),
    ("hostile", SUBS / "lab07_hostile.c", 0.05, False),
    ("fork-bomb", SUBS / "lab07_forkbomb.c", 0.05, False),
]


def make_class(folder, size):
    """size student folders, each holding one lab07.c; returns
    [(folder, kind, full marks expected)]."""
    plan = []
    for kind, src, share, full in KINDS:
        plan += [(kind, src, full)] * max(1, round(share * size))
    plan = (plan * 2)[:size] if len(plan) < size else plan[:size]
    students = []
    for i, (kind, src, full) in enumerate(plan):
        d = folder / f"student{i + 1:02d}-{kind}"
        d.mkdir()
        shutil.copyfile(src, d / "lab07.c")
        students.append((d, kind, full))
    return students


def grade(students, jobs, out):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "kit"))
    cmd = [PYTHON, "-m", "tracelab.grade", "--lab", "7", "--out", str(out), "--jobs", str(jobs),
           *[str(d) for d, _, _ in students]]
    start = time.monotonic()
    done = subprocess.run(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True)
    wall = time.monotonic() - start
    if done.returncode != 0:
        sys.exit(f"grade_class: the class run failed (exit {done.returncode}):\n{done.stderr}")
    with open(out / "scores.csv") as f:
        rows = {r["submission"]: r for r in csv.DictReader(f)}
    return wall, rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, default=30, help="submissions in the class (default 30)")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2],
                    help="submissions graded at once, one class run each (default: 1 2)")
    args = ap.parse_args()
    subprocess.run(["make", "-s", "all"], cwd=ROOT, check=True)
    bad = 0
    print(f"grading a class of {args.size} lab 7 submissions "
          f"({'as root: each in a user of its own' if os.geteuid() == 0 else 'not root: no sandbox user'})")
    for jobs in args.jobs:
        with tempfile.TemporaryDirectory(prefix="tracelab-class-") as tmp:
            students = make_class(Path(tmp), args.size)
            wall, rows = grade(students, jobs, Path(tmp) / "grades")
            scores = {}
            for d, kind, full in students:
                row = rows[d.name]
                got, top = float(row["score"]), float(row["max_score"])
                scores.setdefault(kind, Counter())[f"{got:g}/{top:g}"] += 1
                if full != (top > 0 and got == top):
                    bad += 1
                    print(f"  UNEXPECTED: {d.name} scored {got:g}/{top:g}", file=sys.stderr)
            print(f"--jobs {jobs}: {wall:.1f} s for {args.size} submissions, "
                  f"{wall / args.size:.2f} s each")
            for kind, c in scores.items():
                print(f"    {kind:<10} " + ", ".join(f"{n} x {s}" for s, n in sorted(c.items())))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
