#!/usr/bin/python3
"""bench.py: time the tracelab workloads W1..W4 bare, under ./trace and under
strace (with and without --seccomp-bpf); print median wall time, ratio to
bare and the tracer's peak RSS. Builds nothing: the w* binaries must sit in
the bench directory and ./trace at the repo root (or give paths).
Exit status is 0 whatever the speed; 1 only if a workload failed bare."""

import argparse
import ctypes
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time

from table import plain_table

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# name, what it stands for, argv (binary relative to the bench dir)
WORKLOADS = [
    ("W1", "fork+_exit+waitpid x5000", ["w1_fork", "5000"]),
    ("W2", "pthread create+join x5000", ["w2_threads", "5000"]),
    ("W3", "getppid x500k + 200 forks", ["w3_getppid", "500000", "200"]),
    ("W4", "fork-per-client echo x200", ["w4_echo", "200"]),
]
TARGETS = {"W1": 2.0, "W2": 5.0, "W3": 1.3}  # ./trace ratio to bare
SETSID = shutil.which("setsid")
# trace: the summary only (-q), so only the calls the summary needs stop;
# trace-json: every event recorded (--json), the same stops as the timeline.
COLUMNS = ["bare", "trace", "trace-json", "strace", "strace-bpf"]
TITLES = {"bare": "bare", "trace": "./trace -q", "trace-json": "./trace --json",
          "strace": "strace", "strace-bpf": "strace-bpf"}


class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout()


def become_subreaper():
    """Orphans of a run (e.g. tracees a tracer left behind) become our
    children, so we can kill and reap them instead of leaking them."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def proc_stat(pid):
    """(state, ppid, pgrp, session) of pid from /proc, or None."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
    except OSError:
        return None
    f = stat[stat.rindex(")") + 2:].split()
    return f[0], int(f[1]), int(f[2]), int(f[3])


def live_procs(test):
    """Pids of processes that are not zombies and whose stat passes test."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = proc_stat(int(name))
            if st and st[0] != "Z" and test(st):
                found.append(int(name))
    return found


def reap_orphans(wait_s):
    """Reap children left over (orphans of a run's tree land on us)."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            if time.monotonic() > deadline:
                return
            time.sleep(0.01)


def kill_runs():
    """Kill the process group of every session we started (timeout, ^C)."""
    me = os.getpid()
    for pid in live_procs(lambda st: st[1] == me):
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass


def spawn(argv, err):
    """Start argv with stdin/stdout on /dev/null and stderr on err.
    Through `setsid -f` (fork, setsid, exec, parent exits): the command is
    then forked from that small program and lands on us, the subreaper, as
    a session leader. Forked straight from Python, its ru_maxrss would be
    at least this Python's RSS (~14 MiB): ru_maxrss counts what a process
    had mapped before exec."""
    fa = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
          (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
          (os.POSIX_SPAWN_DUP2, err.fileno(), 2)]
    if SETSID:
        pid = os.posix_spawn(SETSID, [SETSID, "-f"] + argv, os.environ,
                             file_actions=fa)
        _, st = os.waitpid(pid, 0)
        if st != 0:
            raise OSError("setsid -f failed (status %#x)" % st)
    else:
        os.posix_spawnp(argv[0], argv, os.environ, file_actions=fa,
                        setsid=True)


def wait_exit():
    """Wait (without reaping) for the command started by spawn() to exit;
    return its pid. The command is the session leader among our children;
    any other child is an orphan from its tree and is reaped on the way."""
    while True:
        pid = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOWAIT).si_pid
        st = proc_stat(pid)
        if st and st[3] == pid:
            return pid
        os.waitpid(pid, 0)


def run_once(argv, timeout):
    """Run argv once, output discarded (stderr kept for a failure message).
    Returns dict: wall (s), rss (KiB, ru_maxrss of the command: its own
    peak after exec, or the peak of any child it reaped if larger), rc,
    why (None if fine, else a short reason), err (stderr tail), stray."""
    with tempfile.TemporaryFile() as err:
        timed_out = False
        t0 = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            spawn(argv, err)
            pid = wait_exit()
        except Timeout:
            timed_out = True
        except OSError as e:
            signal.setitimer(signal.ITIMER_REAL, 0)
            reap_orphans(1.0)
            return {"wall": None, "rss": None, "rc": None,
                    "why": "cannot run: %s" % e, "err": "", "stray": 0}
        except BaseException:  # ^C: the run is in its own session
            signal.setitimer(signal.ITIMER_REAL, 0)
            kill_runs()
            reap_orphans(2.0)
            raise
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        t1 = time.perf_counter()
        if timed_out:
            kill_runs()
            try:
                pid = wait_exit()
            except ChildProcessError:  # timed out before it even started
                return {"wall": None, "rss": None, "rc": None,
                        "why": "TIMEOUT", "err": "", "stray": 0}
        # The zombie still holds its pid, so its process group id is safe to
        # use: anything left in the group outlived the run.
        stray = live_procs(lambda st: st[2] == pid)
        if stray:
            os.killpg(pid, signal.SIGKILL)
        _, status, ru = os.wait4(pid, 0)
        reap_orphans(5.0 if stray or timed_out else 0)
        rc = os.waitstatus_to_exitcode(status)
        why = None
        if timed_out:
            why = "TIMEOUT"
        elif rc < 0:
            try:
                why = "killed by %s" % signal.Signals(-rc).name
            except ValueError:
                why = "killed by signal %d" % -rc
        elif rc != 0:
            why = "exit %d" % rc
        elif stray:
            why = "left %d process(es) running" % len(stray)
        err.seek(0)
        tail = err.read()[-600:].decode(errors="replace").strip()
    return {"wall": t1 - t0, "rss": ru.ru_maxrss, "rc": rc, "why": why,
            "err": tail, "stray": len(stray)}


