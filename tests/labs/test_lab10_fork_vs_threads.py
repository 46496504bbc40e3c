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

import pytest

from tracelab.said import said as said_by_lab, said_by
from tracelab.expect import (above, call, event, exited, expect, has, killed_by, load_done, new_process,
                             new_thread, not_, one_of, reaped, signal, summary)
from tracelab.i18n import say

CLIENTS = 3
MESSAGES = 2                                 # lab.conf: --messages 2
SHARED = ("CLONE_VM", "CLONE_FILES", "CLONE_SIGHAND", "CLONE_THREAD")


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
def test_a_process_per_client_or_threads_of_one_process(forked, threaded):
    """Each client a child process, or a thread of the server's process.

    The server says whom it gave each client: "client: child PID" in fork
    mode, "client: thread (same process PID)" in thread mode. The trace
    must agree: in fork mode each child it names is a process of its own,
    a child of the server, a different pid for each client; in thread mode
    every client's thread is a thread of the server's one process (the pid
    it names is the server's), a task id of its own, and no process is made.

    vi: Mỗi máy khách một tiến trình con, hoặc một luồng của máy chủ"""
    server = forked.root
    named = said_by(forked.stdout, "client: child %d")
    assert [by for by, _ in named] == [server] * CLIENTS, say(
        f"the server should name a child for each of the {CLIENTS} clients: {named}",
        vi=f"máy chủ phải nêu một tiến trình con cho mỗi máy khách trong {CLIENTS} máy khách: {named}")
    kids = [kid for _, kid in named]
    made = [s["child"] for s in forked.spawns(kind="process")]
    assert len(set(kids)) == CLIENTS and server not in kids, say(
        f"the children the server named are not {CLIENTS} different processes: {kids}",
        vi=f"các tiến trình con máy chủ nêu không phải {CLIENTS} tiến trình khác nhau: {kids}")
    assert kids == made == forked.processes[server].children, say(
        f"the server named the children {kids}; the trace has it make {made}",
        vi=f"máy chủ nêu các tiến trình con {kids}; vết cho thấy nó tạo {made}")
    assert forked.spawns(kind="thread") == []

    server = threaded.root
    named = said_by(threaded.stdout, "client: thread (same process %d)")
    threads = threaded.spawns(kind="thread")
    tids = [s["child"] for s in threads]
    assert named and all(pid == by == server for by, pid in named), say(
        f"the server should say each thread runs in its own process, {server}: {named}",
        vi=f"máy chủ phải nói mỗi luồng chạy trong chính tiến trình của nó, {server}: {named}")
    assert len(tids) == len(named) == len(set(tids)) and server not in tids, say(
        f"the server gave {len(named)} clients a thread; the trace has the threads {tids}",
        vi=f"máy chủ đã cho {len(named)} máy khách một luồng; vết có các luồng {tids}")
    assert all(s["pid"] == server for s in threads), threads
    assert set(tids) <= set(threaded.processes[server].threads), threaded.processes[server].threads
    assert threaded.spawns(kind="process") == [] and list(threaded.processes) == [server]


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
