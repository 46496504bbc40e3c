"""Lab 12, a shared counter without and with a mutex.

Two threads add 5 each to one counter. `./trace lab12` has no lock, and a
barrier between each read and its write makes both threads read before
either writes: every round loses one update. `./trace lab12 mutex` locks
around the read and the write, and the holder waits, before it writes,
until the other thread is asleep on the lock: nothing is lost, and the
wait is a futex(FUTEX_WAIT_PRIVATE) in the trace (lab.conf traces sync).

The oracle is the program's own report: the lock's address, the expected
sum against the final counter, and how many times a thread found the
other asleep waiting for the lock.
"""


import pytest

from tracelab.said import said
from tracelab.expect import call, expect, new_process, new_thread, summary
from tracelab.i18n import say

THREADS, ROUNDS = 2, 5
EXPECTED = THREADS * ROUNDS


@pytest.fixture(scope="module")
def nolock(shared_trace_lab):
    return shared_trace_lab("lab12")


@pytest.fixture(scope="module")
def mutex(shared_trace_lab):
    return shared_trace_lab("lab12", "mutex")

# The program's first line, with the lock's address (lab12.c's own words).
LOCK_MUTEX = "mutex: the holder waits, before it writes, until the other thread sleeps on the lock at %p"
LOCK_NOLOCK = ("no lock: a barrier between read and write makes both threads read first, every round "
               "(lock unused, at %p)")


def report(trace):
    """What the program says: the lock's address, the expected sum, the
    counter, the updates lost, and (mutex) the waits it saw."""
    out = trace.stdout
    lock = said(out, LOCK_MUTEX) + said(out, LOCK_NOLOCK)
    sums = said(out, "expected %ld, counter = %ld: %ld updates lost")
    waits = said(out, "a thread found the other asleep waiting for the lock %d times")
    assert len(lock) == len(sums) == 1, say(f"the program did not report its lock and counter:\n{out}",
                                            vi=f"chương trình không báo khóa và bộ đếm của nó:\n{out}")
    (expected, counter, lost), = sums
    return {"lock": lock[0][0], "expected": expected, "counter": counter,
            "lost": lost, "waits": waits[0][0] if waits else None}


def lock_waits(lock):
    return call("futex", uaddr=lock, op="FUTEX_WAIT_PRIVATE", slept=True)


@pytest.mark.points(3)
def test_without_a_mutex_updates_are_lost(nolock):
    """No lock: both threads read before either writes, so every round loses one update.

    The counter ends at 5 of the 10 added: each round both threads read the
    same value and both write it plus one.

    vi: Không có khóa, các cập nhật bị mất"""
    r = report(nolock)
    assert said(nolock.stdout.splitlines()[0], LOCK_NOLOCK), \
        say("the program's first line must say how it arranges the race",
            vi="dòng đầu tiên chương trình in ra phải nói nó sắp đặt cuộc đua thế nào")
    assert r["expected"] == EXPECTED
    assert r["counter"] == EXPECTED - ROUNDS, say(
        f"counter {r['counter']}: expected one update lost per round",
        vi=f"bộ đếm {r['counter']}: cần mất một cập nhật mỗi vòng")
    assert r["lost"] == r["expected"] - r["counter"]
    e = expect(nolock)
    e.parent.exactly(THREADS, new_thread())
    e.never(new_process())
    e.never(call("futex", uaddr=r["lock"]).described_as(
        "a futex call on the unused lock", vi="một lời gọi futex trên khóa không dùng đến"))
    e.does(summary(exit=0))


@pytest.mark.points(3)
def test_with_a_mutex_none_are_lost(mutex):
    """With the mutex, the other thread cannot read in the window: no update is lost.

    vi: Có mutex, luồng kia không đọc được trong khoảng hở"""
    r = report(mutex)
    assert said(mutex.stdout.splitlines()[0], LOCK_MUTEX), \
        say("the program's first line must say how it arranges the wait",
            vi="dòng đầu tiên chương trình in ra phải nói nó sắp đặt việc chờ thế nào")
    assert r["expected"] == EXPECTED
    assert r["counter"] == EXPECTED and r["lost"] == 0, say(
        f"counter {r['counter']} of {EXPECTED}", vi=f"bộ đếm {r['counter']} trên {EXPECTED}")
    e = expect(mutex)
    e.parent.exactly(THREADS, new_thread())
    e.does(summary(exit=0))


@pytest.mark.points(2)
def test_the_waiter_sleeps_in_futex_wait(mutex):
    """The thread that finds the lock held sleeps in futex(FUTEX_WAIT); the unlock wakes it.

    Every time the program saw a thread asleep on the lock, the trace has
    that thread's futex(FUTEX_WAIT_PRIVATE) on the lock's address, blocked,
    and the holder's futex(FUTEX_WAKE_PRIVATE) that woke one waiter.

    vi: Luồng gặp khóa đang bị giữ ngủ trong futex(FUTEX_WAIT)"""
    r = report(mutex)
    assert r["waits"] is not None and r["waits"] >= 1, say(
        "the program saw no thread wait for the lock",
        vi="chương trình không thấy luồng nào chờ khóa")
    e = expect(mutex)
    e.exactly(r["waits"], lock_waits(r["lock"]))
    e.each(lock_waits(r["lock"]), ret=0)
    e.exactly(r["waits"], call("futex", uaddr=r["lock"], op="FUTEX_WAKE_PRIVATE", ret=1))
    e.main_thread.never(call("futex", uaddr=r["lock"]))
    e.every_thread.does(call("futex", uaddr=r["lock"], op="FUTEX_WAKE_PRIVATE"))
    e.every_thread.some.does(lock_waits(r["lock"]))


@pytest.mark.points(1)
def test_an_uncontended_lock_makes_no_system_call(mutex):
    """A lock or unlock that nobody waits for makes no system call.

    Each thread locks and unlocks 5 times (20 calls); the futex calls on
    the lock are fewer: only the waits and the unlocks that wake.

    vi: Khóa hay mở khóa không ai chờ thì không có lời gọi hệ thống"""
    r = report(mutex)
    e = expect(mutex)
    e.at_most(2 * THREADS * ROUNDS - 1, call("futex", uaddr=r["lock"]))
    e.never(call("futex", uaddr=r["lock"], op="FUTEX_WAIT_PRIVATE", slept=False))


@pytest.mark.points(1)
def test_sync_is_what_shows_the_waits(trace_lab):
    """Without the sync class the same run shows no futex line, and still loses nothing.

    vi: Không có lớp sync thì không thấy dòng futex, và không mất gì"""
    t = trace_lab("lab12", "mutex", classes=["process"])
    r = report(t)
    assert r["lost"] == 0 and r["waits"] >= 1
    expect(t).never(call("futex"))
