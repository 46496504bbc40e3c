"""Lab 10, fork() or threads when a handler crashes.

The load (lab.conf) is 3 clients one after another; client 2 sends
"crash\\n" and the code that serves it writes through a NULL pointer.
`./trace lab10` serves each client in a forked child, `./trace lab10
thread` in a thread.
"""

import pytest

from labrun import load_exit, run_lab

CLIENTS = 3
SHARED = {"CLONE_VM", "CLONE_FILES", "CLONE_SIGHAND", "CLONE_THREAD"}


@pytest.fixture(scope="module")
def forked():
    return run_lab("lab10")


@pytest.fixture(scope="module")
def threaded():
    return run_lab("lab10", "thread")


def test_fork_only_the_child_dies(forked):
    """fork: SIGSEGV kills only the child; the server reaps it, serves client 3.

    A signal kills a whole process, and here that process is the child
    that served client 2. waitpid() in the server's handler reports it
    "signaled SIGSEGV"."""
    kids = [s["child"] for s in forked.spawns(kind="process", parent=forked.root)]
    assert len(kids) == CLIENTS
    crashed = forked.processes[kids[1]]
    assert crashed.exit["signal"] == "SIGSEGV"
    assert crashed.reap and crashed.reap["how"] == "wait" and crashed.reap["by"] == forked.root
    assert any(w["ret"] == kids[1] and w["out"]["status"].get("signaled") == "SIGSEGV"
               for w in forked.syscalls(name="wait4", pid=forked.root))
    assert forked.processes[kids[2]].exit["code"] == 0     # client 3 was served
    assert load_exit(forked) == 0
    assert forked.processes[forked.root].exit["signal"] == "SIGTERM"  # the lab's stop, not the crash
    assert forked.zombies.leaked == []


def test_threads_the_whole_server_dies(threaded):
    """threads: the same crash kills the whole server.

    The process is the server itself: it dies with all its threads and
    every client; client 3 finds nobody."""
    assert threaded.spawns(kind="process") == []
    root = threaded.processes[threaded.root]
    assert root.exit["signal"] == "SIGSEGV"
    assert threaded.exit_status == 128 + 11
    (segv,) = threaded.signals("SIGSEGV")
    assert segv["pid"] == threaded.root and segv["tid"] != threaded.root  # raised in a thread
    assert segv["action"] in ("core", "kill")
    assert load_exit(threaded) != 0                     # client 3 was not served


def test_the_cost_of_each(forked, threaded):
    """A fork copies and must be reaped; a thread shares and needs no wait.

    fork's clone shares nothing (no CLONE_VM: the child gets its own copy
    of the address space and fd table) and costs a SIGCHLD and a waitpid
    per child; a thread shares memory, fds and handlers with its creator
    (CLONE_VM, CLONE_FILES, CLONE_SIGHAND, CLONE_THREAD)."""
    forks = forked.spawns(kind="process")
    threads = threaded.spawns(kind="thread")
    assert len(forks) == CLIENTS and len(threads) == 2     # the crash came before thread 3
    assert all(not SHARED & set(f["flags"]) for f in forks)
    assert all(SHARED <= set(t["flags"]) for t in threads)
    reaps = [w for w in forked.syscalls(name="wait4", pid=forked.root) if w["ret"] > 0]
    assert len(reaps) == CLIENTS and forked.signals("SIGCHLD")
    assert threaded.signals("SIGCHLD") == [] and threaded.syscalls(name="wait4") == []
