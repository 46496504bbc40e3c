/*
 * hold.c - hold a parent's first SIGCHLD until its children have all exited.
 */
#include <signal.h>
#include "hold.h"

int hold_sigchld(struct tracer *tr, pid_t tid, pid_t pid)
{
	if (tr->killing || idmap_get(&tr->held_once, pid) || model_live_children(tr->m, pid) == 0)
		return 0;
	idmap_put(&tr->held_once, pid, (void *)1);
	idmap_put(&tr->held, tid, (void *)(intptr_t)pid);
	return 1;
}

void hold_release(struct tracer *tr, pid_t parent)
{
	if (model_live_children(tr->m, parent) > 0)
		return;
	idmap_each(&tr->held, i) {
		if ((pid_t)(intptr_t)tr->held.slots[i].val != parent)
			continue;
		pid_t tid = tr->held.slots[i].id;
		idmap_del(&tr->held, tid);
		loop_resume(tr, tid, SIGCHLD);
		return;   /* one per process: the table changed, stop walking it */
	}
}
