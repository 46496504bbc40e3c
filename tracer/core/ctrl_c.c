/*
 * ctrl_c.c - Ctrl-C on a command the tracer started: the program gets
 * its SIGINT, as it would untraced (strace passes it on too), and its
 * handler (or the default action) may end it; what still runs
 * CTRL_C_GRACE_MS later, or at a second Ctrl-C, is killed, and the
 * summary says that Ctrl-C did it. SIGTERM and SIGHUP kill at once.
 * (Attached, -p, the loop detaches instead.)
 *
 * A terminal's Ctrl-C goes to its whole foreground process group: the
 * traced processes in the tracer's group have their SIGINT already (the
 * kernel's si_code SI_KERNEL says it came from a terminal). A SIGINT sent
 * to the tracer alone (kill -INT) is passed on to them, as the terminal
 * would have sent it, and to the group of the root if it made its own.
 */
#include <signal.h>
#include <unistd.h>
#include "common/names.h"
#include "core/tracer.h"
#include "decode/tracee.h"

volatile sig_atomic_t loop_interrupt;
volatile sig_atomic_t ctrl_c_count;
volatile sig_atomic_t ctrl_c_from_terminal;
static volatile sig_atomic_t grace_over;

/* The signal that wakes the loop's waitpid when the grace is over. */
#define GRACE_SIGNAL SIGUSR1
/* Then it comes again, every so often: one that lands between the loop's
 * last look and its waitpid would otherwise leave the loop waiting. */
#define GRACE_REPEAT_MS 100
#define NS_PER_MS 1000000ull

static const char *const after_name[] = {
	[CTRL_C_ENDED] = "ended",
	[CTRL_C_KILLED_AFTER_GRACE] = "killed-after-grace",
	[CTRL_C_KILLED_AGAIN] = "killed-again",
	[CTRL_C_KILLED_AT_ONCE] = "killed-at-once",
	[CTRL_C_DETACHED] = "detached",
};

static void on_grace_over(int sig) { (void)sig; grace_over = 1; }

/* The grace's timer: first at its end, then every GRACE_REPEAT_MS. */
static int arm_grace(struct ctrl_c *c)
{
	return wake_timer_make(&c->timer, GRACE_SIGNAL, on_grace_over) &&
	       wake_timer_set(&c->timer, CTRL_C_GRACE_MS * NS_PER_MS, GRACE_REPEAT_MS * NS_PER_MS);
}

static void disarm_grace(struct ctrl_c *c)
{
	if (!c->timer.made)
		return;
	wake_timer_delete(&c->timer);
	signal(GRACE_SIGNAL, SIG_IGN);   /* drops one already sent */
	signal(GRACE_SIGNAL, SIG_DFL);
}

static void kill_for(struct tracer *tr, enum ctrl_c_after why)
{
	tr->ctrl_c.after = why;
	disarm_grace(&tr->ctrl_c);
	tracer_kill_tree(tr);
}

/* The process groups a Ctrl-C is for, and the one a terminal reached. */
struct groups {
	pid_t ours, root, reached;
};

static void pass_on(pid_t pid, void *ctx)
{
	const struct groups *g = ctx;
	pid_t pgid = getpgid(pid);
	if (pgid > 0 && pgid != g->reached && (pgid == g->ours || pgid == g->root))
		kill(pid, SIGINT);
}

static struct groups groups_of(const struct tracer *tr)
{
	struct groups g = { getpgrp(), 0, ctrl_c_from_terminal ? getpgrp() : 0 };
	if (!tr->root_done)
		g.root = getpgid(tr->root);
	return g;
}

/* What a terminal's Ctrl-C would have reached, and has not. */
static void pass_on_sigint(struct tracer *tr)
{
	struct groups g = groups_of(tr);
	if (g.reached && (!g.root || g.root == g.reached))
		return;   /* the terminal's reached them all */
	model_each_live_process(tr->m, pass_on, &g);
}

/* A fork the loop learns of now may have been made before the SIGINT
 * came: one under way goes on to the end (a signal to one process does
 * not stop it), and one done may not be reported yet. Then the parent,
 * stopped at its fork event, still has the SIGINT pending, and the child
 * gets one too, as from a terminal's, sent to the whole group. A fork
 * begun after the SIGINT came waits until the parent has taken it. */
void ctrl_c_spawned(struct tracer *tr, pid_t pid, pid_t child)
{
	if (tr->ctrl_c.sig != SIGINT || tr->attached || !tracee_sig_pending(pid, SIGINT))
		return;
	struct groups g = groups_of(tr);
	pass_on(child, &g);
}

void ctrl_c_check(struct tracer *tr)
{
	struct ctrl_c *c = &tr->ctrl_c;
	if (!c->sig) {
		c->sig = loop_interrupt;
		if (c->sig != SIGINT || !arm_grace(c)) {
			kill_for(tr, CTRL_C_KILLED_AT_ONCE);
			return;
		}
		escapes_find(tr, tracer_now(tr));   /* an escaped one has its SIGINT too */
		pass_on_sigint(tr);
	}
	if (ctrl_c_count > 1)
		kill_for(tr, CTRL_C_KILLED_AGAIN);
	else if (grace_over)
		kill_for(tr, CTRL_C_KILLED_AFTER_GRACE);
}

void ctrl_c_end(struct tracer *tr) { disarm_grace(&tr->ctrl_c); }

void ctrl_c_summary(const struct tracer *tr, struct fields *f)
{
	const struct ctrl_c *c = &tr->ctrl_c;
	enum ctrl_c_after after = tr->attached ? CTRL_C_DETACHED : c->after;
	if (!c->sig) {
		fs_null(f, "interrupted");
		fs_null(f, "after_interrupt");
		return;
	}
	fs_str(f, "interrupted", sig_name(c->sig));
	/* Killed for another reason in the grace: --timeout or a limit says so. */
	if (after == CTRL_C_ENDED && tr->killing)
		fs_null(f, "after_interrupt");
	else
		fs_str(f, "after_interrupt", after_name[after]);
	if (c->sig == SIGINT && !tr->attached)
		fs_int(f, "grace_ms", CTRL_C_GRACE_MS);
}
