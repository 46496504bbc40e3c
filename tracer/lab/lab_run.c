/*
 * lab_run.c - a lab's scenario, run beside the loop.
 *
 * The runner subscribes to the event stream and only takes note there:
 * the server's listen() (or bind()) succeeded, on which port; the server
 * exited, or is being killed by a signal. Between stops the loop calls
 * lab_runner_tick, and only then does the runner act: it starts the load
 * generator, or stops the server. The load generator is the tracer's own
 * child, never traced: the trace shows the server's life alone.
 *
 * Two choices of lab.conf. `cue = sigchld` sends the load generator
 * CUE_SIGNAL when the server first gets SIGCHLD (its --late clients wait
 * for it; see note_cue). `stop_when = asleep` stops the server only once
 * it sleeps in a call again (lab 6: back in accept() after the EINTR),
 * not as soon as its handler has returned.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common/lang.h"
#include "common/wake_timer.h"
#include "decode/tracee.h"
#include "lab/lab.h"
#include "model/model.h"

/* How long the server may take to settle after the load before it is
 * stopped anyway: a bound, never a wait that a correct lab needs. */
#define STOP_GRACE_NS 2000000000ull
/* The timer fires a moment after the deadline, so the deadline has passed. */
#define WAKEUP_SLACK_NS 10000000ull
/* The signal that wakes the loop's waitpid at a deadline. */
#define WAKEUP_SIGNAL SIGUSR2
/* What the load generator takes as the cue (loadgen.c's CUE_SIGNAL). */
#define CUE_SIGNAL SIGUSR1
/* With stop_when = asleep: how often to look whether the server sleeps,
 * since falling asleep is no stop that would wake the loop. */
#define ASLEEP_POLL_NS 2000000ull

struct lab_runner {
	struct sink sink;
	const struct lab *lab;
	struct stream *out;
	const struct model *m;
	struct arena arena;
	struct event ev;
	pid_t root;
	/* noted from events */
	int ready_port;          /* -1 until the server is ready */
	int ready_seen;
	int root_done, root_dying;
	int cue_due, cue_sent;   /* cue = sigchld: the server got SIGCHLD */
	/* acting */
	pid_t loadgen;           /* the running load generator, or 0 */
	int load_started;
	int stop_pending;        /* the load is done; stop the server once it settles */
	uint64_t stop_deadline;
	uint64_t loadgen_deadline;   /* kill it then, if the server is gone */
	int killing;
	struct wake_timer timer;
};

static void on_wakeup(int sig) { (void)sig; }

/* A one-shot timer whose signal interrupts the loop's waitpid at the
 * deadline, so that the runner's tick comes even if nothing else happens. */
static void arm_wakeup(struct lab_runner *r, uint64_t after_ns)
{
	wake_timer_make(&r->timer, WAKEUP_SIGNAL, on_wakeup);
	wake_timer_set(&r->timer, after_ns + WAKEUP_SLACK_NS, 0);
}

static void emit_lab(struct lab_runner *r, uint64_t t, const char *what, const char *key, int64_t v)
{
	arena_reset(&r->arena);
	event_init(&r->ev, &r->arena, EV_LAB, t, r->root, r->root);
	fs_str(&r->ev.f, "what", what);
	if (key)
		fs_int(&r->ev.f, key, v);
	stream_emit(r->out, &r->ev);
}

/* ---- taking note of events ---- */

static void on_ready_call(struct lab_runner *r, const struct event *ev)
{
	const char *name = fs_gets(&ev->f, "name");
	const struct fields *out = fs_getobj(&ev->f, "out");
	if (r->ready_seen || ev->pid != r->root || !name || strcmp(name, r->lab->ready) != 0 ||
	    fs_geti(&ev->f, "ret", -1) != 0)
		return;
	r->ready_seen = 1;
	r->ready_port = (int)fs_geti(out, "port", -1);
}

/* cue = sigchld: the server's first SIGCHLD. Under --hold sigchld no
 * SIGCHLD goes while a child runs, and the slow client's child runs until
 * the late clients are done: there the cue is the start of the first
 * hold instead. */
static void note_cue(struct lab_runner *r, const struct event *ev)
{
	if (ev->pid != r->root || !r->lab->cue_sigchld || r->cue_sent)
		return;
	if (ev->type == EV_SIGNAL && strcmp(fs_str_or(&ev->f, "sig", ""), "SIGCHLD") == 0)
		r->cue_due = 1;
	if (ev->type == EV_HOLD && r->lab->hold_sigchld == HOLD_SIGCHLD &&
	    strcmp(fs_str_or(&ev->f, "what", ""), "start") == 0)
		r->cue_due = 1;
}

static void runner_event(struct sink *s, const struct event *ev)
{
	struct lab_runner *r = (struct lab_runner *)s;
	const char *action;
	note_cue(r, ev);
	switch (ev->type) {
	case EV_TRACE:
		r->root = ev->pid;
		break;
	case EV_SYSCALL:
		on_ready_call(r, ev);
		break;
	case EV_EXIT:
		if (ev->pid == r->root && fs_geti(&ev->f, "process", 0))
			r->root_done = 1;
		break;
	case EV_SIGNAL:
		action = fs_gets(&ev->f, "action");
		if (ev->pid == r->root && action && (strcmp(action, "kill") == 0 || strcmp(action, "core") == 0))
			r->root_dying = 1;
		break;
	default:
		break;
	}
}

