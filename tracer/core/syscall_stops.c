/*
 * syscall_stops.c - a traced call's two stops: entry (from the seccomp
 * filter) and return, and how a signal ends a call it interrupted.
 * Decoding is the decoders' job and what the model learns is the table's
 * (decode/call.h); this file times the call, keeps it between its two
 * stops, and emits it.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include "common/names.h"
#include "core/stops.h"
#include "decode/call.h"
#include "decode/tracee.h"

/* The kernel's internal "restart me" errors (include/linux/errno.h). A
 * tracer sees them at the return stop when a signal is about to be
 * handled; the program never does. */
enum { ERESTARTSYS = 512, ERESTARTNOINTR = 513, ERESTARTNOHAND = 514, ERESTART_RESTARTBLOCK = 516 };
static const struct flag restart_errors[] = {
	{ ERESTARTSYS, "ERESTARTSYS" }, { ERESTARTNOINTR, "ERESTARTNOINTR" },
	{ ERESTARTNOHAND, "ERESTARTNOHAND" }, { ERESTART_RESTARTBLOCK, "ERESTART_RESTARTBLOCK" },
	{ 0, NULL },
};
/* Return values from -MAX_ERRNO to -1 are errors. */
#define MAX_ERRNO 4095

static int is_restart(int64_t ret)
{
	return ret < 0 && value_name(restart_errors, (uint64_t)-ret) != NULL;
}

/* A call's line. unfinished: why it never returned (NULL: it did). */
static void emit_call(struct tracer *tr, struct call *c, uint64_t t, const char *interrupted, int sig,
		      const char *unfinished)
{
	struct event *e = tracer_event(tr, EV_SYSCALL, t, c->pid, c->tid);
	fs_str(&e->f, "name", c->def->name);
	fs_str(&e->f, "call", c->call);
	if (c->call_or)
		fs_str(&e->f, "call_or", c->call_or);
	if (c->libc)
		fs_str(&e->f, "libc", c->libc);
	fs_str(&e->f, "class", cls_name(c->def->cls));
	fs_attach(&e->f, "args", &c->in);
	fs_attach(&e->f, "out", &c->out);
	if (c->def->entry_only || unfinished) {
		fs_null(&e->f, "ret");
		fs_null(&e->f, "err");
	} else if (c->ret < 0 && c->ret >= -MAX_ERRNO) {
		int err = (int)-c->ret;
		const char *restart = value_name(restart_errors, (uint64_t)err);
		fs_int(&e->f, "ret", -1);
		fs_str(&e->f, "err", restart ? restart : errno_name(err));
	} else {
		fs_int(&e->f, "ret", c->ret);
		fs_null(&e->f, "err");
	}
	fs_int(&e->f, "dur_ns", c->def->entry_only ? 0 : (int64_t)(t - c->t_enter));
	if (c->slept < 0)
		fs_null(&e->f, "slept");   /* not counted, or not known */
	else
		fs_bool(&e->f, "slept", c->slept);
	if (interrupted) {
		fs_str(&e->f, "interrupted", interrupted);
		fs_str(&e->f, "signal", sig_name(sig));
	}
	if (unfinished)
		fs_str(&e->f, "unfinished", unfinished);
	tracer_emit(tr);
}

/* What the kernel's counts said: the task slept in c, from its entry to t. */
static void tell_sleep(struct tracer *tr, const struct call *c, uint64_t t)
{
	if (c->slept == 1)
		model_block(tr->m, c->t_enter, c->tid, c->call);
	model_unblock(tr->m, t, c->tid);
}

/* The call is over: tell the model what it changed, and say it. */
static void finish_call(struct tracer *tr, struct call *c, uint64_t t)
{
	if (c->decoded)
		emit_call(tr, c, t, NULL, 0, NULL);
	if (c->def->tell && c->decoded)
		c->def->tell(c, tr->m, t);
}

static void settle_as_restarted(struct tracer *tr, pid_t tid, uint64_t t);

