"""Lab 11, poll() and epoll for many clients: one process, one thread,
100 clients connected at once.

The load (lab.conf) is 100 clients that all connect, talk in rounds and
leave together. `./trace lab11` serves them with poll(), `./trace lab11
epoll` with epoll_wait().
"""

import pytest

from tracelab.said import said
from tracelab.expect import (ABSENT, LISTENER, above, besides_listener, between, call, expect, event, its, length, load_done,
                             subset_of, summary)

CLIENTS = 100


@pytest.fixture(scope="module")
def polled(shared_trace_lab):
    return shared_trace_lab("lab11")


@pytest.fixture(scope="module")
def epolled(shared_trace_lab):
    return shared_trace_lab("lab11", "epoll")


@pytest.mark.points(1)
@pytest.mark.parametrize("variant", ["polled", "epolled"])
def test_one_process_serves_them_all(variant, request):
    """No fork, no thread: one process serves all 100 clients.

    vi: Không fork, không luồng"""
    e = expect(request.getfixturevalue(variant))
    e.never(event("spawn").described_as("a new process or thread",
                                                 vi="một tiến trình hoặc luồng mới"))
    e.does(summary(processes=1))
    e.does(load_done(exit=0))


@pytest.mark.points(3)
def test_poll_hands_over_the_whole_list_every_time(polled):
    """poll() gets the whole array every call: 101 fds at its widest.

    An array of {fd, events} as long as needed (no FD_SETSIZE limit): all
    100 clients and the listening socket in one call. It comes back with
    revents for the ready ones only, and every client is ready some time.

    vi: poll() nhận cả mảng ở mỗi lần gọi"""
    server = expect(polled).parent.after_ready
    server.does(call("poll", err=None, fds=length(CLIENTS + 1)))
    server.never(call("poll", err=None, fds=length(above(CLIENTS + 1))))
    server.each(call("poll", err=None), ready=length(its("ret")))
    server.each(call("poll", err=None), ready=subset_of(its("watched")))
    server.across(call("poll", err=None), "ready", besides_listener(length(CLIENTS)))


@pytest.mark.points(2)
def test_epoll_returns_only_the_ready_fds(epolled):
    """epoll_wait() passes no list and gets back only the ready fds.

    epoll_ctl built the list inside the kernel once; each epoll_wait
    returns at most maxevents (64) ready fds, and over the run every one
    of the 100 clients comes back ready.

    vi: epoll_wait() không nhận danh sách, chỉ trả về các fd sẵn sàng"""
    server = expect(epolled).parent.after_ready
    server.each(call("epoll_wait", err=None), fds=ABSENT, maxevents=64,
                ready=length(its("ret")), ret=between(0, 64))
    server.across(call("epoll_wait", err=None), "ready", besides_listener(length(CLIENTS)))


@pytest.mark.points(1)
def test_epoll_ctl_builds_the_list_once(epolled):
    """The trace shows every epoll_ctl: one ADD for the listening socket, one
    ADD per client when accepted and one DEL when it leaves (201 in all);
    epoll_wait names the epoll instance epoll_create1 made, and returns the
    fds that were added (ev.data), never the instance itself.

    vi: Bản ghi vết cho thấy mọi epoll_ctl"""
    server = expect(epolled).parent.after_ready
    server.exactly(1 + 2 * CLIENTS, call("epoll_ctl"))
    server.exactly(1, call("epoll_ctl", op="EPOLL_CTL_ADD", fd=LISTENER, err=None))
    ep = epolled.syscalls("epoll_create1")[0]["ret"]
    ctl = [(ev["args"]["op"], ev["args"]["fd"]) for ev in epolled.syscalls("epoll_ctl", err=None)]
    added = [fd for op, fd in ctl if op == "EPOLL_CTL_ADD"]
    listener = added[0]
    clients = sorted(added[1:])
    # each client fd added once and deleted once (accept is not traced here:
    # an fd number is used again only after a DEL, and none is)
    assert len(set(clients)) == CLIENTS and listener not in clients and ep not in clients
    assert sorted(fd for op, fd in ctl if op == "EPOLL_CTL_DEL") == clients
    assert clients[0] == ep + 1
    for ev in epolled.syscalls("epoll_wait", err=None):
        assert ev["args"]["epfd"] == ep
    server.each(call("epoll_wait", err=None), ready=subset_of(sorted(added)))


@pytest.mark.points(1)
def test_the_server_saw_them_all_at_once(polled, epolled):
    """The server's own count, with poll and with epoll: all 100 clients
    were connected at once.

    vi: Số đếm của chính máy chủ, với poll và với epoll"""
    for trace in (polled, epolled):
        assert said(trace.stdout, "all clients gone; %d were connected at once at most") == [(CLIENTS,)], \
            trace.stdout


@pytest.mark.points(1)
def test_poll_array_grows_one_client_at_a_time(polled):
    """The array grows by one entry per client accepted (at most one
    accept per call), from the listening socket alone to all 101.

    vi: Mảng của poll lớn thêm một phần tử cho mỗi máy khách"""
    sizes = [len(ev["args"]["fds"]) for ev in polled.syscalls("poll", err=None)]
    grown = sizes[:sizes.index(CLIENTS + 1) + 1]
    assert grown[0] == 1 and all(b - a in (0, 1) for a, b in zip(grown, grown[1:])), sizes
