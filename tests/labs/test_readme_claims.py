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
