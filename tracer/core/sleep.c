/*
 * sleep.c - did a task sleep in its call? "blocked" is the kernel's word
 * here, never a guess from how long a call took: a waitpid with WNOHANG
 * that took 2 ms while the tracer was busy did not block.
 *
 * The kernel counts, per thread, each time it gave up the CPU of its own
 * accord (voluntary_ctxt_switches in /proc/PID/task/TID/status): each
 * sleep, and also each ptrace stop. At the entry stop we read the count
 * (the entry stop itself is already in it). At the return stop the count
 * has grown by one for that stop; by two or more if the task slept in
 * between. A task still in its call (running or asleep, not stopped) has
 * made no stop since entry, so there any growth is a sleep.
 */
#include "core/stops.h"
#include "decode/call.h"
#include "decode/tracee.h"

/* State letters of /proc that mean the task has stopped (or died) since
 * its entry stop: that stop (or its death) counted one switch itself. */
static int stopped_since_entry(char state)
{
	return state == 't' || state == 'T' || state == 'Z' || state == 'X';
}

void sleep_count_entry(struct tracer *tr, struct call *c)
{
	char state;
	int64_t n;
	if (tr->show_calls && c->def->blocks && c->def->blocks(c) &&
	    tracee_sched(c->pid, c->tid, &state, &n) == 0)
		c->switches = n;
}

void sleep_check(struct call *c)
{
	char state;
	int64_t n;
	if (c->switches < 0 || c->slept >= 0 || tracee_sched(c->pid, c->tid, &state, &n) != 0)
		return;
	int stopped = stopped_since_entry(state);
	if (n - c->switches >= (stopped ? 2 : 1))
		c->slept = 1;
	else if (state == 't')
		c->slept = 0;   /* at its return stop: exact */
}

void sleep_check_process(struct tracer *tr, pid_t pid)
{
	idmap_each(&tr->calls, i) {
		struct call *c = tr->calls.slots[i].val;
		if (!pid || c->pid == pid)
			sleep_check(c);
	}
}
