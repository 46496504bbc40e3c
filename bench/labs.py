#!/usr/bin/python3
"""labs.py: how long a run of each lab takes under ./trace, against the
time limit of a graded run.

Runs `./trace -q -o /dev/null LAB [VARIANT]` for every lab and variant that
`./trace --list --json` names, --runs times each (rounds interleave the
labs), and prints the median wall time of each, its range, and what share
of the default time limit (15 s, docs/instructors.md) the slowest run of
all took. The tests check that every lab ends by itself under the default
limits; how long it takes is measured here. Exit status 0 whatever the
times; 1 if a run failed. Standard library only."""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from table import plain_table

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_TIMEOUT_S = 15         # kit/tracelab/guard.py: DEFAULT_LIMITS.timeout
RUN_TIMEOUT_S = 120            # a safety net per run, not a measure


def labs(tracer):
    """[(lab, variant or None)] as the tracer lists them."""
    listed = subprocess.run([tracer, "--list", "--json"], cwd=ROOT, capture_output=True, text=True,
                            timeout=RUN_TIMEOUT_S, check=True)
    found = []
    for line in listed.stdout.splitlines():
        lab = json.loads(line)
        found += [("lab%d" % lab["number"], v) for v in [None, *(lab.get("variants") or [])]]
    return found


def wall(argv):
    """Wall seconds of argv, or raise when the tracer refused it (a lab's
    own exit status, such as lab 10's crash, is the lab's)."""
    t0 = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          timeout=RUN_TIMEOUT_S)
    took = time.perf_counter() - t0
    if done.returncode == 2 and done.stderr.startswith("trace: "):
        raise RuntimeError("%s: %s" % (" ".join(argv), done.stderr.strip()[-400:]))
    return took


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="rounds (default 5)")
    ap.add_argument("--trace", default=os.path.join(ROOT, "trace"), help="the tracer")
    args = ap.parse_args()
    try:
        runs = labs(args.trace)
        times = {run: [] for run in runs}
        for _ in range(args.runs):
            for lab, variant in runs:
                times[lab, variant].append(wall([args.trace, "-q", "-o", os.devnull, lab] +
                                                ([variant] if variant else [])))
    except (RuntimeError, OSError, subprocess.SubprocessError, ValueError) as e:
        print("FAILED: %s" % e)
        return 1
    print("each lab under ./trace -q: median wall time of %d runs" % args.runs)
    head = ["lab", "s", "range s"]
    rows = [[("%s %s" % (lab, variant or "")).rstrip(), "%.2f" % statistics.median(t),
             "%.2f to %.2f" % (min(t), max(t))] for (lab, variant), t in times.items()]
    print(plain_table(head, rows))
    slowest = max(max(t) for t in times.values())
    print("slowest run: %.2f s, %.0f%% of the default time limit of %d s"
          % (slowest, 100 * slowest / DEFAULT_TIMEOUT_S, DEFAULT_TIMEOUT_S))
    return 0


if __name__ == "__main__":
    sys.exit(main())
