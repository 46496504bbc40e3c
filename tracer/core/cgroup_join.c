/*
 * cgroup_join.c - --cgroup DIR: the started child writes "0" (itself) to
 * DIR/cgroup.procs before its exec. Only the traced program's tree is in
 * the cgroup, not the tracer: the tree's memory limit counts the
 * program's memory alone, and the kernel's OOM killer, choosing inside
 * the cgroup, can never pick the tracer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "core/cgroup_join.h"

static int procs_path(const char *dir, char *path, size_t size)
{
	int n = snprintf(path, size, "%s/cgroup.procs", dir);
	return n > 0 && (size_t)n < size ? 0 : -1;
}

int cgroups_add(struct cgroups *c, const char *dir)
{
	char path[4096];
	if (c->n >= CGROUP_JOIN_MAX)
		return -1;
	if (procs_path(dir, path, sizeof path) != 0 || access(path, W_OK) != 0)
		return -2;
	c->dir[c->n++] = dir;
	return 0;
}

int cgroups_join(const struct cgroups *c, const char **failed)
{
	char path[4096];
	for (int i = 0; i < c->n; i++) {
		*failed = c->dir[i];
		if (procs_path(c->dir[i], path, sizeof path) != 0) {
			errno = ENAMETOOLONG;
			return -1;
		}
		int fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return -1;
		/* "0" is the writer itself, whatever its pid in this namespace. */
		ssize_t w = write(fd, "0\n", 2);
		int err = errno;
		close(fd);
		if (w != 2) {
			errno = w < 0 ? err : EIO;
			return -1;
		}
	}
	*failed = NULL;
	return 0;
}
