/*
 * run_as.c - --user: the traced program runs as another, unprivileged
 * user while the tracer stays what it is (root). So the program cannot
 * stop or kill the tracer, nor touch what that user may not: the kernel
 * says no. Done in the started child, after the tracer has seized it and
 * before its exec; the tracer, being root, keeps tracing it.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>
#include "core/run_as.h"

int run_as_parse(const char *spec, struct run_as *r)
{
	char *end;
	long uid = strtol(spec, &end, 10);
	if (end != spec && (*end == '\0' || *end == ':')) {
		long gid = uid;
		if (*end == ':') {
			const char *g = end + 1;
			gid = strtol(g, &end, 10);
			if (end == g || *end)
				return -1;
		}
		if (uid <= 0 || gid <= 0 || uid > UID_MAX_VALUE || gid > UID_MAX_VALUE)
			return -1;   /* 0 is root: nothing would be dropped */
		r->uid = (uid_t)uid, r->gid = (gid_t)gid, r->set = 1;
		return 0;
	}
	const struct passwd *pw = getpwnam(spec);
	if (!pw || pw->pw_uid == 0)
		return -1;
	r->uid = pw->pw_uid, r->gid = pw->pw_gid, r->set = 1;
	return 0;
}

int run_as_drop(const struct run_as *r, int max_procs)
{
	if (!r->set)
		return 0;
	/* Counted per user by the kernel, and enforced once the user is not
	 * root: a backstop for what the tracer cannot see. The kernel counts
	 * threads too, so it sits well above --max-procs, which the tracer
	 * enforces itself (and says so) first. */
	if (max_procs > 0) {
		rlim_t n = (rlim_t)max_procs * RUN_AS_TASKS_PER_PROCESS;
		struct rlimit rl = { n, n };
		if (setrlimit(RLIMIT_NPROC, &rl) != 0)
			return -1;
	}
	if (setgroups(0, NULL) != 0 || setresgid(r->gid, r->gid, r->gid) != 0 ||
	    setresuid(r->uid, r->uid, r->uid) != 0)
		return -1;
	/* A change of user clears the parent-death signal: set it again. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	return 0;
}
