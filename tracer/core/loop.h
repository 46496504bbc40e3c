/*
 * loop.h - the tracer's one waitpid loop, and what it offers beside it.
 */
#ifndef TRACELAB_LOOP_H
#define TRACELAB_LOOP_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

struct tracer;

/* A companion of the loop (the lab runner): it sees events through the
 * stream, and the loop calls it between stops, never inside one. */
struct loop_hooks {
	void *ctx;
	/* After each stop, and when a timer or signal wakes the loop. */
	void (*tick)(void *ctx, uint64_t t);
	/* A child of the tracer that is not traced (a helper) changed state:
	 * 1 when it was the companion's, 0 when the loop should handle it. */
	int (*owns)(void *ctx, pid_t pid, int status, uint64_t t);
	/* The traced tree is being killed: kill the helpers too. */
	void (*kill)(void *ctx);
	/* Is pid a helper of the companion's (its child, untraced on purpose)? */
	int (*helper)(void *ctx, pid_t pid);
};

extern volatile sig_atomic_t loop_timeout;     /* --timeout reached */

void loop_run(struct tracer *tr);
/* Take the reports of the command just started until its exec is done
 * or has failed (its execve stops at entry and at return), before the
 * loop runs: the launcher waits for the exec's outcome meanwhile. */
void loop_first_stop(struct tracer *tr, pid_t child);

#endif