def command(col, prog, args):
    if col == "bare":
        return prog
    if col == "trace":
        return [args.trace, "-q", "-o", "/dev/null", "--"] + prog
    if col == "trace-json":
        return [args.trace, "-q", "--json", "/dev/null", "--"] + prog
    st = [args.strace, "-f", "-qq", "-o", "/dev/null",
          "-e", "trace=process,signal"]
    if col == "strace-bpf":
        st.append("--seccomp-bpf")
    return st + ["--"] + prog


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def bench_workload(name, prog, cols, args):
    """Warm-up round, then args.runs rounds of every column in turn.
    Returns {col: {"walls": [...], "rss": [...], "why": reason or None}},
    with walls/rss aligned by round (None where a column had failed)."""
    res = {c: {"walls": [], "rss": [], "why": None} for c in cols}
    for rnd in range(args.runs + 1):
        line = []
        for c in cols:
            r = res[c]
            if r["why"] or (c != "bare" and res["bare"]["why"]):
                if rnd > 0:
                    r["walls"].append(None)
                    r["rss"].append(None)
                continue
            out = run_once(command(c, prog, args), args.timeout)
            if out["why"]:
                r["why"] = out["why"]
                log("  %s %s FAILED (%s): %s" % (name, TITLES[c], out["why"],
                    " ".join(command(c, prog, args))))
                if out["err"]:
                    log("    " + out["err"].replace("\n", "\n    "))
            if rnd > 0:
                ok = not out["why"]
                r["walls"].append(out["wall"] if ok else None)
                r["rss"].append(out["rss"] if ok else None)
            if out["wall"] is not None:
                line.append("%s %.3fs" % (TITLES[c], out["wall"]))
        log("  %s %s: %s" % (name, "warm-up" if rnd == 0 else
                             "round %d/%d" % (rnd, args.runs), ", ".join(line)))
        if res["bare"]["why"]:
            break
    return res


def summarize(res, cols):
    """Median wall, median per-round ratio to bare, peak RSS per column."""
    s = {}
    bare = res["bare"]["walls"]
    for c in cols:
        r = res[c]
        walls = [w for w in r["walls"] if w is not None]
        ratios = [w / b for w, b in zip(r["walls"], bare)
                  if w is not None and b]
        rss = [x for x in r["rss"] if x is not None]
        s[c] = {"why": r["why"],
                "wall": statistics.median(walls) if walls else None,
                "ratio": statistics.median(ratios) if ratios else None,
                "rss": max(rss) if rss else None}
    if "trace" in cols and "strace-bpf" in cols:
        vs = [t / b for t, b in zip(res["trace"]["walls"],
                                    res["strace-bpf"]["walls"])
              if t is not None and b]
        s["trace_vs_bpf"] = statistics.median(vs) if vs else None
    return s


def fmt_time(c):
    if c is None:
        return "-"
    if c["wall"] is None:
        return "FAIL" if c["why"] else "-"
    cell = "%.3f" % c["wall"]
    if c["why"]:
        cell += " FAIL"
    return cell


def fmt_ratio(c):
    if c is None or c["ratio"] is None:
        return "-"
    return "%.2fx" % c["ratio"]


def fmt_rss(c):
    if c is None or c["rss"] is None:
        return "-"
    return "%.1f" % (c["rss"] / 1024.0)


def target_cell(name, s):
    t = TARGETS.get(name)
    if t is None:
        return "-"
    tr = s.get("trace")
    if tr is None or tr["ratio"] is None:
        return "<=%.1fx" % t
    return "<=%.1fx %s" % (t, "met" if tr["ratio"] <= t else "MISSED")


def beats_cell(s):
    v = s.get("trace_vs_bpf")
    if v is None:
        return "-"
    return "%s (%.2fx)" % ("yes" if v < 1.0 else "no", v)


