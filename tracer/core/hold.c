/*
 * hold.c - the race arranger: make SIGCHLDs coalesce every time.
 *
 * When several children exit close together, their parent may get one
 * SIGCHLD for all of them, or one each: it depends on timing. A handler
 * that calls wait() once is wrong either way, but only shows it when the
 * signals coalesce. With --hold sigchld, the parent's first SIGCHLD is
 * held (parked) at its delivery stop until every child it has has exited.
 * The children's own SIGCHLDs meanwhile merge into one pending signal, and
 * the held one is then dropped into it: one SIGCHLD for all the exits.
 */
#include <signal.h>
#include <stdlib.h>
#include "core/stops.h"
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
	if (park(&tr->parking, tid, PARK_HELD_SIGCHLD, h) < 0) {
		free(h);
		return 0;
	}
	idmap_put(&tr->held_once, pid, (void *)1);
	return 1;
}

static int held_for(const struct parked *p, void *pid)
{
	return ((const struct held *)p->data)->pid == *(pid_t *)pid;
}

void hold_release(struct tracer *tr, pid_t parent)
{
	if (model_live_children(tr->m, parent) > 0)
		return;
	struct parked *p = park_find(&tr->parking, PARK_HELD_SIGCHLD, held_for, &parent);
	if (!p)
		return;
	struct held *h = p->data;
	/* The children that exited meanwhile made a new SIGCHLD pending. Had
	 * they all exited before the first was taken, there would be one
	 * signal for all: so the held one merges into that one, and only that
	 * one is delivered (and shown). */
	if (tracee_sig_pending(parent, SIGCHLD)) {
		unpark(&tr->parking, p->tid, 0);
	} else {
		signal_delivered(tr, p->tid, &h->si, tracer_now(tr));
		unpark(&tr->parking, p->tid, SIGCHLD);
	}
}
