"""Graded as root, a submission runs enclosed (tracelab.enclosure): as a
user of its own, its whole tree in cgroups (memory, tasks, CPU time), the tracer
the init of a PID namespace. Real hostile submissions
(tests/grading/submissions/), each graded as `make grade` grades, inside
a PID namespace of the test's own so that a failing sandbox could harm
nothing outside: each scores below full with a plain reason in what the
student reads, leaves nothing running (by its uid, which it reports
itself, and by working folder) and the checkout as it was. The memory
hog must not take the machine's free memory down by more than the tree's
limit. And the reference still scores full marks, enclosed."""

import json
import os
import shutil

import pytest

from grading.hostile import MemoryWatch, checkout_hashes, grade_safely, left_behind
from grading.nested import GRADING, REPO, grade
from tracelab import cgroup, enclosure, pidns, runner, sandbox
from tracelab.guard import Limits

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None,
                                reason="the enclosure is for a grader running as root; "
                                       "this test needs a PID namespace of its own")

CHECKS = GRADING / "lab07_checks.py"
CPU_CHECKS = GRADING / "cpu_checks.py"
SUBMISSIONS = GRADING / "submissions"
# What the machine's free memory may drop by beyond the tree's limit: the
# tracer, pytest, the compiler's page cache, and the noise of what else runs.
MARGIN_MB = 300
# Lab 10 holds a 32 MB table (fork copies its page tables): its tree peaks near 33 MB.
LAB10_PEAK_MB = 48


def graded(name, tmp_path, *args, checks=CHECKS):
    """Grade a hostile submission; check what every hostile one must show;
    return (results, what pytest printed)."""
    before = checkout_hashes()
    done, results, uids = grade_safely(checks, SUBMISSIONS / name, tmp_path, *args)
    assert len(uids) == 1 and uids[0] >= 61100, (uids, done.stdout)  # it ran as a grading user
    assert left_behind(uids[0]) == {}
    assert checkout_hashes() == before
    assert results["score"] < sum(t["max_score"] for t in results["tests"]), results
    return results, done.stdout


def failing_outputs(results):
    return [t["output"] for t in results["tests"] if t["status"] == "failed"]


def test_the_reference_scores_full_marks_enclosed(tmp_path):
    before = checkout_hashes()
    done, results, _ = grade_safely(CHECKS, REPO / "labs" / "lab07-waitpid-loop" / "lab07.c", tmp_path)
    assert results["score"] == 10, done.stdout
    box = results["extra_data"]["sandbox"]
    where = cgroup.support()
    assert box["own_user"] and box["cgroup"] == where.version
    assert box["tree_memory_mb"] == (enclosure.default_tree_mem_mb() if where.has("memory") else None)
    assert box["tree_cpu_s"] == (Limits().max_cpu_s if where.has("cpuacct") else None)
    assert box["pid_namespace"] == (pidns.unavailable() is None)
    everything = all(map(where.has, cgroup.CONTROLLERS)) and box["pid_namespace"]
    assert (box["not_in_force"] == []) == everything, box
    assert checkout_hashes() == before


@pytest.mark.skipif(not cgroup.support().has("memory"), reason="no memory cgroup on this machine")
def test_eight_children_of_400_mb_are_stopped_by_the_tree_limit(tmp_path):
    limit = 512
    with MemoryWatch() as memory:
        results, _ = graded("lab07_memory.c", tmp_path, "-k", "first_fork", "--trace-max-tree-mem", limit)
    assert results["extra_data"]["sandbox"]["tree_memory_mb"] == limit
    said = (f"Your program was stopped: its processes together used more than {limit} MB of memory, "
            f"the limit for the whole program, and the kernel killed")
    assert failing_outputs(results) and all(o.startswith(said) for o in failing_outputs(results))
    # 3.2 GB were asked for; the machine lent no more than the limit
    assert memory.drop_mb <= limit + MARGIN_MB, (memory.before, memory.lowest)


# The CPU time the cgroup may count past the limit: what 2 CPUs use
# between two of the runner's looks (0.1 s apart) and before the kill lands.
CPU_OVER_S = 0.5
SAY_EVERY_S = 0.02     # lab07_spin.c's children say their CPU time this often (of it)


