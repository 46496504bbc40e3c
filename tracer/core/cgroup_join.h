/*
 * cgroup_join.h - --cgroup DIR: the started program runs in these cgroups
 * (cgroup_join.c), so that limits over its whole tree hold from its first
 * instruction. The grader creates the cgroups and removes them after.
 */
#ifndef TRACELAB_CGROUP_JOIN_H
#define TRACELAB_CGROUP_JOIN_H

/* cgroup v2 needs one folder; v1 one per hierarchy (memory, pids, cpuacct). */
#define CGROUP_JOIN_MAX 4

struct cgroups {
	int n;
	const char *dir[CGROUP_JOIN_MAX];
};

/* At parse time: 0; -1 when there are CGROUP_JOIN_MAX already; -2 when
 * dir holds no cgroup.procs that this process may write. */
int cgroups_add(struct cgroups *c, const char *dir);
/* In the started child, before the user changes (joining needs root):
 * 0, or -1 with errno and *failed set to the folder that refused. */
int cgroups_join(const struct cgroups *c, const char **failed);

#endif