/* Is this entry the kernel restarting a call kept by keep_interrupted_call?
 * Then it goes on as the same call (1). Another call (restart_syscall) is
 * not: the kept one is said to have been restarted (0). */
static int kept_call_goes_on(struct tracer *tr, pid_t tid, long nr, uint64_t t)
{
	struct call *c = idmap_get(&tr->calls, tid);
	if (!c || !is_restart(c->ret))
		return 0;
	if (c->def->nr == nr) {
		c->ret = 0;   /* running again */
		return 1;
	}
	idmap_del(&tr->calls, tid);
	call_free(idmap_del(&tr->interrupted, tid));
	if (idmap_put(&tr->interrupted, tid, c) < 0) {
		call_free(c);
		return 0;
	}
	settle_as_restarted(tr, tid, t);
	return 0;
}

struct next stop_syscall_entry(struct tracer *tr, pid_t tid, long nr, const uint64_t *args, uint64_t t)
{
	if (kept_call_goes_on(tr, tid, nr, t))
		return (struct next){ NEXT_TO_RETURN, 0 };
	settle_as_restarted(tr, tid, t);
	if (is_libcall_marker(nr, args))
		return stop_libcall(tr, tid, args, t);
	if (is_exec_call(nr))
		return stop_exec_entry(tr, tid);
	if (is_spawn_call(nr))
		spawn_time_entry(tr, tid);
	if (is_clone_entry(nr, args))
		return stop_clone_entry(tr, tid, nr, args);
	const struct scdef *def = sc_by_nr(nr);
	pid_t pid = model_pid_of(tr->m, tid);
	if (!def || !pid || !sc_traced(def, tr->classes, !tr->show_calls))
		return GO;
	if (def->cls == CLS_WAIT)
		escapes_before_reap(tr, pid, t);   /* before it can reap one unseen */
	struct call *c = call_new(def, pid, tid, args, t);
	if (!c) {
		tr->lost++;
		return GO;
	}
	if (def->cls == CLS_WAIT)
		c->hooked = model_has_hook(tr->m, pid);   /* which wait function made it */
	/* Decoding turns a call into readable fields; when no renderer shows
	 * calls (-q without --json) only what the model needs is decoded. The
	 * stops are the same either way. */
	c->decoded = tr->show_calls || sc_model_needs(def);
	if (def->enter && c->decoded)
		def->enter(c);
	if (def->entry_only) {
		finish_call(tr, c, t);
		call_free(c);
		return GO;
	}
	call_free(idmap_del(&tr->calls, tid));
	if (idmap_put(&tr->calls, tid, c) < 0) {
		call_free(c);
		tr->lost++;
		return GO;
	}
	sleep_count_entry(tr, c);
	return (struct next){ NEXT_TO_RETURN, 0 };
}

struct next stop_syscall_return(struct tracer *tr, pid_t tid, int64_t ret, uint64_t t)
{
	untraced_return(tr, tid);
	struct call *c = idmap_del(&tr->calls, tid);
	if (!c) {
		if (ret < 0)
			exec_failed(tr, tid);   /* if this was an exec */
		return GO;
	}
	c->ret = ret;
	sleep_check(c);
	if (is_restart(ret)) {
		/* A signal is coming; how the call ends depends on its handler. */
		call_free(idmap_del(&tr->interrupted, tid));
		if (idmap_put(&tr->interrupted, tid, c) < 0) {
			call_free(c);
			tr->lost++;
		}
		return GO;
	}
	if (c->def->leave && c->decoded)
		c->def->leave(c);
	tell_sleep(tr, c, t);
	finish_call(tr, c, t);
	call_free(c);
	return GO;
}

/* Say how an interrupted call ended, and let it go. */
static void settle(struct tracer *tr, struct call *c, int restarted, uint64_t t)
{
	idmap_del(&tr->interrupted, c->tid);
	if (!restarted)
		c->ret = -EINTR;
	tell_sleep(tr, c, t);
	if (c->decoded)
		emit_call(tr, c, t, restarted ? "restarted" : "EINTR", c->interrupted_by, NULL);
	call_free(c);
}

