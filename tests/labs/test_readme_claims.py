"""What the labs' READMEs say, beyond their quoted lines (those are
checked by test_readme_quotes.py) and beyond the graded tests of each lab
(test_labNN_*.py): the claims a README makes in words, checked here on
real runs, each test naming the README and the words it checks."""

import tracelab

LOADGEN_MESSAGE_BYTES = 32   # kit/loadgen/loadgen.c: --size, 32 by default


def test_lab1_a_blocking_read_returns_what_has_arrived_not_a_full_buffer():
    """lab01-blocking-io/README.md: "read() returns as soon as some data is
    there ... each read(fd=4, count=4096) returns 32, one message"."""
    t = tracelab.run_lab("lab1")
    reads = [c for c in t.syscalls(pid=t.root) if c["call"] == "read" and c["args"].get("fd") not in (None, 3)
             and c["ret"] is not None and c["ret"] > 0 and c["args"].get("count") == 4096]
    assert len(reads) == 9
    assert all(c["ret"] == LOADGEN_MESSAGE_BYTES for c in reads), [c["ret"] for c in reads]


def test_lab8_threads_end_with_no_signal_and_no_zombie():
    """lab08-thread-per-client/README.md: "No SIGCHLD, no zombie, no
    waitpid" and, from the notes, no signal to handle when a thread ends."""
    t = tracelab.run(lab="lab8", classes="process,signal,wait,io")   # every wait call stops
    ended = [e for e in t.exits(process=False)]
    assert len(ended) == 4 == t.summary["threads"]
    assert t.signals(sig="SIGCHLD") == [] and t.reaps() == []
    assert [s for s in t.syscalls() if s["call"] in ("waitpid", "wait", "wait4", "waitid")] == []
