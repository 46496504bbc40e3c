"""Ctrl-C on a traced command, as without the tracer: the program gets its
SIGINT and its handler runs; what still runs after the grace, or at a
second Ctrl-C, is killed, and the summary says that Ctrl-C did it. The
oracle is the program's own report (tests/tracer/cli/sigint_*.c) and
/proc, never the tracer's opinion alone."""

import fcntl
import os
import re
import select
import signal
import subprocess
import termios
import time

import pytest

import tracelab

GRACE_S = 2.0   # CTRL_C_GRACE_MS in tracer/core/ctrl_c.h


@pytest.fixture
def start(trace_bin, cli_progs, tmp_path):
    """start(prog, ready=True, **popen): trace a cli program; return the
    tracer, the JSON path and what the program printed before "ready"
    (when ready and its stdout is ours)."""
    def run(prog, ready=True, **popen):
        jsonl = tmp_path / "run.jsonl"
        popen.setdefault("stdout", subprocess.PIPE)
        p = subprocess.Popen([trace_bin, "-q", "--color", "never", "--json", str(jsonl), "--",
                              str(cli_progs / prog)], stderr=subprocess.PIPE, text=True, **popen)
        before = []
        if ready and popen["stdout"] == subprocess.PIPE:
            for line in p.stdout:
                if line.strip() == "ready":
                    break
                before.append(line.strip())
        return p, jsonl, before
    return run


def finish(p, jsonl):
    out, err = p.communicate(timeout=GRACE_S + 10)
    return out, err, tracelab.load(jsonl)


def test_a_handler_runs_and_the_program_exits_with_its_own_status(start):
    p, jsonl, _ = start("sigint_handler", start_new_session=True)
    p.send_signal(signal.SIGINT)                   # to ./trace alone, as kill -INT does
    out, err, t = finish(p, jsonl)
    assert out.splitlines() == ["got SIGINT x1"]   # the program's own word: once
    assert p.returncode == 3
    [sigint] = t.signals(sig="SIGINT")
    assert (sigint["pid"], sigint["action"]) == (t.root, "handler")
    assert (sigint["sender"], sigint["code"]) == (p.pid, "SI_USER")   # passed on by the tracer
    [end] = t.exits(process=True)
    assert (end["code"], end["signal"]) == (3, None)
    s = t.summary
    assert (s["exit"], s["interrupted"], s["after_interrupt"]) == (3, "SIGINT", "ended")
    assert s["tree"][0]["status"] == {"exited": 3}
    assert "killed by" not in err and "were killed" not in err
    assert "ended within the 2 s grace; the tracer killed none" in err


def test_a_program_that_ignores_sigint_is_killed_after_the_grace(trace_bin, alive, start):
    p, jsonl, pids = start("sigint_ignore", start_new_session=True)
    pids = [int(pid) for pid in pids]
    t0 = time.monotonic()
    p.send_signal(signal.SIGINT)
    time.sleep(GRACE_S / 2)
    assert all(alive(pid) for pid in pids)        # the grace is given: nothing killed yet
    out, err, t = finish(p, jsonl)
    # the grace was waited out: a lower bound, which a slow machine only
    # makes longer (how soon after the grace the kill comes is not timed)
    assert time.monotonic() - t0 >= GRACE_S
    assert [pid for pid in pids if alive(pid)] == []
    assert p.returncode == 128 + signal.SIGKILL
    assert {(e["pid"], e["action"]) for e in t.signals(sig="SIGINT")} == {(pid, "ignore") for pid in pids}
    s = t.summary
    assert (s["interrupted"], s["after_interrupt"], s["grace_ms"]) == ("SIGINT", "killed-after-grace", 2000)
    assert "trace: Ctrl-C: still running 2 s after its SIGINT: the traced processes were killed" in err
    assert "Ctrl-C ended the trace" in err
    again = subprocess.run([trace_bin, "-q", "--color", "never", "--replay", str(jsonl)],
                           capture_output=True, text=True, timeout=30)
    assert again.stderr == err                     # the replay says it the same way


