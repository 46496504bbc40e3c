/*
 * ctrl_c.h - Ctrl-C (and SIGTERM, SIGHUP) on a command the tracer
 * started: the program's own SIGINT, a grace, then the kill (ctrl_c.c).
 */
#ifndef TRACELAB_CTRL_C_H
#define TRACELAB_CTRL_C_H

#include <signal.h>
#include <sys/types.h>
#include "common/wake_timer.h"

/* How long the program has, after its SIGINT, to end by itself. */
#define CTRL_C_GRACE_MS 2000

/* What the tracer did after the interrupt (the summary's after_interrupt). */
enum ctrl_c_after {
	CTRL_C_ENDED,              /* nothing: the traced processes ended in the grace */
	CTRL_C_KILLED_AFTER_GRACE, /* they still ran when the grace was over */
	CTRL_C_KILLED_AGAIN,       /* a second Ctrl-C came in the grace */
	CTRL_C_KILLED_AT_ONCE,     /* SIGTERM, SIGHUP: no grace */
	CTRL_C_DETACHED,           /* attached (-p): the tracer let go */
};

struct ctrl_c {
	int sig;                   /* the signal that asked the trace to end, or 0 */
	enum ctrl_c_after after;
	struct wake_timer timer;   /* wakes the loop when the grace is over */
};

/* Set by the tracer's handler of SIGINT, SIGTERM and SIGHUP (main.c). */
extern volatile sig_atomic_t loop_interrupt;        /* the first that came: the loop ends the trace */
extern volatile sig_atomic_t ctrl_c_count;          /* how many came */
extern volatile sig_atomic_t ctrl_c_from_terminal;  /* the first was a terminal's (SI_KERNEL) */

struct tracer;
struct fields;

/* Between stops, once loop_interrupt is set, on a command the tracer
 * started: pass the SIGINT on, and kill what is left when it is time. */
void ctrl_c_check(struct tracer *tr);
/* A new process child of pid (at its fork event, pid stopped): in the
 * grace, it may need the SIGINT its parent has pending. */
void ctrl_c_spawned(struct tracer *tr, pid_t pid, pid_t child);
/* The loop is over: no more wakeups. */
void ctrl_c_end(struct tracer *tr);
/* The summary's fields: interrupted, after_interrupt, grace_ms. */
void ctrl_c_summary(const struct tracer *tr, struct fields *f);

#endif
