#!/usr/bin/python3
"""spawns.py: what a fork() costs against a pthread_create(), in lab 10.

Lab 10's server holds a 32 MB table; fork() copies the page tables that map
it, a thread shares them. Each round runs the lab in both modes twice:

  ./trace   `./trace -q --json FILE lab10` and `lab10 thread`: each spawn's
            took_ns (--time-spawns, on in lab10's lab.conf), the CPU time
            from the call's entry to the child's birth;
  strace    the lab's program alone under `strace -f -T -e trace=clone,clone3`,
            3 clients served one after another by this script, then SIGTERM:
            the time strace gives each clone (fork) and clone3
            (pthread_create) call, its wall time in the kernel.

Prints, for each, the median time of one fork() and of one
pthread_create() over every spawn of every round, and their ratio; and the
median over rounds of each round's ratio. strace's column is the yardstick:
another tool's clock on the same calls. Exit status 0 whatever the times;
1 if a run failed. Standard library only."""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile

from table import plain_table

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LAB = os.path.join(ROOT, "labs", "lab10-fork-vs-threads", "lab10")
MODES = [("fork()", "process", "fork"), ("pthread_create()", "thread", "thread")]
CLIENTS = 3
MESSAGES = 2                   # as lab.conf's load: 2 messages per client
MESSAGE = b"x" * 31 + b"\n"    # 32 bytes, as the load generator sends
RUN_TIMEOUT_S = 60             # a safety net per run, not a measure
LISTENING = re.compile(rb"^lab10\[(\d+)\]: listening on [\d.]+:(\d+)")
# a clone's result line under strace -T, whole or resumed after another task's lines
CLONE = re.compile(r"^(\d+) +(?:clone3?\(|<\.\.\. clone3? resumed>).*= (\d+) <([\d.]+)>$", re.M)


class Failed(Exception):
    pass


def traced(tracer, mode, tmp):
    """took_ns of each spawn of `./trace lab10 MODE` (kind: the mode's)."""
    jsonl = os.path.join(tmp, "run.jsonl")
    argv = [tracer, "-q", "-o", os.devnull, "--json", jsonl, "lab10"] + ([] if mode[2] == "fork" else [mode[2]])
    done = subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          timeout=RUN_TIMEOUT_S)
    if not os.path.exists(jsonl):
        raise Failed("%s: no trace (exit %d): %s" % (" ".join(argv), done.returncode, done.stderr[-400:]))
    with open(jsonl) as f:
        events = [json.loads(line) for line in f]
    took = [e["took_ns"] for e in events if e.get("type") == "spawn" and e.get("kind") == mode[1]]
    if not took:
        raise Failed("%s: no %s was made" % (" ".join(argv), mode[0]))
    return took


def serve_clients(port):
    """CLIENTS clients one after another, each sending MESSAGES and
    reading each echo back."""
    for _ in range(CLIENTS):
        with socket.create_connection(("127.0.0.1", port), timeout=RUN_TIMEOUT_S) as s:
            for _ in range(MESSAGES):
                s.sendall(MESSAGE)
                got = b""
                while len(got) < len(MESSAGE):
                    part = s.recv(len(MESSAGE) - len(got))
                    if not part:
                        raise Failed("the server closed the connection")
                    got += part


def straced(strace, mode, tmp):
    """Seconds strace gives each of the server's clone calls in MODE."""
    out = os.path.join(tmp, "strace.txt")
    argv = [strace, "-f", "-T", "-qq", "-e", "trace=clone,clone3", "-o", out, LAB, "0", mode[2]]
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        m = LISTENING.match(p.stdout.readline())
        if not m:
            raise Failed("%s: the server did not say where it listens" % " ".join(argv))
        server, port = int(m.group(1)), int(m.group(2))
        serve_clients(port)
        os.kill(server, signal.SIGTERM)
        p.wait(timeout=RUN_TIMEOUT_S)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        p.stdout.close()
    with open(out) as f:
        text = f.read()
    took = [float(s) for pid, _, s in CLONE.findall(text) if int(pid) == server]
    if len(took) != CLIENTS:
        raise Failed("%s: %d clone calls of the server, not %d:\n%s" % (" ".join(argv), len(took), CLIENTS,
                                                                          text[-600:]))
    return [s * 1e9 for s in took]


def us(ns):
    return "%.0f us" % (ns / 1e3)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=7, help="rounds (default 7)")
    ap.add_argument("--trace", default=os.path.join(ROOT, "trace"), help="the tracer")
    ap.add_argument("--strace", default=shutil.which("strace"), help="strace (left out if missing)")
    args = ap.parse_args()
    tools = [("./trace", lambda mode, tmp: traced(args.trace, mode, tmp), "CPU time of the call")]
    if args.strace:
        tools.append(("strace -T", lambda mode, tmp: straced(args.strace, mode, tmp), "wall time in the call"))
    else:
        print("note: no strace, its column is left out", file=sys.stderr)
    spawns = {(tool, mode[0]): [] for tool, _, _ in tools for mode in MODES}
    ratios = {tool: [] for tool, _, _ in tools}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(args.runs):
                for tool, measure, _ in tools:
                    medians = {}
                    for mode in MODES:
                        took = measure(mode, tmp)
                        spawns[tool, mode[0]] += took
                        medians[mode[0]] = statistics.median(took)
                    ratios[tool].append(medians[MODES[0][0]] / medians[MODES[1][0]])
    except (Failed, OSError, subprocess.SubprocessError) as e:
        print("FAILED: %s" % e)
        return 1
    print("lab 10 (a server holding 32 MB): one fork() against one pthread_create(); %d rounds, "
          "median of every spawn" % args.runs)
    head = ["measured by", "what", "fork()", "pthread_create()", "ratio", "per round: median (lowest to highest)"]
    rows = []
    for tool, _, what in tools:
        fork, thread = (statistics.median(spawns[tool, m[0]]) for m in MODES)
        rows.append([tool, what, us(fork), us(thread), "%.1fx" % (fork / thread),
                     "%.1fx (%.1f to %.1f)" % (statistics.median(ratios[tool]), min(ratios[tool]),
                                                max(ratios[tool]))])
    print(plain_table(head, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
