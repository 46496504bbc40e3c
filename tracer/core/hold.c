/*
 * hold.c - hold a parent's first SIGCHLD until its children have all exited.
 */
#include <signal.h>
#include <stdlib.h>
#include "core/hold.h"
#include "decode/tracee.h"

struct held {
	pid_t pid;
	siginfo_t si;
};

int hold_sigchld(struct tracer *tr, pid_t tid, pid_t pid, const siginfo_t *si)
{
	struct held *h;
	if (tr->killing || idmap_get(&tr->held_once, pid) || model_live_children(tr->m, pid) == 0 ||
	    !(h = malloc(sizeof *h)))
		return 0;
	h->pid = pid;
	h->si = *si;
	idmap_put(&tr->held_once, pid, (void *)1);
	idmap_put(&tr->held, tid, h);
	return 1;
}

void hold_release(struct tracer *tr, pid_t parent)
{
	if (model_live_children(tr->m, parent) > 0)
		return;
	idmap_each(&tr->held, i) {
		struct held *h = tr->held.slots[i].val;
		if (h->pid != parent)
			continue;
		pid_t tid = tr->held.slots[i].id;
		idmap_del(&tr->held, tid);
		/* The children that exited meanwhile made a new SIGCHLD pending.
		 * Had they all exited before the first was taken, there would be
		 * one signal for all: so the held one merges into that one, and
		 * only that one is delivered (and shown). */
		if (tracee_sig_pending(parent, SIGCHLD)) {
			loop_resume(tr, tid, 0);
		} else {
			loop_signal_delivered(tr, tid, &h->si, now_ns());
			loop_resume(tr, tid, SIGCHLD);
		}
		free(h);
		return;   /* one per process: the table changed, stop walking it */
	}
}
