"""What a graded run runs in, as far as this machine allows: cgroups that
limit the whole traced tree (cgroup.py) and a PID namespace that nothing
outlives (pidns.py), around the tracer that runs the program as the
session's own user (sandbox.py). And, in plain words, what of it is not
in force here.

    with Enclosure(limits) as box:      # (or open()/close()) nothing unless limits.user is set
        cmd = box.wrap(tracer_command(..., options=box.tracer_options()))   # --cgroup DIR, unshare
        ...                             # stop it: SIGTERM to box.tracer_pid(popen.pid)
                                        # box.cpu_s(): the tree's CPU time so far (or None)
    box.facts                           # what the cgroups counted, once out of the with

Only graded runs (limits.user: the grader is root) are enclosed: a
student's own `./trace lab3` stays as it is.
"""

import os

from . import cgroup, pidns, procs
from .i18n import _

# A cgroup counts threads as tasks: the tree may have this many per
# process of --max-procs. The user's RLIMIT_NPROC, which the tracer sets
# at 4 per process (RUN_AS_TASKS_PER_PROCESS), stays above it as a
# backstop: the kernel checks that limit first and counts nothing, while
# the cgroup counts what it refused (pids.events), so the student can be
# told why fork() or pthread_create() failed.
TASKS_PER_PROCESS = 3


def tree_tasks(limits):
    return limits.max_procs * TASKS_PER_PROCESS


class Enclosure:
    def __init__(self, limits):
        self.limits = limits
        self.on = limits is not None and limits.user is not None
        self.group = None
        self.namespace = self.on and pidns.unavailable() is None
        self.facts = {}

    def open(self):
        """Make the run's cgroups (OSError if the kernel refuses now)."""
        where = cgroup.support()
        if self.on and where.places:
            self.group = cgroup.RunGroup(where, self.limits.user, self.limits.max_tree_mem_mb,
                                         tree_tasks(self.limits))
        return self

    def close(self):
        """Kill what is left in the cgroups and remove them; keep what they
        counted. Without a namespace, kill whatever of the user still runs:
        nothing outlives its run there either."""
        if self.group is not None:
            self.facts = self.group.close()
        if self.on and not self.namespace:
            procs.kill_user(self.limits.user)

    def __enter__(self):
        return self.open()

    def __exit__(self, *exc):
        self.close()
        return False

    def cpu_s(self):
        """The CPU time the whole tree has used so far, in seconds; None
        where no cgroup counts it."""
        return self.group.cpu_s() if self.group is not None else None

    def tracer_options(self):
        """--cgroup DIR for each of the run's groups: the tracer's child
        joins them before its exec."""
        return self.group.tracer_options() if self.group is not None else []

    def wrap(self, tracer_cmd):
        """The tracer's command line, run as the init of a new PID namespace."""
        return pidns.wrap(tracer_cmd) if self.namespace else tracer_cmd

    def tracer_pid(self, started_pid):
        """Whom to send SIGTERM to stop the tracer: itself, not unshare
        (which blocks SIGTERM)."""
        if not self.namespace:
            return started_pid
        return pidns.init_pid(started_pid) or started_pid


# The memory of a whole graded tree, at most: two graders at once on a
# 24 GiB machine use 2 GiB; a lab's honest run needs a few tens of MB.
TREE_MEM_MB = 1024


def default_tree_mem_mb():
    """TREE_MEM_MB, or half the memory the grader itself may use if that
    is less (a Gradescope container has 768 MB by default): the tree's
    kill must come before the container's, which could pick the grader."""
    return min(TREE_MEM_MB, cgroup.grader_room_mb() // 2)


def not_in_force(user):
    """What of the sandbox is not in force for a session that runs its
    programs as `user` (None: the grader's own), one plain line each."""
    if user is None:
        return [_("the program ran with the grader's own rights: only a submission graded with "
                  "--submission runs it as a user of its own, in a cgroup and a PID namespace")
                if os.geteuid() == 0 else
                _("the program ran with the grader's own rights: only a grader running as root "
                  "runs it as a user of its own, in a cgroup and a PID namespace")]
    lines = []
    where = cgroup.support()
    if not where.has("memory"):
        lines.append(_("memory was limited per process only: {why}").format(why=where.missing["memory"]))
    if not where.has("pids"):
        lines.append(_("the number of processes was limited by the tracer's count and the user's "
                       "RLIMIT_NPROC only, not by a cgroup: {why}").format(why=where.missing["pids"]))
    if not where.has("cpuacct"):
        lines.append(_("CPU time was not limited over the whole program, only its wall-clock time: "
                       "{why}").format(why=where.missing["cpuacct"]))
    why = pidns.unavailable()
    if why is not None:
        lines.append(_("there was no PID namespace around each run (its user's processes were "
                       "killed at the end of each run instead): {why}").format(why=why))
    return lines


def summary(user, limits):
    """For results.json's extra_data: what the submission ran in."""
    where = cgroup.support() if user is not None else cgroup.Support((), {})
    on = user is not None
    return {"own_user": on,
            "cgroup": where.version if on else None,
            "tree_memory_mb": limits.max_tree_mem_mb if on and where.has("memory") else None,
            "tree_tasks": tree_tasks(limits) if on and where.has("pids") else None,
            "tree_cpu_s": limits.max_cpu_s if on and where.has("cpuacct") else None,
            "pid_namespace": on and pidns.unavailable() is None,
            "not_in_force": not_in_force(user)}