def test_a_program_with_no_handler_dies_of_sigint(start):
    """The child has no handler; its parent (which ignores SIGINT) says how it ended."""
    p, jsonl, _ = start("sigint_default", start_new_session=True)
    p.send_signal(signal.SIGINT)
    out, err, t = finish(p, jsonl)
    [report] = out.splitlines()
    child = int(report.split()[1])
    assert report == f"child {child} killed by signal {int(signal.SIGINT)}"
    assert p.returncode == 0
    assert [(e["code"], e["signal"]) for e in t.exits(process=True) if e["pid"] == child] == [(None, "SIGINT")]
    assert re.search(rf"^ *{child} sigint_default \(fork\): killed by SIGINT(, CPU .*)?$", err, re.M), err
    assert "SIGKILL" not in err                    # it ended by itself: nothing was killed after a grace
    assert t.summary["after_interrupt"] == "ended"
    assert "ended within the 2 s grace; the tracer killed none" in err


def test_a_root_with_no_handler_is_killed_by_sigint_not_sigkill(alive, start):
    """tests/tracer/cli/tree.c: a tree of processes, none with a handler.
    The last grandchild is often forked just before the SIGINT, its fork
    not yet reported to the tracer: it must have its SIGINT too."""
    p, jsonl, _ = start("tree", ready=False, start_new_session=True)
    pids = [int(p.stdout.readline()) for _ in range(4)]
    p.send_signal(signal.SIGINT)
    out, err, t = finish(p, jsonl)
    assert p.returncode == 128 + signal.SIGINT
    assert [pid for pid in pids if alive(pid)] == []
    ends = {e["pid"]: e["signal"] for e in t.exits(process=True)}
    assert set(pids) <= set(ends) and set(ends.values()) == {"SIGINT"}
    assert re.search(rf"^{pids[0]} tree: killed by SIGINT(, CPU .*)?$", err, re.M) and "SIGKILL" not in err


def test_a_child_forked_after_the_sigint_does_not_get_one(start):
    """The program forks once its handler has run: that child is no part of the Ctrl-C."""
    p, jsonl, _ = start("sigint_forks", start_new_session=True)
    p.send_signal(signal.SIGINT)
    out, err, t = finish(p, jsonl)
    assert out.splitlines() == ["child exited 0"]   # its parent's word
    assert p.returncode == 3
    assert [e["pid"] for e in t.signals(sig="SIGINT")] == [t.root]
    assert t.summary["after_interrupt"] == "ended"


def test_a_second_ctrl_c_kills_at_once(alive, start):
    p, jsonl, pids = start("sigint_ignore", start_new_session=True)
    pids = [int(pid) for pid in pids]
    p.send_signal(signal.SIGINT)
    time.sleep(0.2)
    p.send_signal(signal.SIGINT)
    out, err, t = finish(p, jsonl)
    # the second Ctrl-C killed, not the end of the grace: the tracer says which
    assert [pid for pid in pids if alive(pid)] == []
    assert p.returncode == 128 + signal.SIGKILL
    assert (t.summary["interrupted"], t.summary["after_interrupt"]) == ("SIGINT", "killed-again")
    assert "trace: Ctrl-C again: the traced processes were killed at once" in err


def test_sigterm_kills_at_once_and_says_so(start):
    p, jsonl, _ = start("sigint_handler", start_new_session=True)
    p.send_signal(signal.SIGTERM)
    out, err, t = finish(p, jsonl)
    assert out == ""                               # no SIGINT came: its handler never ran
    assert p.returncode == 128 + signal.SIGKILL
    assert (t.summary["interrupted"], t.summary["after_interrupt"]) == ("SIGTERM", "killed-at-once")
    assert "trace: SIGTERM: the traced processes were killed" in err


