"""Lab 3, select(): one process, no fork, no thread, serves many clients at
once, because select() says which fds are ready and nothing else blocks.

The load (lab.conf) is 5 clients that all connect, talk in rounds, then
leave one by one.
"""

import pytest

from labrun import load_exit, run_lab, server_calls

CLIENTS = 5


@pytest.fixture(scope="module")
def trace():
    return run_lab("lab3")


@pytest.fixture(scope="module")
def listener(trace):
    return server_calls(trace, "listen")[0]["args"]["fd"]


def selects(trace):
    return [s for s in server_calls(trace, "select") if s["err"] is None]


def test_one_process_one_thread(trace):
    """No fork, no pthread_create: multiplexing is one process."""
    assert trace.spawns() == []
    assert trace.summary["processes"] == 1
    assert load_exit(trace) == 0


def test_all_clients_in_one_select(trace, listener):
    """Some select() watches all five clients at once.

    Five conversations open in one thread, plus the listening socket."""
    widest = max(len(set(s["args"]["readfds"]) - {listener}) for s in selects(trace))
    assert widest >= CLIENTS


def test_nfds_is_the_highest_fd_plus_one(trace):
    """select's nfds is the highest fd in the sets + 1, every time.

    It is not a count of fds: the kernel looks at fds 0 to nfds-1."""
    for s in selects(trace):
        fds = [fd for key in ("readfds", "writefds", "exceptfds") for fd in s["args"][key] or []]
        assert s["args"]["nfds"] == max(fds) + 1, s


def test_readfds_follows_clients_coming_and_going(trace, listener):
    """readfds grows by one fd per client accepted and shrinks as each leaves.

    Each accepted fd is in the next select's readfds; an fd whose read()
    returned 0 (the client left) is not: the program keeps its set up to
    date, and the trace shows it grow to six fds and shrink again."""
    expected = {listener}
    sizes = []
    for call in server_calls(trace, "select", "accept", "read"):
        if call["call"] == "select":
            assert set(call["args"]["readfds"]) == expected
            sizes.append(len(expected))
        elif call["call"] == "accept" and call["ret"] >= 0:
            expected.add(call["ret"])
        elif call["name"] == "read" and call["ret"] == 0:
            expected.discard(call["args"]["fd"])
    grow = list(range(1, CLIENTS + 2))
    assert sizes[:len(grow)] == grow
    assert sizes[-(CLIENTS - 1):] == list(range(CLIENTS, 1, -1))


def test_work_only_on_ready_fds(trace, listener):
    """accept() and read() only touch fds the last select() returned ready.

    So neither ever blocks, and no client can hold up the others."""
    ready = set()
    for call in server_calls(trace, "select", "accept", "read"):
        if call["call"] == "select":
            ready = set(call["out"].get("readfds") or [])
        elif call["call"] == "accept":
            assert listener in ready
        else:
            assert call["args"]["fd"] in ready, call
