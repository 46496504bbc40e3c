"""Lab 7's exercises, each done (solutions/lab07_ex*.diff) and checked the way
its README says, and the same check on the unchanged lab, which must not
pass it. Exercise 3 is lab 6's exercise 1 (test_lab06_exercises.py)."""

import pytest

from worked import fails, run_solution, text_of
from labs.test_lab07_waitpid_loop import (check_a_loop_stops_at_0_while_a_child_runs,
                                          check_each_loop_ends_when_nothing_is_left_to_reap,
                                          check_handler_installed_before_the_first_fork,
                                          check_no_zombie_leaks,
                                          check_the_server_serves_while_a_child_runs)

# Exercise 5: waitpid's first argument, and the tracer's words for it.
PID_FORMS = {
    "lab07_ex5_pid_0.diff": "waitpid(pid=0 (any child in my process group), options=WNOHANG)",
    "lab07_ex5_pid_group.diff": "(any child in group ",
    "lab07_ex5_pid_child.diff": " (that child), options=WNOHANG)",
}
ANY_CHILD = "waitpid(pid=-1 (any child), options=WNOHANG)"


@pytest.fixture(scope="module")
def lab(shared_trace_lab):
    return shared_trace_lab("lab7")


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    runs = {}

    def get(name):
        if name not in runs:
            runs[name] = run_solution(name, 7, tmp_path_factory.mktemp(name[:-5]))
        return runs[name]
    return get


def test_exercise_1_one_waitpid_leaks_zombies(lab, solved):
    """One waitpid per signal: ./trace lab7 reports leaked zombies, and
    test_no_zombie_leaks fails; the lab's loop passes it."""
    trace = solved("lab07_ex1_waitpid_once.diff")
    fails(check_no_zombie_leaks, trace)
    assert len(trace.summary["zombies"]["leaked"]) > 0
    assert "LEAKED zombie" in text_of(trace)
    check_no_zombie_leaks(lab)
    assert lab.summary["zombies"]["leaked"] == []


def test_exercise_2_a_handler_installed_late_fails_its_test(lab, solved):
    """The handler installed after the first fork fails
    test_handler_installed_before_the_first_fork; the lab passes it."""
    fails(check_handler_installed_before_the_first_fork, solved("lab07_ex2_handler_late.diff"))
    check_handler_installed_before_the_first_fork(lab)


def test_exercise_4_a_wait_loop_stalls_the_server(lab, solved):
    """A loop on wait() reaps everyone but blocks in the handler while the
    slow child runs: the timeline shows the handler's wait blocked, and
    test_the_server_serves_while_a_child_runs fails. The lab passes it."""
    trace = solved("lab07_ex4_wait_loop.diff")
    fails(check_the_server_serves_while_a_child_runs, trace)
    fails(check_a_loop_stops_at_0_while_a_child_runs, trace)
    stalled = [line for line in text_of(trace).splitlines()
               if "| wait(pid=-1 (any child), options=0) = " in line and "<blocked " in line]
    assert stalled, text_of(trace)
    check_the_server_serves_while_a_child_runs(lab)
    check_a_loop_stops_at_0_while_a_child_runs(lab)


@pytest.mark.parametrize("name", sorted(PID_FORMS))
def test_exercise_5_each_pid_form_in_the_timeline(lab, solved, name):
    """Each form of waitpid's first argument shows in the timeline in the
    tracer's words, and reaps every child all the same; the lab shows only
    pid=-1."""
    trace = solved(name)
    text = text_of(trace)
    assert PID_FORMS[name] in text, text
    assert ANY_CHILD not in text
    check_no_zombie_leaks(trace)
    assert PID_FORMS[name] not in text_of(lab) and ANY_CHILD in text_of(lab)


def test_the_lab_itself_passes_every_check(lab):
    """The unchanged lab is right: its loop ends on 0 or ECHILD."""
    check_each_loop_ends_when_nothing_is_left_to_reap(lab)
