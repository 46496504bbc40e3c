/*
 * loop.h - the tracer's state while it runs, and its one waitpid loop.
 */
#ifndef TRACELAB_LOOP_H
#define TRACELAB_LOOP_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include "event/event.h"
#include "common/idmap.h"
#include "model/model.h"

struct lab;

struct tracer {
	struct model *m;
	struct stream *out;
	int classes;
	int seccomp;               /* 0 when attached: every syscall stops */
	int attached;
	pid_t root;
	struct idmap calls;        /* tid -> struct call waiting for its return */
	struct idmap interrupted;  /* tid -> struct call ended by -ERESTART*, until the signal */
	struct idmap early;        /* tids that stopped before their parent's fork event */
	struct idmap joins;        /* joined tid -> a pthread_join held until its death report */
	struct idmap held;         /* tid -> its pid: a SIGCHLD held back (hold.c) */
	struct idmap held_once;    /* pids whose first SIGCHLD was held already */
	int hold_sigchld;
	int show_calls;            /* a renderer shows syscall lines (not -q alone) */
	int max_procs, max_mem_mb; /* limits for untrusted programs (0: none) */
	const char *limit;         /* which limit ended the trace, or NULL */
	struct lab *lab;
	int root_status;           /* the root's wait status */
	int root_done;
	int root_dying;            /* a fatal signal is on its way to the root */
	int killing;               /* the tree is being killed */
	int detaching;
	int timed_out;
	int lost;                  /* stops the tracer could not read */
	void (*started)(struct tracer *tr);   /* the root's pid is known: say so first */
};

extern volatile sig_atomic_t loop_interrupt;   /* SIGINT/SIGTERM/SIGHUP seen */
extern volatile sig_atomic_t loop_timeout;     /* --timeout reached */

uint64_t now_ns(void);
void loop_run(struct tracer *tr);
/* A signal reaches tid (emit it, update the model); the caller resumes it. */
void loop_signal_delivered(struct tracer *tr, pid_t tid, const siginfo_t *si, uint64_t t);
/* Let a stopped task go on, delivering sig (0: none). */
void loop_resume(struct tracer *tr, pid_t tid, int sig);
/* SIGKILL every traced process (and the load generator). */
void loop_kill_tree(struct tracer *tr);

#endif
