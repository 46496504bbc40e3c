"""Lab 6's exercises, each done (solutions/lab06_ex*.diff) and checked the way
its README says, and the same check on the unchanged lab, which must not
pass it."""

import re

import pytest

from worked import LABS, fails, run_solution, text_of
from labs.test_lab07_waitpid_loop import (check_a_loop_stops_at_0_while_a_child_runs,
                                          check_each_loop_ends_when_nothing_is_left_to_reap,
                                          check_handler_installed_before_the_first_fork,
                                          check_no_zombie_leaks,
                                          check_one_signal_reaps_several_children,
                                          check_the_server_serves_while_a_child_runs)

LAB7_CHECKS = [check_no_zombie_leaks, check_handler_installed_before_the_first_fork,
               check_one_signal_reaps_several_children,
               check_each_loop_ends_when_nothing_is_left_to_reap,
               check_a_loop_stops_at_0_while_a_child_runs,
               check_the_server_serves_while_a_child_runs]
SIGNAL_LINE = re.compile(r"signal\(sig=SIGCHLD, handler=a function, flags=SA_RESTART, "
                         r"mask=SIGCHLD\) = 0(  <took [^>]*>)?\n")
SIGNAL_LINE_EXPERT = re.compile(r"signal\(sig=SIGCHLD, handler=0x[0-9a-f]+, flags=SA_RESTART\|SA_RESTORER, "
                                r"mask=SIGCHLD\) = 0  (<took [^>]*>  )?\[rt_sigaction\]")
RESTARTED = "accept(fd=3) <- interrupted by SIGCHLD: the kernel restarts it"
EINTR = "accept(fd=3) <- interrupted by SIGCHLD: returns -1 EINTR to the program"


@pytest.fixture(scope="module")
def lab(shared_trace_lab):
    return shared_trace_lab("lab6")


def test_exercise_1_the_fixed_handler_passes_lab_7s_tests(tmp_path_factory):
    """The handler fixed (a waitpid(WNOHANG) loop), run under lab 7's
    scenario, passes every test of lab 7; lab 6 as given fails them."""
    fixed = run_solution("lab06_ex1_loop.diff", 7, tmp_path_factory.mktemp("fixed"))
    for check in LAB7_CHECKS:
        check(fixed)
    given = run_solution(LABS / "lab06-sigchld-wait" / "lab06.c", 7, tmp_path_factory.mktemp("given"))
    fails(check_no_zombie_leaks, given)


def test_exercise_2_signal_sets_sa_restart(lab, tmp_path_factory):
    """With signal(), the timeline shows SA_RESTART in the handler's line
    (and --verbose glibc's SA_RESTORER and the kernel's rt_sigaction) and
    accept() restarted by the kernel; the lab shows EINTR."""
    solved = run_solution("lab06_ex2_signal.diff", 6, tmp_path_factory.mktemp("signal"))
    text = text_of(solved)
    assert SIGNAL_LINE.search(text), text
    assert SIGNAL_LINE_EXPERT.search(text_of(solved, expert=True))
    assert RESTARTED in text and EINTR not in text, text
    given = text_of(lab)
    assert not SIGNAL_LINE.search(given) and not SIGNAL_LINE_EXPERT.search(text_of(lab, expert=True))
    assert EINTR in given and RESTARTED not in given
