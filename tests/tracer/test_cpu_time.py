"""The CPU time the trace gives each process (the exit event's
cpu_user_us and cpu_system_us, the summary's "CPU" in the tree) is the
process's own, as the kernel counted it: checked against what each
process of tests/tracer/cli/cpu_burn.c reports of itself with
getrusage(RUSAGE_SELF) just before it exits. The parent reaped a child
that used 150 ms: none of that is the parent's."""

import re
import subprocess

import tracelab

# What a process may use after its own report: printf, fflush, exit.
AFTER_REPORT_US = 10_000
CHILD_BURN_US = 150_000


def reported(stdout):
    """pid -> (user_us, system_us), as each process printed it."""
    return {int(p): (int(u), int(s)) for p, u, s in re.findall(r"^cpu (\d+) (\d+) (\d+)$", stdout, re.M)}


def test_each_process_cpu_time_is_its_own_as_it_reports_it(cli_progs):
    t = tracelab.run([cli_progs / "cpu_burn"])
    assert t.returncode == 0, t.stderr
    said = reported(t.stdout)
    exits = {e["pid"]: e for e in t.exits(process=True)}
    assert set(said) == set(exits) and len(said) == 2
    for pid, (user, system) in said.items():
        e = exits[pid]
        # the kernel never lets either count go back (cputime_adjust)
        assert e["cpu_user_us"] >= user and e["cpu_system_us"] >= system, (e, said[pid])
        extra = e["cpu_user_us"] + e["cpu_system_us"] - (user + system)
        assert 0 <= extra <= AFTER_REPORT_US, (e, said[pid])
    child = next(p for p in said if p != t.root)
    assert said[child][0] + said[child][1] >= CHILD_BURN_US * 0.9
    # the parent's wait added the child's time to its kernel count; the
    # trace takes it out again: the parent's is what it reported itself
    parent = exits[t.root]
    assert parent["cpu_user_us"] + parent["cpu_system_us"] <= sum(said[t.root]) + AFTER_REPORT_US
    tree = {n["pid"]: n for n in t.summary["tree"]}
    for pid, e in exits.items():
        assert (tree[pid]["cpu_user_us"], tree[pid]["cpu_system_us"]) == (e["cpu_user_us"], e["cpu_system_us"])


def test_the_summary_says_each_process_cpu_time(cli_progs, trace_bin):
    done = subprocess.run([trace_bin, "-q", "--", cli_progs / "cpu_burn"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    said = reported(done.stdout)
    lines = [l for l in done.stderr.splitlines() if re.match(r"\s*\d+ cpu_burn", l)]
    assert len(lines) == 2
    for line in lines:
        pid = int(line.split()[0])
        m = re.search(r"CPU ([\d.]+) (ms|s) \(user ([\d.]+) (ms|s) \+ system ([\d.]+) (ms|s)\)", line)
        assert m, line
        ms = float(m[1]) * (1000 if m[2] == "s" else 1)
        assert sum(said[pid]) / 1000 - 0.1 <= ms <= sum(said[pid]) / 1000 + AFTER_REPORT_US / 1000, line


def test_a_thread_exit_carries_no_cpu_time(cli_progs):
    t = tracelab.run([cli_progs / "threadloop", "3"])
    threads = t.exits(process=False)
    assert threads and all("cpu_user_us" not in e for e in threads)
    assert all(isinstance(e["cpu_user_us"], int) for e in t.exits(process=True))
