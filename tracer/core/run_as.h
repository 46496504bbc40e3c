/*
 * run_as.h - --user: run the traced program as another user (run_as.c).
 */
#ifndef TRACELAB_RUN_AS_H
#define TRACELAB_RUN_AS_H

#include <signal.h>
#include <sys/types.h>

/* RLIMIT_NPROC under --user is --max-procs times this: the kernel's limit
 * counts threads as well as processes. */
#define RUN_AS_TASKS_PER_PROCESS 4
/* The largest uid or gid the option takes (the kernel's is 2^32 - 2). */
#define UID_MAX_VALUE 4294967294L

struct run_as {
	int set;
	uid_t uid;
	gid_t gid;
};

/* "NAME", "UID" or "UID:GID" (not root): 0, or -1. */
int run_as_parse(const char *spec, struct run_as *r);
/* In the started child: no supplementary groups, then gid and uid for
 * good (real, effective and saved), with RLIMIT_NPROC at max_procs times
 * RUN_AS_TASKS_PER_PROCESS if given. 0, or -1 with errno. */
int run_as_drop(const struct run_as *r, int max_procs);

#endif
