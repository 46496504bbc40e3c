"""What the kernel did, in cases where the tracer once said otherwise
(issue: the trace is the truth). Each fact is checked against an oracle
that is not the tracer: the program's own report, or strace."""

import re
import shutil
import subprocess

import pytest

import tracelab


def test_a_wait_that_fails_to_write_the_status_still_reaps(cli_progs):
    """waitpid() with a bad status pointer returns EFAULT after reaping the
    child; waitid() with no siginfo returns 0 and reaps it. The program
    checks each child is gone (kill(pid, 0) fails with ESRCH)."""
    t = tracelab.run([cli_progs / "reap_unseen"])
    gone = [int(p) for p in re.findall(r"^gone (\d+)$", t.stdout, re.M)]
    assert "waitpid -1 EFAULT" in t.stdout and "waitid 0" in t.stdout and len(gone) == 2
    assert sorted(r["child"] for r in t.reaps(how="wait")) == sorted(gone)
    assert all(r["by"] == t.root for r in t.reaps(how="wait"))
    assert t.zombies.leaked == []


def test_a_clone_parent_child_is_its_grandparents(cli_progs):
    """clone(CLONE_PARENT) makes a sibling: its parent (getppid, the oracle)
    is the first process, which reaps it with its own wait."""
    t = tracelab.run([cli_progs / "clone_parent"])
    (parent,) = [int(p) for p in re.findall(r"^parent (\d+)$", t.stdout, re.M)]
    reaped = [int(p) for p in re.findall(r"^reaped (\d+)$", t.stdout, re.M)]
    assert parent == t.root and len(reaped) == 2
    assert sorted(r["child"] for r in t.reaps(how="wait")) == sorted(reaped)
    assert all(r["by"] == t.root for r in t.reaps(how="wait"))
    assert t.reaps(how="adopted") == [] and t.zombies.leaked == []


def test_a_reap_by_a_thread_names_that_thread(cli_progs):
    """The reap happens in the thread whose wait did it (the program prints
    its gettid())."""
    t = tracelab.run([cli_progs / "thread_reaps"])
    (reaper,) = [int(p) for p in re.findall(r"^reaper (\d+)$", t.stdout, re.M)]
    (reap,) = t.reaps(how="wait")
    assert reap["tid"] == reaper != t.root and reap["pid"] == t.root


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is the oracle here")
def test_waitid_options_are_named_as_waitid_names_them(cli_progs, tmp_path):
    """WSTOPPED and WUNTRACED are one bit; waitid calls it WSTOPPED (strace,
    the oracle, says so too)."""
    out = tmp_path / "strace.txt"
    subprocess.run(["strace", "-f", "-qq", "-e", "trace=waitid", "-o", str(out),
                    str(cli_progs / "thread_reaps")], check=True, capture_output=True)
    (flags,) = re.findall(r"waitid\(P_PID, \d+, .*?\}, ([A-Z_|]+), NULL\)", out.read_text())
    t = tracelab.run([cli_progs / "thread_reaps"])
    (call,) = t.syscalls(name="waitid")
    assert sorted(call["args"]["options"]) == sorted(flags.split("|")) == ["WEXITED", "WSTOPPED"]


def test_a_call_ends_as_the_program_saw_it_whatever_the_order_of_signals(cli_progs):
    """SIGCHLD (no handler) and SIGWINCH (a handler without SA_RESTART)
    both pending while read() blocks: the kernel dequeues SIGCHLD first,
    yet the handled SIGWINCH decides, and read() returns -1 EINTR (the
    program's own report). 20 runs: the order of the two varies."""
    for _ in range(20):
        t = tracelab.run([cli_progs / "eintr_two_signals"], classes="all")
        assert t.stdout.strip() == "read -1 EINTR"
        reads = [c for c in t.syscalls(name="read", pid=t.root) if c["args"].get("count") == 1]
        assert [(c["err"], c.get("interrupted"), c.get("signal")) for c in reads] == \
            [("EINTR", "EINTR", "SIGWINCH")]
