"""The sync class: futex, against strace.

tests/tracer/progs/futex_ops.c makes one futex call of each kind on one
word, each with a known result, and prints the word's address. Under
strace and under `./trace --trace sync` the calls on that word must be the
same: the op as strace names it, the value, the result. The calls that
slept are the ones the program made sure of (a 2 ms timeout; a wait its
other thread ends only once /proc says the waiter sleeps).
"""

import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest

import oracle
import tracelab

PROG = Path(__file__).parent / "progs" / "futex_ops.c"
CFLAGS = ["-Wall", "-Wextra", "-Werror", "-O2", "-pthread"]
# futex(0x55..., FUTEX_WAIT_PRIVATE, 5, NULL) = -1 EAGAIN (...); a call that
# slept is split by strace into "<unfinished ...>" and "<... futex resumed>".
_START = re.compile(r"^(\d+)\s+futex\((0x[0-9a-f]+), ([A-Z_|]+), (\d+)")
_RESULT = re.compile(r"\)\s+= (-?\d+)(?: (E[A-Z]+))?")
_RESUMED = re.compile(r"^(\d+)\s+<\.\.\. futex resumed>")


@pytest.fixture(scope="module")
def prog(tmp_path_factory):
    out = tmp_path_factory.mktemp("sync") / "futex_ops"
    subprocess.run(["gcc", *CFLAGS, "-o", str(out), str(PROG)], check=True)
    return out


def word_of(stdout):
    m = re.search(r"word at (0x[0-9a-f]+)", stdout)
    assert m, f"the program did not say where its word is:\n{stdout}"
    return m.group(1)


def strace_calls(text):
    """[(uaddr, op, val, ret, err)] of every futex call strace saw."""
    calls, pending = [], {}
    for line in text.splitlines():
        start, resumed = _START.match(line), _RESUMED.match(line)
        if start:
            pid, call = start.group(1), start.group(2, 3, 4)
            if "<unfinished ...>" in line:
                pending[pid] = call
                continue
        elif resumed:
            pid = resumed.group(1)
            call = pending.pop(pid)
        else:
            continue
        ret = _RESULT.search(line)
        calls.append((call[0], call[1], int(call[2]), int(ret.group(1)), ret.group(2)))
    return calls


def futex_events(trace, word):
    return [ev for ev in trace.events if ev.get("type") == "syscall" and ev.get("name") == "futex"
            and ev["args"]["uaddr"] == word]


@pytest.mark.skipif(not oracle.strace_available(), reason="strace is not installed")
def test_futex_calls_are_the_ones_strace_sees(prog):
    """Each futex call on the word: the same op, value and result as strace shows."""
    status, text, err = oracle.run_strace([prog], calls="futex")
    assert status == 0, err
    seen = strace_calls(text)
    # strace keeps the program's output apart: its word is the address
    # most of its futex calls are on.
    s_word = Counter(c[0] for c in seen).most_common(1)[0][0]
    theirs = Counter(c[1:] for c in seen if c[0] == s_word)
    trace = tracelab.run([str(prog)], classes=["sync"], timeout=60)
    assert trace.summary and trace.summary.get("exit") == 0, trace.stderr
    ours = Counter((ev["args"]["op"], ev["args"]["val"], ev["ret"], ev["err"])
                   for ev in futex_events(trace, word_of(trace.stdout)))
    assert ours == theirs
    assert sum(ours.values()) == 6, ours


def test_a_wait_that_slept_is_said_to_have_blocked(prog):
    """The 2 ms timeout and the wait the other thread ends slept; EAGAIN and the wakes did not."""
    trace = tracelab.run([str(prog)], classes=["sync"], timeout=60)
    calls = futex_events(trace, word_of(trace.stdout))
    slept = {(ev["args"]["op"], ev["err"]): ev["slept"] for ev in calls}
    assert slept[("FUTEX_WAIT", "ETIMEDOUT")] is True
    assert slept[("FUTEX_WAIT_PRIVATE", None)] is True
    assert slept[("FUTEX_WAIT_PRIVATE", "EAGAIN")] is False
    assert slept[("FUTEX_WAKE_PRIVATE", None)] in (None, False)   # a wake cannot block: not counted
    lines = "\n".join(tracelab.timeline.tracer_lines(trace.events).values())
    assert re.search(r"futex\(uaddr=0x[0-9a-f]+, op=FUTEX_WAIT_PRIVATE, val=1\) = 0  <blocked ", lines)


def test_sync_is_not_traced_by_default(prog, trace_bin):
    """Without --trace sync there is no futex event, and --help names the class."""
    trace = tracelab.run([str(prog)], timeout=60)
    assert trace.summary and trace.summary.get("exit") == 0
    assert "sync" not in (trace.header or {}).get("classes", [])
    assert not [ev for ev in trace.events if ev.get("name") == "futex"]
    help_text = subprocess.run([trace_bin, "--help"], capture_output=True, text=True).stdout
    assert re.search(r"--trace CLASSES .*\bsync\b", help_text)
    bad = subprocess.run([trace_bin, "--trace", "locks", "--", "true"], capture_output=True, text=True)
    assert bad.returncode == 2 and "sync" in bad.stderr
