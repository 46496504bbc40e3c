"""Lab 2, non-blocking I/O: one process polls every socket in a loop, and
many of its calls find nothing and come back at once with EAGAIN.

The load (lab.conf) is 3 clients x 3 messages with 50 ms pauses; the server
naps 10 ms per pass, so each pause spans several passes that find nothing.
"""

import pytest

from labrun import load_exit, run_lab, server_calls

CLIENTS, MESSAGES = 3, 3


@pytest.fixture(scope="module")
def trace():
    return run_lab("lab2")


@pytest.fixture(scope="module")
def lab1():
    return run_lab("lab1")


def useful_reads(trace):
    """Reads that brought data or end of file: the ones that did work."""
    return [r for r in server_calls(trace, "read") if r["err"] is None]


def test_one_process_one_thread(trace):
    """Like lab 1, one process with one thread serves everyone."""
    assert trace.spawns() == []
    assert trace.summary["processes"] == 1
    assert load_exit(trace) == 0


def test_every_socket_is_made_non_blocking(trace):
    """fcntl(F_SETFL, O_NONBLOCK) on the listening socket and on each client.

    On Linux a socket from accept() does not inherit O_NONBLOCK: each one
    needs its own fcntl."""
    accepted = {a["ret"] for a in server_calls(trace, "accept") if a["ret"] >= 0}
    assert len(accepted) == CLIENTS
    set_nonblock = {c["args"]["fd"] for c in server_calls(trace, "fcntl")
                    if c["args"].get("cmd") == "F_SETFL" and "O_NONBLOCK" in c["args"].get("flags", [])}
    listener = server_calls(trace, "listen")[0]["args"]["fd"]
    assert set_nonblock == accepted | {listener}


def test_calls_that_find_nothing_return_eagain(trace):
    """accept() and read() that find nothing return -1 EAGAIN at once.

    Nobody connecting, a client that sent nothing yet: the call does not
    wait, and the loop tries again on its next pass. Each client pauses
    twice and the loop passes every 10 ms, so each pause meets at least
    one EAGAIN (a run has some 25-35 of them)."""
    reads_eagain = [r for r in server_calls(trace, "read") if r["err"] == "EAGAIN"]
    accepts_eagain = [a for a in server_calls(trace, "accept") if a["err"] == "EAGAIN"]
    assert accepts_eagain, "accept() never found the queue empty"
    assert len({r["args"]["fd"] for r in reads_eagain}) == CLIENTS
    assert len(reads_eagain) >= 2 * CLIENTS
    # and not one of them waited: nothing in this loop blocks
    assert all(c["err"] in (None, "EAGAIN") for c in server_calls(trace, "read", "accept"))


def test_lab1_asks_only_when_there_is_an_answer(trace, lab1):
    """Lab 1 needs no read() beyond the useful ones; lab 2 needs many more.

    The same echo work costs lab 1 one read() per message plus one for end
    of file, and not one EAGAIN. Lab 2 asks whether or not there is
    anything to read (and burns CPU in between)."""
    lab1_reads = server_calls(lab1, "read")
    assert len(lab1_reads) == len(useful_reads(lab1)) == CLIENTS * (MESSAGES + 1)
    lab2_reads = server_calls(trace, "read")
    assert len(useful_reads(trace)) == CLIENTS * (MESSAGES + 1)
    assert len(lab2_reads) >= len(useful_reads(trace)) + 2 * CLIENTS
