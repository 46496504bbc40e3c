"""Lab 1, blocking I/O: an iterative server serves one client at a time.

The load (lab.conf) is 3 clients x 3 messages; the load generator connects
all three before any of them talks, so clients 2 and 3 sit in the listen
queue during every one of client 1's reads.
"""

import pytest

from labrun import load_exit, run_lab, server_calls

CLIENTS, MESSAGES = 3, 3


@pytest.fixture(scope="module")
def trace():
    return run_lab("lab1")


def conversations(trace):
    """[(accept, [reads on its fd...]), ...] in the order the server did them."""
    convs = []
    for call in server_calls(trace, "accept", "read"):
        if call["call"] == "accept" and call["ret"] >= 0:
            convs.append((call, []))
        elif call["name"] == "read" and convs and call["args"]["fd"] == convs[-1][0]["ret"]:
            convs[-1][1].append(call)
    return convs


def test_one_process_one_thread(trace):
    """One process with one thread: no fork, no pthread_create.

    Blocking I/O needs nothing more, and can do nothing more."""
    assert trace.spawns() == []
    assert trace.summary["processes"] == 1
    assert trace.summary["threads"] == 0
    assert load_exit(trace) == 0


def test_next_client_accepted_only_after_the_last_hung_up(trace):
    """The next accept() comes only after read() returned 0 on the last client.

    While the server blocks in read() on client 1, nobody calls accept()
    for client 2, although it has connected long before: the calls go
    accept, read x (messages + 1, the last one returning 0), accept, ..."""
    convs = conversations(trace)
    assert len(convs) == CLIENTS
    for accept, reads in convs:
        assert [r["ret"] > 0 for r in reads] == [True] * MESSAGES + [False]
        assert reads[-1]["ret"] == 0 and reads[-1]["err"] is None
    order = [c["call"] for c in server_calls(trace, "accept", "read")]
    one = ["accept"] + ["read"] * (MESSAGES + 1)
    assert order[:len(one) * CLIENTS] == one * CLIENTS


def test_every_read_waits_for_an_answer(trace):
    """No read() comes back empty-handed: each waits for data or end of file.

    No EAGAIN, no error: compare lab 2."""
    reads = server_calls(trace, "read")
    assert reads and all(r["err"] is None and r["ret"] >= 0 for r in reads)