@pytest.mark.skipif(not cgroup.support().has("cpuacct"), reason="no cgroup counts CPU time here")
def test_four_busy_children_are_stopped_by_the_tree_cpu_limit(tmp_path):
    """4 children that compute without end, each under any per-process
    limit: stopped once they used 2 s of CPU time together, by that limit
    and not by the 15 s time limit (1 s of wall time on 2 idle CPUs; a
    machine busy with other work gives them less, and the stop comes later,
    hence the low limit). The cgroup's count agrees with what the children said of
    their own getrusage, each every 20 ms of it."""
    limit, timeout = 2, 15
    results, _ = graded("lab07_spin.c", tmp_path, "--trace-max-cpu", limit, checks=CPU_CHECKS)
    assert results["extra_data"]["sandbox"]["tree_cpu_s"] == limit
    [output] = failing_outputs(results)
    assert output.startswith(
        f"Your program was stopped: its processes together used more than {limit} s of CPU time, "
        f"the limit for the whole program (an endless loop, in one process or several?).\n"
        f"This test scores zero."), output
    facts = json.loads((tmp_path / "cpu_facts.json").read_text())
    # the CPU limit stopped it, not the time limit (which would say "after 15 s")
    assert "of CPU time" in facts["stopped"] and f"after {timeout} s" not in facts["stopped"], facts["stopped"]
    counted = facts["tree"]["cpu_s"]
    assert limit < counted < limit + CPU_OVER_S, facts["tree"]
    said = {}
    for line in facts["stdout"].splitlines():
        if line.startswith("cpu "):        # (the rest is the lab's own output)
            _, pid, us = line.split()
            said[pid] = int(us) / 1e6      # each child's latest
    assert len(said) == 4, facts["stdout"][:500]
    # each child used at most SAY_EVERY_S more than it last said; the
    # server and the load generator's clients a few ms (an honest run of
    # lab 7 takes 0.02 s in all)
    assert counted - 4 * SAY_EVERY_S - 0.1 < sum(said.values()) <= counted, (said, counted)


def test_a_fork_bomb_is_stopped(tmp_path):
    results, _ = graded("lab07_forkbomb.c", tmp_path)
    outputs = failing_outputs(results)
    assert len(outputs) == 3
    assert all("processes at once, the limit (a fork bomb?)" in o or
               "processes and threads at once, the limit for the whole program" in o for o in outputs)


@pytest.mark.skipif(not cgroup.support().has("pids"), reason="no pids cgroup on this machine")
def test_threads_without_end_are_stopped_by_the_tree_task_limit(tmp_path):
    results, _ = graded("lab07_threadbomb.c", tmp_path, "-k", "first_fork")
    tasks = results["extra_data"]["sandbox"]["tree_tasks"]
    [output] = failing_outputs(results)
    assert output.startswith(
        f"Your program was stopped: it tried to have more than {tasks} processes and threads at once, "
        f"the limit for the whole program (a fork bomb, or threads without end?), so fork() or "
        f"pthread_create() failed.\nThis test scores zero."), output


def test_an_untraced_setsid_daemon_does_not_outlive_its_run(tmp_path):
    """clone(CLONE_UNTRACED) then setsid(): the run ends at its time
    limit, and the daemon is gone with it."""
    results, _ = graded("lab07_daemon.c", tmp_path, "-k", "first_fork", "--trace-timeout", "2")
    [output] = failing_outputs(results)
    # (lab 7 holds SIGCHLD back while a child runs: the daemon never ends,
    # so no handler runs and the server waits in accept() until the time limit.)
    assert output.startswith("Your program was stopped: it was still waiting in accept() after 2 s, "
                             "the time limit; 1 process it started ("), output
    assert "was still there too (a child that never ends, a daemon?)" in output, output


def test_kill_minus_one_reaches_only_the_submission(tmp_path):
    """kill(-1, SIGKILL), again and again, as the grading user: its own
    parent dies, and nothing else (the grading itself goes on to the end)."""
    results, stdout = graded("lab07_kill_all.c", tmp_path)
    assert len(results["tests"]) == 3 and "Score: 0/10" in stdout
    assert any("killed by SIGKILL" in o for o in failing_outputs(results)), results


LABS = sorted(p.name for p in (REPO / "labs").glob("lab[0-9][0-9]-*"))


@pytest.mark.parametrize("lab", LABS)
def test_every_labs_tests_pass_graded_enclosed_on_its_reference(lab, tmp_path):
    folder = REPO / "labs" / lab
    num = lab[3:5]
    [tests] = (REPO / "tests" / "labs").glob(f"test_lab{num}_*.py")
    [reference] = [c for c in folder.glob("*.c")]
    done, results = grade(tests, reference, tmp_path)
    assert results["score"] == results["extra_data"]["max_score"] > 0, done.stdout
    assert results["extra_data"]["sandbox"]["own_user"]


@pytest.mark.skipif(not cgroup.support().has("memory"), reason="no memory cgroup on this machine")
def test_an_honest_lab_takes_a_few_mb_of_its_tree_limit():
    """What the docs say of the defaults: an honest run of any lab takes
    about 1 MB in its cgroup (here: under 16 MB, far below 1024), lab 10
    with its 32 MB table about 33 MB (here: under 48 MB), and a few
    hundredths of a second of CPU time (here: under 0.5 s, far below 10)."""
    user = sandbox.claim()
    try:
        for lab in LABS:
            trace = runner.run(lab=lab, limits=Limits(user=user.uid))
            assert trace.stopped is None, (lab, trace.stopped)
            assert 0 < trace.tree["peak_mb"] < (LAB10_PEAK_MB if "lab10" in lab else 16), (lab, trace.tree)
            assert 0 < trace.tree["cpu_s"] < 0.5, (lab, trace.tree)
            assert trace.tree["oom_kills"] == trace.tree["tasks_refused"] == 0
    finally:
        user.kill_all()
        user.release()
