"""Lab 10, fork() or threads when a handler crashes.

The load (lab.conf) is 3 clients one after another; client 2 sends
"crash\\n" and the code that serves it writes through a NULL pointer.
`./trace lab10` serves each client in a forked child, `./trace lab10
thread` in a thread. `./trace lab10 join` joins each thread, with no
crash, and ends by itself after the 3 clients.

Each handler passes back how many messages it echoed (the load sends 2):
a child as its exit status, a thread as its return value. The oracle is
the program's own report of each.
"""

import statistics

import pytest

from tracelab.said import said as said_by_lab, said_by
from tracelab.expect import (above, call, event, exited, expect, has, killed_by, load_done, new_process,
                             new_thread, not_, one_of, reaped, signal, summary)
from tracelab.i18n import say

CLIENTS = 3
MESSAGES = 2                                 # lab.conf: --messages 2
SHARED = ("CLONE_VM", "CLONE_FILES", "CLONE_SIGHAND", "CLONE_THREAD")
# The README: "a fork() takes several times as long as a pthread_create()",
# with the lab's 32 MB table (lab.conf's time_spawns times each one).
FORK_AT_LEAST = 2
# What the spawns of each kind are called, in Vietnamese.
WORD_VI = {"process": "tiến trình", "thread": "luồng"}


@pytest.fixture(scope="module")
def forked(shared_trace_lab):
    return shared_trace_lab("lab10")


@pytest.fixture(scope="module")
def threaded(shared_trace_lab):
    return shared_trace_lab("lab10", "thread")


@pytest.fixture(scope="module")
def joined(shared_trace_lab):
    return shared_trace_lab("lab10", "join")


@pytest.mark.points(3)
def test_fork_only_the_child_dies(forked):
    """fork: SIGSEGV kills only the child; the server reaps it, serves client 3.

    A signal kills a whole process, and here that process is the child
    that served client 2. waitpid() in the server's handler reports it
    "signaled SIGSEGV".

    vi: fork, chỉ tiến trình con bị sập"""
    e = expect(forked)
    e.parent.exactly(CLIENTS, new_process())
    kids = forked.processes[forked.root].children
    crashed = e.process(kids[1], say("the child that served client 2",
                                     vi="tiến trình con phục vụ máy khách 2"))
    crashed.does(killed_by("SIGSEGV"))
    crashed.does(reaped(how="wait", by=forked.root))
    e.parent.does(call("wait4", ret=kids[1], status=has(signaled="SIGSEGV")))
    e.process(kids[2], say("the child that served client 3",
                           vi="tiến trình con phục vụ máy khách 3")).does(exited(MESSAGES))
    e.does(load_done(exit=0))
    e.parent.does(killed_by("SIGTERM"))      # the lab's stop, not the crash
    e.no_leaked_zombies()


@pytest.mark.points(3)
def test_threads_the_whole_server_dies(threaded):
    """threads: the same crash kills the whole server.

    The process is the server itself: it dies with all its threads and
    every client; client 3 finds nobody.

    vi: luồng, cả máy chủ bị sập"""
    e = expect(threaded)
    e.never(new_process())
    e.parent.does(killed_by("SIGSEGV"))
    e.does(summary(exit=128 + 11))
    e.exactly(1, signal("SIGSEGV"))
    e.parent.every_thread.some.does(signal("SIGSEGV", action=one_of("core", "kill")))  # raised in a thread
    e.main_thread.never(signal("SIGSEGV"))
    e.does(load_done(exit=not_(0)))          # client 3 was not served


@pytest.mark.points(1)
def test_the_cost_of_each(forked, threaded):
    """A fork copies and must be reaped; a thread shares and needs no wait.

    fork's clone shares nothing (no CLONE_VM: the child gets its own copy
    of the address space and fd table) and costs a SIGCHLD and a waitpid
    per child; a thread shares memory, fds and handlers with its creator
    (CLONE_VM, CLONE_FILES, CLONE_SIGHAND, CLONE_THREAD).

    vi: fork sao chép, phải thu dọn; luồng dùng chung, không cần wait"""
    f, t = expect(forked), expect(threaded)
    f.exactly(CLIENTS, new_process())
    t.exactly(2, new_thread())               # the crash came before thread 3
    f.each(new_process(), flags=not_(one_of(*SHARED)))
    t.each(new_thread(), flags=has(*SHARED))
    f.parent.exactly(CLIENTS, call("wait4", ret=above(0)))
    f.does(signal("SIGCHLD"))
    t.never(signal("SIGCHLD")).never(call("wait4"))