/* Will a handler run for one of the signals about to be delivered to tid,
 * besides sig? Then that handler, not sig, decides how the call ends. */
static int handler_to_come(const struct tracer *tr, const struct call *c, int sig)
{
	uint64_t pending = tracee_deliverable(c->pid, c->tid) & ~(1ULL << (sig - 1));
	for (int s = 1; s <= SIG_MAX; s++)
		if ((pending & (1ULL << (s - 1))) && model_sig_action(tr->m, c->pid, s) == ACT_HANDLER)
			return 1;
	return 0;
}

/* How the kernel ends a call that a signal interrupted (the kernel's
 * handle_signal): the first signal that runs a handler decides, ERESTARTSYS
 * restarting only under its SA_RESTART, ERESTARTNOINTR always. Signals
 * without a handler (ignored, or stopping) decide nothing: when no handler
 * runs at all, the call is restarted. So a signal without a handler
 * settles the call only when no handled signal is pending behind it;
 * otherwise the call waits for that one (or for its own restart). */
void settle_interrupted(struct tracer *tr, pid_t tid, int sig, enum sig_action action, uint64_t t)
{
	if (ACT_FATAL(action))
		return;   /* the call never ends: the process dies with it */
	struct call *c = idmap_get(&tr->interrupted, tid);
	if (!c)
		return;
	if (!c->interrupted_by)
		c->interrupted_by = sig;
	if (action == ACT_HANDLER) {
		c->interrupted_by = sig;
		settle(tr, c, c->ret == -ERESTARTNOINTR ||
			      (c->ret == -ERESTARTSYS && model_sig_restarts(tr->m, c->pid, sig)), t);
	} else if (!handler_to_come(tr, c, sig)) {
		settle(tr, c, 1, t);
	}
}

/* tid makes a traced call while one of its calls waits to be settled: no
 * handler came, so the kernel restarted it (this may be the very call). */
static void settle_as_restarted(struct tracer *tr, pid_t tid, uint64_t t)
{
	struct call *c = idmap_get(&tr->interrupted, tid);
	if (c)
		settle(tr, c, 1, t);
}

void keep_interrupted_call(struct tracer *tr, pid_t tid, uint64_t t)
{
	struct call *c = idmap_get(&tr->interrupted, tid);
	if (!c)
		return;
	if (idmap_get(&tr->calls, tid) || idmap_put(&tr->calls, tid, c) < 0) {
		settle(tr, c, 1, t);   /* cannot keep it: say it was restarted */
		return;
	}
	idmap_del(&tr->interrupted, tid);
}

/* A call that will never return: say it was still going, and why. */
static void unfinished(struct tracer *tr, struct call *c, const char *why, uint64_t t)
{
	if (!c)
		return;
	sleep_check(c);
	if (c->slept == 1)
		model_block(tr->m, c->t_enter, c->tid, c->call);
	if (c->decoded)
		emit_call(tr, c, t, NULL, 0, why);
	call_free(c);
}

void end_calls(struct tracer *tr, pid_t tid, const char *why, uint64_t t)
{
	unfinished(tr, idmap_del(&tr->calls, tid), why, t);
	unfinished(tr, idmap_del(&tr->interrupted, tid), why, t);
}

/* Some tid in m, or 0 when m is empty. */
static pid_t any_tid(const struct idmap *m)
{
	idmap_each(m, i)
		return m->slots[i].id;
	return 0;
}

void end_all_calls(struct tracer *tr, const char *why, uint64_t t)
{
	/* end_calls deletes, which moves entries: take one at a time. */
	pid_t tid;
	while ((tid = any_tid(&tr->calls)) || (tid = any_tid(&tr->interrupted)))
		end_calls(tr, tid, why, t);
}

void forget_all_calls(struct tracer *tr)
{
	idmap_each(&tr->calls, i)
		call_free(tr->calls.slots[i].val);
	idmap_each(&tr->interrupted, i)
		call_free(tr->interrupted.slots[i].val);
	idmap_free(&tr->calls);
	idmap_free(&tr->interrupted);
}
