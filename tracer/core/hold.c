/*
 * hold.c - the race arranger (--hold sigchld): make SIGCHLDs merge, every
 * time, whatever the program.
 *
 * When several children exit close together, their parent may get one
 * SIGCHLD for all of them, or one each: it depends on timing. A handler
 * that calls wait() once is wrong either way, but shows it only when the
 * signals merge. So the tracer holds every SIGCHLD that would run a
 * handler: at its delivery stop the signal is not delivered (the parent
 * goes on without it, and a call it interrupted is restarted). The parent
 * keeps running: it may accept more clients and fork more children, whose
 * exits the held signal then stands for too. When the parent has no child
 * left running and has been quiet for HOLD_QUIET_NS, the tracer sends it
 * SIGCHLD once more, and at that delivery stop puts back the siginfo of
 * the first held one: the signal the kernel would have delivered had all
 * these exits come while the first was still pending.
 *
 * --hold sigchld-burst (lab 7) lets the signal go once the parent is quiet
 * and no child has exited for HOLD_QUIET_NS, even while some children still
 * run: the exits of one burst merge, and the handler then meets a child
 * that is still running (waitpid(WNOHANG) returns 0).
 *
 * Each step is an event ("hold": start, release, dropped), so the timeline
 * says where the tracer arranged the race.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include "core/stops.h"
#include "lab/lab.h"

/* How long a parent with no child left running must make no traced call
 * (and no new child) before its held SIGCHLD goes: a server that still
 * has clients in its accept queue forks again well within that, even on
 * a loaded 2-core machine where a runnable task may wait a few scheduler
 * periods (tens of ms) for a CPU; and it is short enough that a student
 * does not wait for it. */
#define HOLD_QUIET_NS 200000000ull
/* A parent that never goes quiet (it polls in a loop) gets its SIGCHLD at
 * the latest this long after its last child exited. */
#define HOLD_LONGEST_NS 1000000000ull
/* The signal of the timer that wakes the loop when a parent may have
 * become quiet (the runner has SIGUSR2, Ctrl-C's grace SIGUSR1, --timeout
 * SIGALRM). */
#define HOLD_WAKE_SIGNAL SIGVTALRM

struct hold {
	pid_t pid;
	int held;              /* a SIGCHLD is held back now */
	int sent;              /* the tracer sent the one that stands for it */
	int exits;             /* children's exits since a SIGCHLD was last delivered */
	uint64_t since;        /* when the hold started */
	uint64_t busy;         /* the parent's last stop (a call, a fork) */
	uint64_t last_exit;    /* a child's last exit */
	siginfo_t si;          /* the first held one */
};

static struct hold *hold_of(struct tracer *tr, pid_t pid)
{
	struct hold *h = idmap_get(&tr->holds, pid);
	if (h || !(h = calloc(1, sizeof *h)))
		return h;
	if (idmap_put(&tr->holds, pid, h) < 0) {
		free(h);
		return NULL;
	}
	h->pid = pid;
	return h;
}

static void emit_hold(struct tracer *tr, const struct hold *h, pid_t tid, const char *what, uint64_t t)
{
	struct event *e = tracer_event(tr, EV_HOLD, t, h->pid, tid);
	fs_str(&e->f, "what", what);
	fs_str(&e->f, "sig", "SIGCHLD");
	if (strcmp(what, "start") == 0 && tr->hold_sigchld == HOLD_SIGCHLD_BURST)
		fs_str(&e->f, "until", "quiet");   /* not until the children have exited */
	else if (strcmp(what, "start") == 0)
		fs_int(&e->f, "children", model_live_children(tr->m, h->pid));
	else
		fs_int(&e->f, "exits", h->exits);
	if (strcmp(what, "start") != 0)
		fs_int(&e->f, "held_ns", (int64_t)(t - h->since));
	tracer_emit(tr);
}

static int is_death(int si_code)
{
	return si_code == CLD_EXITED || si_code == CLD_KILLED || si_code == CLD_DUMPED;
}

