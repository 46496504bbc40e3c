"""--cgroup DIR: the traced program (and all it starts) runs in the cgroup,
from before its exec; the tracer stays outside. The oracle is the
kernel's own account: /proc/PID/cgroup of the program, the cgroup's
cgroup.procs while it runs, and its counters afterwards."""

import os
import subprocess
from pathlib import Path

import pytest

import tracelab
from tracelab import cgroup

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or not cgroup.support().places,
                                reason="making a cgroup needs root and a writable cgroup file system")


@pytest.fixture
def group():
    """A run's cgroups, as the grader makes them (64 MB, 16 tasks), removed after."""
    g = cgroup.RunGroup(cgroup.support(), 61732, mem_mb=64, tasks=16)
    yield g
    g.close()
    assert not any(f.exists() for f in g.folders())


def test_the_program_runs_in_the_cgroup_and_the_tracer_does_not(group):
    script = "cat /proc/self/cgroup; cat /proc/$PPID/cgroup >&2"
    done = subprocess.run([str(tracelab.trace_binary()), "-q", *group.tracer_options(), "--",
                           "sh", "-c", script], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    mine = done.stdout.splitlines()
    for folder in group.folders():
        assert any(line.endswith("/" + folder.name) for line in mine), (folder, mine)
    # $PPID of the program is the tracer: in none of the run's groups
    assert f"/{group.folders()[0].name}\n" not in done.stderr


def test_the_whole_tree_shares_one_memory_limit(group, tmp_path):
    """Three children of 40 MB each: one at a time fits in 64 MB, all
    three at once do not, and the kernel kills inside the group."""
    if not cgroup.support().has("memory"):
        pytest.skip("no memory cgroup here")
    src = tmp_path / "three.c"
    src.write_text(THREE)
    subprocess.run(["gcc", "-O1", "-o", tmp_path / "three", src], check=True)
    done = subprocess.run([str(tracelab.trace_binary()), "-q", *group.tracer_options(), "--",
                           str(tmp_path / "three")], capture_output=True, text=True, timeout=60)
    assert "killed by SIGKILL" in done.stderr, done.stderr
    assert group.close()["oom_kills"] >= 1


THREE = r"""
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
int main(void)
{
	for (int i = 0; i < 3; i++)
		if (fork() == 0) {
			volatile char *p = malloc(40 << 20);
			for (size_t j = 0; p && j < (40 << 20); j += 4096)
				p[j] = 1;
			sleep(2);
			_exit(0);
		}
	while (wait(NULL) > 0)
		;
	return 0;
}
"""


def test_cgroup_option_errors_take_one_line():
    trace = str(tracelab.trace_binary())
    folder = str(next(iter(cgroup.support().places)).parent)
    cases = [
        (["--cgroup", "/tmp", "--", "true"], "cgroup.procs"),
        (["--cgroup", "/no/such/cgroup", "--", "true"], "cgroup.procs"),
        ([*["--cgroup", folder] * 5, "--", "true"], "at most 4"),
        (["--cgroup", folder, "-p", "1"], "not with -p"),
        (["--cgroup", folder, "--replay", "/dev/null"], "--replay"),
    ]
    for args, said in cases:
        done = subprocess.run([trace, *args], capture_output=True, text=True, timeout=10)
        assert done.returncode == 2 and len(done.stderr.splitlines()) == 1, (args, done.stderr)
        assert said in done.stderr, (args, done.stderr)


def test_a_student_run_without_the_option_is_in_no_new_cgroup():
    """./trace lab3 as a student runs it: the program stays where the
    tracer is."""
    done = subprocess.run([str(tracelab.trace_binary()), "-q", "--", "cat", "/proc/self/cgroup"],
                          capture_output=True, text=True, timeout=30)
    assert done.stdout == Path("/proc/self/cgroup").read_text()
