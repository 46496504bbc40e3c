"""The summary's diagnoses (tracer/model/diagnose.c): each pitfall is
found in a small program that falls into it (tests/tracer/cli/diag_*.c),
with the numbers the program counted itself as the oracle; programs that
do it right get none. And the facts a lab's lesson is made of."""

import re
import subprocess

import pytest

import tracelab

ALL = "process,signal,wait,mux,io"


def diagnoses(t, kind):
    return [d for d in t.summary["diagnoses"] if d["kind"] == kind]


def test_a_busy_loop_of_eagain_is_found_with_its_count(cli_progs):
    t = tracelab.run([cli_progs / "diag_eagain"], classes=ALL)
    said = int(re.search(r"^eagain (\d+)$", t.stdout, re.M)[1])
    [d] = diagnoses(t, "eagain-busy-loop")
    assert d["pid"] == t.root and d["about"] == "read" and d["calls"] == said >= 20
    exit_ = next(e for e in t.exits(process=True) if e["pid"] == t.root)
    assert d["cpu_us"] == exit_["cpu_user_us"] + exit_["cpu_system_us"]


def test_a_call_interrupted_and_never_made_again_is_found(cli_progs):
    t = tracelab.run([cli_progs / "diag_eintr"], classes=ALL)
    assert "eintr read" in t.stdout
    [d] = diagnoses(t, "eintr-not-retried")
    assert d["pid"] == t.root and d["about"] == "read"


def test_select_given_an_fd_at_nfds_is_found(cli_progs):
    bare = subprocess.run([cli_progs / "diag_nfds"], capture_output=True, text=True, timeout=10)
    nfds, fd, ready = map(int, re.search(r"nfds (\d+) fd (\d+) ready (-?\d+)", bare.stdout).groups())
    assert ready == 0 and fd == nfds      # the kernel really ignored the ready fd
    t = tracelab.run([cli_progs / "diag_nfds"], classes=ALL)
    [d] = diagnoses(t, "select-nfds-too-small")
    assert (d["nfds"], d["fd"]) == (nfds, fd)
    [call] = [c for c in t.syscalls() if c["call"] == "select"]
    assert call["args"]["ignored"] == [fd] and call["args"]["readfds"] == []


@pytest.mark.parametrize("mode, sig", [("segv", "SIGSEGV"), ("abort", "SIGABRT")])
def test_a_thread_that_crashes_its_process_is_found(cli_progs, mode, sig):
    t = tracelab.run([cli_progs / "diag_thread_crash", mode])
    tid = int(re.search(r"^crash (\d+)$", t.stdout, re.M)[1])
    [d] = diagnoses(t, "thread-crashed-process")
    assert (d["pid"], d["tid"], d["about"], d["threads"]) == (t.root, tid, sig, 3)


@pytest.mark.parametrize("mode", ["abort", "sibling"])
def test_a_threads_abort_is_found_under_q_alone_too(cli_progs, trace_bin, mode):
    """-q alone stops few calls, but tgkill() among them: the summary can
    tell a thread's abort() from a SIGABRT its sibling sent it."""
    done = subprocess.run([trace_bin, "-q", "--", cli_progs / "diag_thread_crash", mode],
                          capture_output=True, text=True, timeout=60)
    said = " ".join(line.strip() for line in done.stderr.splitlines())
    if mode == "abort":
        tid = int(re.search(r"^crash (\d+)$", done.stdout, re.M)[1])
        assert re.search(rf"thread {tid} of \d+ crashed \(SIGABRT\)", said), done.stderr
    else:
        assert "killed by SIGABRT" in said and "what went wrong" not in said, done.stderr


@pytest.mark.parametrize("mode", ["sibling", "process"])
def test_a_thread_killed_by_a_sigabrt_sent_to_it_did_not_crash(cli_progs, mode):
    """tgkill(SIGABRT) from another thread, or from a child process: the
    process dies of it all the same, but the thread made no fault."""
    t = tracelab.run([cli_progs / "diag_thread_crash", mode])
    victim = int(re.search(r"^victim (\d+)$", t.stdout, re.M)[1])
    sender = int(re.search(r"^sender (\d+)$", t.stdout, re.M)[1])
    [sig] = [e for e in t.signals() if e["tid"] == victim]
    assert (sig["sig"], sig["action"], sig["sender"]) == ("SIGABRT", "core", sender)
    [root] = [p for p in t.summary["tree"] if p["pid"] == t.root]
    assert root["status"]["signaled"] == "SIGABRT"
    assert diagnoses(t, "thread-crashed-process") == []


@pytest.mark.parametrize("run", range(3))
def test_a_handler_that_reaps_once_per_signal_is_found(cli_progs, run):
    t = tracelab.run([cli_progs / "diag_reap_once"], hold="sigchld")
    runs, reaped = map(int, re.search(r"handler (\d+) reaped (\d+)", t.stdout).groups())
    [d] = diagnoses(t, "zombies-reaped-once-per-signal")
    assert (d["handler_runs"], d["reaped_in_handler"]) == (runs, reaped)
    assert d["exited"] == 4 and d["leaked"] == 4 - reaped == len(t.zombies.leaked) > 0
    facts = t.summary["facts"]
    assert (facts["children"], facts["exited"], facts["handler_runs"], facts["reaped_in_handler"],
            facts["leaked"]) == (4, 4, runs, reaped, 4 - reaped)


def test_a_parent_that_never_waits_is_found(cli_progs):
    t = tracelab.run([cli_progs / "diag_reap_once", "never"])
    assert "handler 0 reaped 0" in t.stdout
    [d] = diagnoses(t, "zombies-never-waited")
    assert d["leaked"] == 4 == len(t.zombies.leaked)
    assert diagnoses(t, "zombies-reaped-once-per-signal") == []


@pytest.mark.parametrize("lab", ["lab7", "lab1", "lab8"])
def test_a_lab_done_right_has_no_diagnosis(lab):
    assert tracelab.run(lab=lab).summary["diagnoses"] == []


def test_the_summary_says_what_went_wrong_in_lines_of_100_columns(cli_progs, trace_bin):
    done = subprocess.run([trace_bin, "-q", "--hold", "sigchld", "--", cli_progs / "diag_reap_once"],
                          capture_output=True, text=True, timeout=60)
    text = done.stderr[done.stderr.index("what went wrong:"):]
    joined = " ".join(line.strip() for line in text.splitlines())
    assert "reaps one child per signal" in joined and "waitpid(-1, &status, WNOHANG)" in joined
    assert all(len(line) <= 100 for line in text.splitlines()), text


def test_the_calls_that_found_nothing_are_named_each_once():
    t = tracelab.run(lab="lab2")
    [d] = diagnoses(t, "eagain-busy-loop")
    failed = [c for c in t.syscalls(pid=t.root) if c["err"] == "EAGAIN"]
    names = []
    for c in failed:
        if c["call"] not in names:
            names.append(c["call"])
    assert d["about"] == ",".join(names) and d["calls"] == len(failed) == t.summary["facts"]["eagain"]
