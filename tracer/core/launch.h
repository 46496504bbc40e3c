/*
 * launch.h - start a command under the tracer, or attach to a process.
 */
#ifndef TRACELAB_LAUNCH_H
#define TRACELAB_LAUNCH_H

#include <stddef.h>
#include "core/tracer.h"

/* 0, or 2 after one line on stderr saying what to do. */
int launch_check(char *const *argv, char *path, size_t size);
/* A command started and seized, on its way to its exec: its exec stops
 * at entry (the loop takes that stop: loop_first_stop), and then
 * launch_outcome learns whether it worked. */
struct launched {
	pid_t child;
	int failed_fd;             /* the child writes errno here if its exec fails */
	const char *path;
};
int launch_command(struct tracer *tr, char *const *argv, const char *path, struct launched *l);
/* 0 when the exec worked; else 2, the child gone, after one line on stderr. */
int launch_outcome(struct tracer *tr, const struct launched *l);
int launch_attach(struct tracer *tr, pid_t pid);

#endif