def read_until(fd, word, timeout=10):
    """What the terminal's master side reads until word (or the end)."""
    got, deadline = b"", time.monotonic() + timeout
    while word not in got and time.monotonic() < deadline:
        if select.select([fd], [], [], 0.1)[0]:
            try:
                chunk = os.read(fd, 1024)
            except OSError:                        # EIO: nothing holds the terminal any more
                break
            if not chunk:
                break
            got += chunk
    return got


def test_a_terminal_ctrl_c_reaches_the_program_once(start):
    """A real terminal: ./trace leads a session whose controlling terminal
    is a pty; ^C written to it sends SIGINT to the foreground process
    group, the tracer and the program alike. The tracer must not pass on
    a second one."""
    master, slave = os.openpty()

    def take_the_terminal():
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    try:
        p, jsonl, _ = start("sigint_handler", stdin=slave, stdout=slave,
                            start_new_session=True, preexec_fn=take_the_terminal)
        os.close(slave)
        slave = None
        assert b"ready" in read_until(master, b"ready")
        os.write(master, b"\x03")                  # Ctrl-C
        _, err, t = finish(p, jsonl)
        said = read_until(master, b"\n", timeout=2).decode()
    finally:
        os.close(master)
        if slave is not None:
            os.close(slave)
    assert "got SIGINT x1" in said, said           # the program's own word: once
    assert p.returncode == 3
    [sigint] = t.signals(sig="SIGINT")
    assert (sigint["code"], sigint["sender"], sigint["action"]) == ("SI_KERNEL", None, "handler")
    assert (t.summary["interrupted"], t.summary["after_interrupt"]) == ("SIGINT", "ended")


def test_ctrl_c_after_attach_detaches_and_the_program_runs_on(cli_progs, tmp_path, trace_bin, alive,
                                                              wait_traced):
    prog = subprocess.Popen([str(cli_progs / "sigint_handler")], stdout=subprocess.PIPE, text=True)
    try:
        assert prog.stdout.readline() == "ready\n"
        jsonl = tmp_path / "attach.jsonl"
        tracer = subprocess.Popen([trace_bin, "-q", "--json", str(jsonl), "-p", str(prog.pid)],
                                  stderr=subprocess.PIPE, text=True)
        wait_traced(prog.pid, tracer.pid)
        tracer.send_signal(signal.SIGINT)
        _, err = tracer.communicate(timeout=10)
        assert tracer.returncode == 0
        s = tracelab.load(jsonl).summary
        assert (s["interrupted"], s["after_interrupt"]) == ("SIGINT", "detached")
        assert "grace_ms" not in s
        assert "Ctrl-C: the tracer let go of the traced processes (detached)" in err
        assert alive(prog.pid)                     # no SIGINT was passed on
        prog.send_signal(signal.SIGINT)            # it runs on, untraced, and its handler works
        out, _ = prog.communicate(timeout=10)
        assert out == "got SIGINT x1\n" and prog.returncode == 3
    finally:
        prog.kill()
        prog.wait()


def test_ctrl_c_on_a_lab_is_not_a_lab_that_ended_well(tmp_path, trace_bin):
    """A lab whose server became ready exits 0 when the lab runner stops
    it; stopped by Ctrl-C, the tracer's status says the interrupt: lab 1's
    server has no SIGINT handler and dies of it (130, as in a shell)."""
    jsonl = tmp_path / "run.jsonl"
    p = subprocess.Popen([trace_bin, "-q", "--json", str(jsonl), "lab1"], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not (jsonl.exists() and '"ready"' in jsonl.read_text()):
        time.sleep(0.01)
    p.send_signal(signal.SIGINT)
    p.communicate(timeout=GRACE_S + 10)
    t = tracelab.load(jsonl)
    assert t.summary["interrupted"] == "SIGINT"
    assert t.processes[t.root].exit["signal"] == "SIGINT"
    assert p.returncode == 130
