"""Lab 11, poll() and epoll for many clients: one process, one thread,
100 clients connected at once.

The load (lab.conf) is 100 clients that all connect, talk in rounds and
leave together. `./trace lab11` serves them with poll(), `./trace lab11
epoll` with epoll_wait().
"""

import pytest

from labrun import load_exit, run_lab, server_calls

CLIENTS = 100


@pytest.fixture(scope="module")
def polled():
    return run_lab("lab11")


@pytest.fixture(scope="module")
def epolled():
    return run_lab("lab11", "epoll")


def listener(trace):
    return server_calls(trace, "listen")[0]["args"]["fd"]


@pytest.mark.parametrize("variant", ["polled", "epolled"])
def test_one_process_serves_them_all(variant, request):
    """No fork, no thread: one process serves all 100 clients."""
    trace = request.getfixturevalue(variant)
    assert trace.spawns() == []
    assert trace.summary["processes"] == 1
    assert load_exit(trace) == 0


def test_poll_hands_over_the_whole_list_every_time(polled):
    """poll() gets the whole array every call: 101 fds at its widest.

    An array of {fd, events} as long as needed (no FD_SETSIZE limit): all
    100 clients and the listening socket in one call. It comes back with
    revents for the ready ones only, and every client is ready some time."""
    polls = [p for p in server_calls(polled, "poll") if p["err"] is None]
    assert max(len(p["args"]["fds"]) for p in polls) == CLIENTS + 1
    served = set()
    for p in polls:
        given = [f["fd"] for f in p["args"]["fds"]]
        ready = [f["fd"] for f in p["out"]["fds"]]
        assert len(ready) == p["ret"] and set(ready) <= set(given)
        served |= set(ready)
    assert len(served - {listener(polled)}) == CLIENTS


def test_epoll_returns_only_the_ready_fds(epolled):
    """epoll_wait() passes no list and gets back only the ready fds.

    epoll_ctl built the list inside the kernel once; each epoll_wait
    returns at most maxevents (64) ready fds, and over the run every one
    of the 100 clients comes back ready."""
    waits = [w for w in server_calls(epolled, "epoll_wait") if w["err"] is None]
    served = set()
    for w in waits:
        assert "fds" not in w["args"]
        events = w["out"]["events"]
        assert len(events) == w["ret"] <= w["args"]["maxevents"] == 64
        served |= {e["fd_data"] for e in events}
    assert len(served - {listener(epolled)}) == CLIENTS