/* ---- acting, between stops ---- */

static void start_load(struct lab_runner *r, uint64_t t)
{
	r->load_started = 1;
	emit_lab(r, t, "ready", "port", r->ready_port);
	char gen[PATH_MAX + 32], port[16];
	snprintf(gen, sizeof gen, "%s/kit/loadgen/loadgen", kit_root());
	snprintf(port, sizeof port, "%d", r->ready_port);
	char *argv[LAB_ARGS_MAX + 4];
	int n = 0;
	argv[n++] = gen;
	argv[n++] = "--port";
	argv[n++] = port;
	for (int i = 0; r->lab->load[i] && n < LAB_ARGS_MAX + 3; i++)
		argv[n++] = r->lab->load[i];
	argv[n] = NULL;

	pid_t child = fork();
	if (child == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, STDOUT_FILENO);
		lang_child_env();
		execv(gen, argv);
		fprintf(stderr, _("trace: cannot run the load generator %s: %s: run `make` first\n"), gen, strerror(errno));
		_exit(127);
	}
	r->loadgen = child > 0 ? child : 0;
	emit_lab(r, t, "load-start", "loadgen_pid", child);
}

static void stop_server(struct lab_runner *r, uint64_t t)
{
	r->stop_pending = 0;
	if (r->lab->stop_asleep)
		wake_timer_set(&r->timer, 0, 0);   /* no more looking */
	kill(r->root, r->lab->stop_sig);
	emit_lab(r, t, "stop", "sig", r->lab->stop_sig);
}

/* Is the server asleep in a call (state S in /proc), not running, nor
 * stopped at a stop of the tracer's? */
static int root_asleep(const struct lab_runner *r)
{
	char state;
	int64_t switches;
	return tracee_sched(r->root, r->root, &state, &switches) == 0 && state == 'S';
}

void lab_runner_tick(void *runner, uint64_t t)
{
	struct lab_runner *r = runner;
	if (r->ready_seen && !r->load_started && !r->killing && !r->root_done)
		start_load(r, t);
	if (r->cue_due && r->loadgen && !r->cue_sent) {
		r->cue_sent = 1;
		/* No event: the load generator's clients are not in the trace
		 * either; lab.conf and the lab's README say when they come. */
		kill(r->loadgen, CUE_SIGNAL);
	}
	if (r->loadgen && r->root_done && !r->loadgen_deadline) {
		/* The server is gone: the load generator is finishing, or failing
		 * to connect (lab 10's crash). Give it the grace period. */
		r->loadgen_deadline = t + STOP_GRACE_NS;
		arm_wakeup(r, STOP_GRACE_NS);
	}
	if (r->loadgen && r->loadgen_deadline && t >= r->loadgen_deadline)
		kill(r->loadgen, SIGKILL);   /* the server is gone and it still talks to it */
	if (!r->stop_pending || r->killing)
		return;
	if (r->root_done || r->root_dying) {   /* it ends by itself, or of a fatal signal */
		r->stop_pending = 0;
		return;
	}
	/* Stopping the server while it still works (a SIGCHLD handler that
	 * has not run yet) would cut its lesson short. */
	if (!model_quiet(r->m, r->root) && t < r->stop_deadline)
		return;
	if (r->lab->stop_asleep && !root_asleep(r) && t < r->stop_deadline)
		return;
	stop_server(r, t);
}

int lab_runner_owns(void *runner, pid_t pid, int status, uint64_t t)
{
	struct lab_runner *r = runner;
	if (!r->loadgen || pid != r->loadgen)
		return 0;
	if (!WIFEXITED(status) && !WIFSIGNALED(status))
		return 1;
	r->loadgen = 0;
	emit_lab(r, t, "load-done", "exit", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	if (r->lab->stop_sig && !r->root_done && !r->killing) {
		r->stop_pending = 1;
		r->stop_deadline = t + STOP_GRACE_NS;
		arm_wakeup(r, STOP_GRACE_NS);
		if (r->lab->stop_asleep)   /* and look every ASLEEP_POLL_NS meanwhile */
			wake_timer_set(&r->timer, ASLEEP_POLL_NS, ASLEEP_POLL_NS);
	}
	return 1;
}

int lab_runner_helper(void *runner, pid_t pid)
{
	const struct lab_runner *r = runner;
	return r->loadgen && pid == r->loadgen;
}

void lab_runner_kill(void *runner)
{
	struct lab_runner *r = runner;
	r->killing = 1;
	if (r->loadgen)
		kill(r->loadgen, SIGKILL);
}

int lab_runner_ready_seen(const struct lab_runner *r) { return r->ready_seen; }

static void runner_free(struct sink *s)
{
	struct lab_runner *r = (struct lab_runner *)s;
	wake_timer_delete(&r->timer);
	arena_free(&r->arena);
	free(r);
}

struct lab_runner *lab_runner_new(const struct lab *lab, struct stream *out, const struct model *m)
{
	struct lab_runner *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->lab = lab;
	r->out = out;
	r->m = m;
	r->ready_port = -1;
	r->sink.event = runner_event;
	r->sink.free = runner_free;
	stream_add(out, &r->sink);
	return r;
}
