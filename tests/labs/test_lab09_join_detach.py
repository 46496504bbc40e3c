"""Lab 9, joinable and detached threads side by side.

The load (lab.conf) is 6 clients one after another; client i gets thread i,
of kind detached, never joined, joined, detached, never joined, joined.
The lab detaches threads 1 and 4 once they have ended (it waits until
/proc/self/task lists main alone), so the detach follows the end every run.
The server joins its joinable threads and exits by itself.
"""

import pytest


from tracelab.said import said
from tracelab.expect import call, event, expect, new_process, new_thread, summary
from tracelab.i18n import say

DETACHED, NEVER_JOINED, JOINED = [1, 4], [2, 5], [3, 6]
MESSAGES, SIZE = 2, 32          # lab.conf's --messages, loadgen's default --size


@pytest.fixture(scope="module")
def trace(shared_trace_lab):
    return shared_trace_lab("lab9")


@pytest.fixture(scope="module")
def thread(trace):
    """Client number -> the tid of the thread that served it (the threads
    the server created, in order)."""
    return dict(enumerate(trace.processes[trace.root].threads, 1))


@pytest.mark.points(1)
def test_six_threads_one_process(trace, thread):
    """Six clients, six threads, one process, which exits 0 by itself.

    vi: Sáu máy khách, sáu luồng, một tiến trình, tự thoát với mã 0"""
    e = expect(trace)
    e.parent.exactly(6, new_thread())
    e.never(new_process())
    e.does(summary(exit=0))
    e.never(event("lab", what="stop").described_as("the tracer stopping the server",
                                                        vi="trình theo vết dừng máy chủ"))


@pytest.mark.points(3)
def test_detached_threads(trace, thread):
    """pthread_detach() for threads 1 and 4, each after it has ended.

    The lab waits until its client has come and gone, so that the detach
    names a thread that has already ended (allowed: it is freed then),
    every run.

    vi: pthread_detach() cho luồng 1 và 4, sau khi chúng kết thúc"""
    e = expect(trace)
    e.exactly(len(DETACHED), call("pthread_detach", ret=0))
    for i in DETACHED:
        mine = e.thread(thread[i], say(f"thread {i}", vi=f"luồng {i}"))
        mine.exactly(1, call("pthread_detach", ret=0))
        mine.in_order(event("exit").described_as(f"thread {i} ending", vi=f"luồng {i} kết thúc"),
                      call("pthread_detach", ret=0))


@pytest.mark.points(2)
def test_joined_threads(trace, thread):
    """pthread_join() for threads 3 and 6, by the main thread.

    vi: pthread_join() cho luồng 3 và 6, do luồng chính gọi"""
    e = expect(trace)
    e.exactly(len(JOINED), call("pthread_join", ret=0))
    e.main_thread.in_order(*[call("pthread_join", thread=thread[i], ret=0) for i in JOINED])
    # thread 3 ended long before its join: before main even detached thread 4,
    # which main does only once /proc/self/task lists it alone (so a joinable
    # thread not yet joined is gone from /proc, as the README says)
    e.in_order(event("exit", tid=thread[3]).described_as("thread 3 ending", vi="luồng 3 kết thúc"),
               call("pthread_detach", thread=thread[4]), call("pthread_join", thread=thread[3]))
    # and every joined thread's end comes before its join returns
    for i in JOINED:
        e.thread(thread[i], say(f"thread {i}", vi=f"luồng {i}")).in_order(
            event("exit").described_as(f"thread {i} ending", vi=f"luồng {i} kết thúc"),
            call("pthread_join", ret=0))


@pytest.mark.points(1)
def test_join_shows_what_each_thread_returned(trace, thread):
    """Each join's line carries the value its thread returned: the bytes it
    echoed, as the program itself reports after each join.

    vi: Dòng của mỗi lần join cho thấy giá trị luồng đó trả về"""
    echoed = [n for (n,) in said(trace.stdout, "joined a thread: it echoed %ld bytes")]
    assert echoed == [MESSAGES * SIZE] * len(JOINED), trace.stdout
    expect(trace).main_thread.in_order(*[call("pthread_join", thread=thread[i], ret=0, returned=n)
                                         for i, n in zip(JOINED, echoed)])


@pytest.mark.points(3)
def test_never_joined_threads_are_reported(trace, thread):
    """The summary's never_joined lists exactly threads 2 and 5.

    They are joinable, but their ids were dropped: nobody can join them,
    and their exit status and stack are never freed (the thread world's
    zombie).

    vi: never_joined trong tóm tắt liệt kê đúng luồng 2 và 5"""
    expect(trace).does(summary(never_joined=[thread[i] for i in NEVER_JOINED]))
