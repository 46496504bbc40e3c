#!/usr/bin/python3
"""renderers.py: time each renderer of ./trace over one big recorded trace.

Records W1 at 20,000 forks once (./trace -q --json), then renders that
trace again with ./trace --replay, once per renderer per round: the text
timeline and summary (-o FILE), the Perfetto file (--perfetto FILE), and
the picture as a page (--html FILE) and as SVG (--svg FILE).
Prints the median wall and CPU seconds and the size of what each wrote.
The renderers read only events, so a replay times the renderer and the
reading of the JSON Lines, with no traced program in the way. Exit status
0 whatever the times; 1 if the recording or a renderer failed."""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

from table import plain_table

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# name, the options after --replay TRACE, the file it writes ({out})
RENDERERS = [
    ("text timeline + summary", ["-o", "{out}"]),
    ("Perfetto file (--perfetto)", ["-q", "-o", os.devnull, "--perfetto", "{out}"]),
    ("picture page (--html)", ["-q", "-o", os.devnull, "--html", "{out}"]),
    ("picture SVG (--svg)", ["-q", "-o", os.devnull, "--svg", "{out}"]),
]


def run(argv):
    """Wall and CPU (user + system) seconds of argv, or raise on failure."""
    # stderr to a file, not a pipe: a pipe read only after wait4 would
    # hang both sides once the run wrote more than the pipe holds.
    with tempfile.TemporaryFile() as errors:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)   # reaped here, not by Popen
        errors.seek(0)
        err = errors.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError("%s failed: %s" % (" ".join(argv), err.strip()[-400:]))
    return wall, ru.ru_utime + ru.ru_stime


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--forks", type=int, default=20000, help="forks in the recorded trace (default 20000)")
    ap.add_argument("--runs", type=int, default=5, help="timed rounds (default 5)")
    ap.add_argument("--trace", default=os.path.join(ROOT, "trace"), help="the tracer")
    ap.add_argument("--bench-dir", default=HERE, help="where w1_fork is")
    args = ap.parse_args()
    w1 = os.path.join(args.bench_dir, "w1_fork")
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = os.path.join(tmp, "w1.jsonl")
        print("recording w1_fork %d under ./trace --json ..." % args.forks, file=sys.stderr, flush=True)
        try:
            run([args.trace, "-q", "-o", os.devnull, "--json", jsonl, "--", w1, str(args.forks)])
        except (RuntimeError, OSError) as e:
            print("FAILED: %s" % e)
            return 1
        with open(jsonl, "rb") as f:
            events = sum(1 for _ in f)
        times = {name: [] for name, _ in RENDERERS}
        sizes = {}
        try:
            for rnd in range(args.runs):
                for name, opts in RENDERERS:
                    out = os.path.join(tmp, "out")
                    times[name].append(run([args.trace, "--color", "never", "--replay", jsonl] +
                                           [o.format(out=out) for o in opts]))
                    sizes[name] = os.path.getsize(out)
                    os.unlink(out)
        except (RuntimeError, OSError) as e:
            print("FAILED: %s" % e)
            return 1
        print("renderers over one trace: w1_fork %d, %d events, %.1f MB of JSON Lines; "
              "median of %d rounds" % (args.forks, events, os.path.getsize(jsonl) / 1e6, args.runs))
        head = ["renderer", "wall s", "cpu s", "output MB"]
        rows = [[name, "%.2f" % statistics.median(w for w, _ in times[name]),
                 "%.2f" % statistics.median(c for _, c in times[name]), "%.1f" % (sizes[name] / 1e6)]
                for name, _ in RENDERERS]
        print(plain_table(head, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
