"""Lab 3, select(): one process, no fork, no thread, serves many clients at
once, because select() says which fds are ready and nothing else blocks.

The load (lab.conf) is 5 clients that all connect, talk in rounds, then
leave one by one.
"""

import pytest

from tracelab.expect import (HIGHEST_FD_PLUS_ONE, LISTENER_AND_OPEN, READY, above,
                             besides_listener, call, expect, length, load_done, new_process,
                             new_thread, summary)

CLIENTS = 5


@pytest.fixture(scope="module")
def trace(shared_trace_lab):
    return shared_trace_lab("lab3")


@pytest.mark.points(1)
def test_one_process_one_thread(trace):
    """No fork, no pthread_create: multiplexing is one process.

    vi: Không fork, không pthread_create"""
    e = expect(trace)
    e.never(new_process()).never(new_thread())
    e.does(summary(processes=1))
    e.does(load_done(exit=0))


@pytest.mark.points(3)
def test_all_clients_in_one_select(trace):
    """Some select() watches all five clients at once.

    Five conversations open in one thread, plus the listening socket.

    vi: Có một select() theo dõi cả năm máy khách cùng lúc"""
    expect(trace).parent.after_ready.does(
        call("select", err=None, readfds=besides_listener(length(above(CLIENTS - 1)))))


@pytest.mark.points(2)
def test_nfds_is_the_highest_fd_plus_one(trace):
    """select's nfds is the highest fd in the sets + 1, every time.

    It is not a count of fds: the kernel looks at fds 0 to nfds-1.

    vi: nfds của select luôn là fd lớn nhất trong các tập + 1"""
    expect(trace).parent.after_ready.each(call("select", err=None), nfds=HIGHEST_FD_PLUS_ONE)


@pytest.mark.points(2)
def test_readfds_follows_clients_coming_and_going(trace):
    """readfds grows by one fd per client accepted and shrinks as each leaves.

    Each accepted fd is in the next select's readfds; an fd whose read()
    returned 0 (the client left) is not: the program keeps its set up to
    date, and the trace shows it grow to six fds and shrink again.

    vi: readfds thêm một fd khi nhận một máy khách, bớt khi nó rời đi"""
    selects = expect(trace).parent.after_ready.only(call("select"))
    selects.each(call("select"), readfds=LISTENER_AND_OPEN)
    selects.starts_with(*[call("select", readfds=length(n)) for n in range(1, CLIENTS + 2)])
    selects.ends_with(*[call("select", readfds=length(n)) for n in range(CLIENTS, 1, -1)])


@pytest.mark.points(2)
def test_work_only_on_ready_fds(trace):
    """accept() and read() only touch fds the last select() returned ready.

    So neither ever blocks, and no client can hold up the others.

    vi: accept() và read() chỉ dùng các fd mà select() báo sẵn sàng"""
    server = expect(trace).parent.after_ready
    server.each(call("accept"), fd=READY)
    server.each(call("read"), fd=READY)