def build_rows(results, cols):
    head = ["workload", "what"]
    for c in cols:
        head.append(TITLES[c] + " s")
        if c != "bare":
            head.append(TITLES[c] + " ratio")
        if c == "trace":
            head.append("target")
    if "trace" in cols and "strace-bpf" in cols:
        head.append("trace beats bpf")
    rows = []
    for name, what, s in results:
        row = [name, what]
        for c in cols:
            row.append(fmt_time(s.get(c)))
            if c != "bare":
                row.append(fmt_ratio(s.get(c)))
            if c == "trace":
                row.append(target_cell(name, s))
        if "trace" in cols and "strace-bpf" in cols:
            row.append(beats_cell(s))
        rows.append(row)
    rss_head = ["workload"] + [TITLES[c] for c in cols]
    rss_rows = [[name] + [fmt_rss(s.get(c)) for c in cols]
                for name, _, s in results]
    return (head, rows), (rss_head, rss_rows)


def md_table(head, rows):
    out = ["| " + " | ".join(head) + " |",
           "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(str(x) for x in r) + " |" for r in rows]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=7,
                    help="timed rounds per workload (default 7)")
    ap.add_argument("--markdown", action="store_true",
                    help="also print the tables as markdown")
    ap.add_argument("--bench-dir", default=HERE,
                    help="where the w* binaries are (default: this dir)")
    ap.add_argument("--trace", default=os.path.join(ROOT, "trace"),
                    help="the tracer (default: ./trace at the repo root)")
    ap.add_argument("--strace", default="strace",
                    help="strace binary (default: strace on PATH)")
    ap.add_argument("--only", default="",
                    help="comma-separated workloads, e.g. W1,W3")
    ap.add_argument("--columns", default=",".join(COLUMNS),
                    help="comma-separated subset of " + ",".join(COLUMNS))
    ap.add_argument("--timeout", type=float, default=300,
                    help="seconds before one run is killed (default 300)")
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be >= 1")

    cols = [c for c in COLUMNS if c in args.columns.split(",")]
    if "bare" not in cols:
        cols.insert(0, "bare")
    notes = []
    if not (os.path.isfile(args.trace) and os.access(args.trace, os.X_OK)):
        for c in ("trace", "trace-json"):
            if c in cols:
                cols.remove(c)
                notes.append("./trace not found or not executable at %s: "
                             "column %s skipped" % (args.trace, c))
    args.strace = shutil.which(args.strace) or args.strace
    if not os.path.isfile(args.strace) or not os.access(args.strace, os.X_OK):
        for c in ("strace", "strace-bpf"):
            if c in cols:
                cols.remove(c)
        notes.append("strace not found: strace columns skipped")
    for n in notes:
        log("note: " + n)

    only = [w.strip().upper() for w in args.only.split(",") if w.strip()]
    signal.signal(signal.SIGALRM, on_alarm)
    become_subreaper()

    results = []
    failed = False
    for name, what, argv in WORKLOADS:
        if only and name not in only:
            continue
        prog = [os.path.join(args.bench_dir, argv[0])] + argv[1:]
        if not os.access(prog[0], os.X_OK):
            log("%s: %s missing (build it first: make bench)" % (name, prog[0]))
            notes.append("%s: %s missing" % (name, prog[0]))
            failed = True
            results.append((name, what, {"bare": {"why": "missing",
                            "wall": None, "ratio": None, "rss": None}}))
            continue
        log("%s: %s" % (name, " ".join(prog)))
        res = bench_workload(name, prog, cols, args)
        if res["bare"]["why"]:
            failed = True
        results.append((name, what, summarize(res, cols)))
        for c in cols:
            if res[c]["why"]:
                notes.append("%s %s failed: %s" % (name, TITLES[c],
                                                   res[c]["why"]))

    (head, rows), (rhead, rrows) = build_rows(results, cols)
    u = os.uname()
    info = "%s %s, %d CPUs, %d timed runs each after 1 warm-up" % (
        u.sysname, u.release, os.cpu_count() or 0, args.runs)
    print("tracelab bench: " + info)
    print("median wall seconds; ratio = median over rounds of (run / bare "
          "run of the same round)")
    print(plain_table(head, rows))
    print()
    print("peak RSS, MiB (ru_maxrss of the tracer process, or of the bare "
          "program; a tracee it reaped counts if larger)")
    print(plain_table(rhead, rrows))
    for n in notes:
        print("note: " + n)
    if args.markdown:
        print()
        print("_%s_" % info)
        print()
        print(md_table(head, rows))
        print()
        print("Peak RSS (MiB):")
        print()
        print(md_table(rhead, rrows))
        for n in notes:
            print()
            print("_note: %s_" % n)
    if failed:
        print("FAILED: a workload failed when run bare (see above)")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
