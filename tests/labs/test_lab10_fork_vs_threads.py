"""Lab 10, fork() or threads when a handler crashes.

The load (lab.conf) is 3 clients one after another; client 2 sends
"crash\\n" and the code that serves it writes through a NULL pointer.
`./trace lab10` serves each client in a forked child, `./trace lab10
thread` in a thread.
"""

import pytest

from tracelab.expect import (above, call, exited, expect, has, killed_by, load_done, new_process,
                             new_thread, not_, one_of, reaped, signal, summary)

CLIENTS = 3
SHARED = ("CLONE_VM", "CLONE_FILES", "CLONE_SIGHAND", "CLONE_THREAD")


@pytest.fixture(scope="module")
def forked(shared_trace_lab):
    return shared_trace_lab("lab10")


@pytest.fixture(scope="module")
def threaded(shared_trace_lab):
    return shared_trace_lab("lab10", "thread")


@pytest.mark.points(4)
def test_fork_only_the_child_dies(forked):
    """fork: SIGSEGV kills only the child; the server reaps it, serves client 3.

    A signal kills a whole process, and here that process is the child
    that served client 2. waitpid() in the server's handler reports it
    "signaled SIGSEGV"."""
    e = expect(forked)
    e.parent.exactly(CLIENTS, new_process())
    kids = forked.processes[forked.root].children
    crashed = e.process(kids[1], "the child that served client 2")
    crashed.does(killed_by("SIGSEGV"))
    crashed.does(reaped(how="wait", by=forked.root))
    e.parent.does(call("wait4", ret=kids[1], status=has(signaled="SIGSEGV")))
    e.process(kids[2], "the child that served client 3").does(exited(0))
    e.does(load_done(exit=0))
    e.parent.does(killed_by("SIGTERM"))      # the lab's stop, not the crash
    e.no_leaked_zombies()


@pytest.mark.points(4)
def test_threads_the_whole_server_dies(threaded):
    """threads: the same crash kills the whole server.

    The process is the server itself: it dies with all its threads and
    every client; client 3 finds nobody."""
    e = expect(threaded)
    e.never(new_process())
    e.parent.does(killed_by("SIGSEGV"))
    e.does(summary(exit=128 + 11))
    e.exactly(1, signal("SIGSEGV"))
    e.parent.every_thread.some.does(signal("SIGSEGV", action=one_of("core", "kill")))  # raised in a thread
    e.main_thread.never(signal("SIGSEGV"))
    e.does(load_done(exit=not_(0)))          # client 3 was not served


@pytest.mark.points(2)
def test_the_cost_of_each(forked, threaded):
    """A fork copies and must be reaped; a thread shares and needs no wait.

    fork's clone shares nothing (no CLONE_VM: the child gets its own copy
    of the address space and fd table) and costs a SIGCHLD and a waitpid
    per child; a thread shares memory, fds and handlers with its creator
    (CLONE_VM, CLONE_FILES, CLONE_SIGHAND, CLONE_THREAD)."""
    f, t = expect(forked), expect(threaded)
    f.exactly(CLIENTS, new_process())
    t.exactly(2, new_thread())               # the crash came before thread 3
    f.each(new_process(), flags=not_(one_of(*SHARED)))
    t.each(new_thread(), flags=has(*SHARED))
    f.parent.exactly(CLIENTS, call("wait4", ret=above(0)))
    f.does(signal("SIGCHLD"))
    t.never(signal("SIGCHLD")).never(call("wait4"))