int hold_sigchld(struct tracer *tr, pid_t tid, pid_t pid, siginfo_t *si, uint64_t t)
{
	struct hold *h = hold_of(tr, pid);
	if (!h)
		return 0;
	if (h->sent) {
		/* Ours (or a child's that merged with it): it stands for them all. */
		if (si->si_code == SI_USER && ptrace(PTRACE_SETSIGINFO, tid, 0, &h->si) == 0)
			*si = h->si;
		emit_hold(tr, h, tid, "release", t);
		h->held = h->sent = 0;
		h->exits = 0;
		return 0;
	}
	if (h->held) {
		keep_interrupted_call(tr, tid, t);
		return 1;   /* merges into the held one */
	}
	int wanted = !tr->killing && !tr->detaching && is_death(si->si_code) &&
		     model_sig_action(tr->m, pid, SIGCHLD) == ACT_HANDLER &&
		     (model_live_children(tr->m, pid) > 0 || t - h->busy < HOLD_QUIET_NS);
	if (!wanted) {
		h->exits = 0;   /* delivered now: later exits need a new signal */
		return 0;
	}
	h->held = 1;
	h->si = *si;
	h->since = t;
	emit_hold(tr, h, tid, "start", t);
	/* Not delivered, so no handler runs: a call it interrupted is
	 * restarted by the kernel, and stays one call in the timeline. */
	keep_interrupted_call(tr, tid, t);
	return 1;
}

void hold_activity(struct tracer *tr, pid_t tid, uint64_t t)
{
	pid_t pid = model_pid_of(tr->m, tid);
	struct hold *h = pid ? hold_of(tr, pid) : NULL;
	if (h)
		h->busy = t;
}

void hold_child_exited(struct tracer *tr, pid_t parent, uint64_t t)
{
	struct hold *h = hold_of(tr, parent);
	if (!h)
		return;
	h->exits++;
	h->last_exit = t;
}

void hold_process_ended(struct tracer *tr, pid_t pid, uint64_t t)
{
	struct hold *h = idmap_del(&tr->holds, pid);
	if (h && h->held)
		emit_hold(tr, h, pid, "dropped", t);
	free(h);
}

static void on_wake(int sig) { (void)sig; }

/* When may h's signal go? 0: now; else in how many ns (UINT64_MAX: not
 * before something else happens, a child's exit). */
static uint64_t wait_left(const struct tracer *tr, const struct hold *h, uint64_t t)
{
	if (tr->hold_sigchld != HOLD_SIGCHLD_BURST && model_live_children(tr->m, h->pid) > 0)
		return UINT64_MAX;
	uint64_t last = h->busy > h->last_exit ? h->busy : h->last_exit;
	uint64_t quiet = last + HOLD_QUIET_NS, longest = h->last_exit + HOLD_LONGEST_NS;
	uint64_t when = quiet < longest ? quiet : longest;
	return when <= t ? 0 : when - t;
}

void hold_tick(struct tracer *tr, uint64_t t)
{
	uint64_t next = UINT64_MAX;
	idmap_each(&tr->holds, i) {
		struct hold *h = tr->holds.slots[i].val;
		if (!h->held || h->sent || tr->killing)
			continue;
		uint64_t left = wait_left(tr, h, t);
		if (left == 0) {
			h->sent = kill(h->pid, SIGCHLD) == 0;
		} else if (left < next) {
			next = left;
		}
	}
	if (next != UINT64_MAX && wake_timer_make(&tr->hold_timer, HOLD_WAKE_SIGNAL, on_wake))
		wake_timer_set(&tr->hold_timer, next, 0);
}

void hold_detach(struct tracer *tr, uint64_t t)
{
	idmap_each(&tr->holds, i) {
		struct hold *h = tr->holds.slots[i].val;
		if (!h->held || h->sent)
			continue;
		/* Its delivery stop will come while detaching: it goes with the task. */
		h->sent = kill(h->pid, SIGCHLD) == 0;
		emit_hold(tr, h, h->pid, "release", t);
	}
}

void hold_free(struct tracer *tr)
{
	wake_timer_delete(&tr->hold_timer);
	idmap_each(&tr->holds, i)
		free(tr->holds.slots[i].val);
	idmap_free(&tr->holds);
}
