"""Lab 7, the fix: a SIGCHLD handler that loops on waitpid(-1, WNOHANG)
reaps every child that has exited, however many signals were merged, and
never blocks while other children still run.

The load (lab.conf): clients 1-3 hang up together while client 4, the slow
one, stays connected; `hold = sigchld-burst` merges the three exits into
one SIGCHLD, let go while child 4 still runs. Client 5 comes late, once the
server has taken that SIGCHLD (cue = sigchld), and client 4 hangs up only
after client 5 is served (or after 1 s). Each check is a function, so that
tests/labs/exercises/test_lab07_exercises.py runs it on worked exercises.
"""

import pytest

from tracelab.expect import (HANDLER, above, call, expect, exited, first, load_done, new_process,
                             not_, reaped, signal)

CHILDREN = 5          # 3 that end together, the slow one, the late one
TOGETHER = 3          # the children whose exits one SIGCHLD stands for
REAPS = call("wait4", ret=above(0)).described_as(
    "a wait that reaps a child", vi="một lời gọi wait thu dọn một tiến trình con")


@pytest.fixture(scope="module")
def trace(shared_trace_lab):
    return shared_trace_lab("lab7")


def check_no_zombie_leaks(trace):
    e = expect(trace)
    e.parent.exactly(CHILDREN, new_process())
    e.no_leaked_zombies()
    e.every_child.exactly(1, reaped(how="wait"))
    e.exactly(CHILDREN, reaped(how="wait"))
    e.does(load_done(exit=0))


def check_handler_installed_before_the_first_fork(trace):
    expect(trace).parent.in_order(call("rt_sigaction", sig="SIGCHLD", handler=HANDLER),
                                  first(new_process()))


def check_one_signal_reaps_several_children(trace):
    server = expect(trace).parent
    server.at_most(CHILDREN - 1, signal("SIGCHLD"))
    server.handler("SIGCHLD").some.at_least(TOGETHER, REAPS)
    server.handler("SIGCHLD").together.exactly(CHILDREN, REAPS)


def check_each_loop_ends_when_nothing_is_left_to_reap(trace):
    waits = expect(trace).parent.handler("SIGCHLD").only(call("wait4"))
    waits.each(call("wait4"), pid=-1, options="WNOHANG")
    waits.ends_with(call("wait4", ret=0) | call("wait4", err="ECHILD"))
    waits.exactly(1, call("wait4", ret=not_(above(0))))     # every wait but the last reaps


def check_a_loop_stops_at_0_while_a_child_runs(trace):
    e = expect(trace)
    e.parent.handler("SIGCHLD").only(call("wait4")).some.ends_with(
        call("wait4", ret=0, options="WNOHANG"))
    # A child exited after that 0: it was running when waitpid said 0.
    e.in_order(call("wait4", ret=0, options="WNOHANG"), exited(0))


def check_the_server_serves_while_a_child_runs(trace):
    e = expect(trace)
    e.parent.handler("SIGCHLD").never(call("wait4", slept=True))
    # The late client is accepted after the first SIGCHLD, and both the
    # late child and the slow one end after that: the server did not wait
    # for the slow child before it took the next client.
    e.in_order(signal("SIGCHLD", action="handler"), call("accept", ret=above(0)), exited(0), exited(0))


@pytest.mark.points(3)
def test_no_zombie_leaks(trace):
    """Every child is reaped by the server's waitpid(): zero leaked.

    vi: Mọi tiến trình con được waitpid() của máy chủ thu dọn"""
    check_no_zombie_leaks(trace)


@pytest.mark.points(1)
def test_handler_installed_before_the_first_fork(trace):
    """sigaction(SIGCHLD) comes before the first fork().

    A child that ended earlier would have had its SIGCHLD ignored.

    vi: sigaction(SIGCHLD) đến trước fork() đầu tiên"""
    check_handler_installed_before_the_first_fork(trace)


@pytest.mark.points(1)
def test_one_signal_reaps_several_children(trace):
    """One SIGCHLD, several children reaped: fewer signals, all reaped.

    The three children that end together bring one SIGCHLD (the tracer's
    hold makes sure of it), and one handler run reaps all three.

    vi: Một SIGCHLD, nhiều tiến trình con được thu dọn"""
    check_one_signal_reaps_several_children(trace)


@pytest.mark.points(2)
def test_each_loop_ends_when_nothing_is_left_to_reap(trace):
    """Each handler loop ends on waitpid() = 0 or -1 ECHILD.

    waitpid(-1, WNOHANG) reaps one child per call; 0 means the other
    children still run, -1 ECHILD that there are none. WNOHANG means the
    handler never blocks.

    vi: Mỗi vòng lặp kết thúc ở waitpid() = 0 hoặc -1 ECHILD"""
    check_each_loop_ends_when_nothing_is_left_to_reap(trace)


@pytest.mark.points(1)
def test_a_loop_stops_at_0_while_a_child_runs(trace):
    """A loop ends on waitpid() = 0 while a child runs.

    The slow client's child has not ended when the first loop runs. That 0 is what WNOHANG is for: children exist, none has ended, so the
    handler returns instead of waiting for one.

    vi: Vòng lặp dừng ở waitpid() = 0 khi còn tiến trình con chạy"""
    check_a_loop_stops_at_0_while_a_child_runs(trace)


@pytest.mark.points(2)
def test_the_server_serves_while_a_child_runs(trace):
    """The server never sleeps in its handler: it takes the late client
    while the slow client's child still runs.

    A wait that blocks inside the handler (wait(), or waitpid without
    WNOHANG) holds the whole server there until the slow child ends, and
    the late client waits all that time to be accepted.

    vi: Máy chủ không bao giờ ngủ trong trình xử lý tín hiệu"""
    check_the_server_serves_while_a_child_runs(trace)