@pytest.mark.points(1)
def test_a_fork_costs_more_than_a_thread(forked, threaded):
    """Making a process takes several times as long as making a thread.

    fork() copies the page tables of the server's 32 MB table (an entry per
    page) and pthread_create() shares them. lab.conf's time_spawns has the
    tracer time each spawn: the CPU time from the call's entry to the child's birth.

    vi: Tạo tiến trình tốn thời gian gấp nhiều lần tạo luồng"""
    took = {kind: [s["took_ns"] for s in run.spawns(kind=kind)]
            for kind, run in (("process", forked), ("thread", threaded))}
    for kind, times in took.items():
        assert times, say(f"no {kind} was made: the lab should make one per client",
                          vi=f"không có {WORD_VI[kind]} nào được tạo: bài lab phải tạo "
                             f"một cho mỗi máy khách")
    fork_ns, thread_ns = statistics.median(took["process"]), statistics.median(took["thread"])
    assert fork_ns >= FORK_AT_LEAST * thread_ns, say(
        f"a fork() took {fork_ns / 1e3:.0f} us and a pthread_create() {thread_ns / 1e3:.0f} us "
        f"(medians): fork() should take at least {FORK_AT_LEAST} times as long, with the "
        f"server's 32 MB table to map in the child",
        vi=f"một fork() mất {fork_ns / 1e3:.0f} us và một pthread_create() "
           f"{thread_ns / 1e3:.0f} us (trung vị): fork() phải lâu ít nhất gấp {FORK_AT_LEAST} lần, vì bảng 32 MB của máy "
           f"chủ phải được ánh xạ vào tiến trình con")


@pytest.mark.points(1)
def test_a_child_passes_back_its_exit_status(forked):
    """A child passes data back as its exit status: waitpid reads the count it exited with.

    Each child that served its client says how many messages it echoed and
    exits with that number; the server's waitpid gets it as "exited N".

    vi: Tiến trình con gửi dữ liệu về qua trạng thái thoát"""
    said = dict(said_by(forked.stdout, "child: %d messages echoed"))
    kids = forked.processes[forked.root].children
    served = [kids[0], kids[2]]                  # child 2 crashed
    assert sorted(said) == sorted(served), say(f"children that reported: {said}, expected {served}",
                                               vi=f"các tiến trình con đã báo: {said}, cần {served}")
    e = expect(forked)
    for kid in served:
        assert said[kid] == MESSAGES
        e.process(kid, say(f"child {kid}", vi=f"tiến trình con {kid}")).does(exited(said[kid]))
        e.parent.exactly(1, call("wait4", ret=kid, status={"exited": said[kid]}))


@pytest.mark.points(1)
def test_a_thread_passes_back_its_return_value(joined):
    """A thread passes data back as its return value: pthread_join hands it over.

    The server joins each thread before the next client and says what it
    returned: the messages it echoed. No process, no SIGCHLD, no waitpid.

    vi: Luồng gửi dữ liệu về qua giá trị trả về"""
    returned = [n for (n,) in said_by_lab(joined.stdout, "client: the thread returned %d")]
    assert returned == [MESSAGES] * CLIENTS, say(f"the server reported {returned}",
                                                 vi=f"máy chủ đã báo {returned}")
    e = expect(joined)
    e.parent.exactly(CLIENTS, new_thread())
    e.never(new_process()).never(signal("SIGCHLD")).never(call("wait4"))
    threads = joined.processes[joined.root].threads
    for tid in threads:
        e.main_thread.exactly(1, call("pthread_join", thread=tid, ret=0))
        e.thread(tid, f"thread {tid}").in_order(event("exit", process=False),
                                                call("pthread_join", thread=tid))
    e.does(load_done(exit=0)).does(summary(exit=0))
