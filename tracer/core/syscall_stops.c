/*
 * syscall_stops.c - a traced call's two stops: entry (from the seccomp
 * filter) and return, and how a signal ends a call it interrupted.
 * Decoding is the decoders' job (call.h); this file times the call,
 * tells the model what it changed, and emits it.
 */
#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "decode/call.h"
#include "core/hold.h"
#include "lab/lab.h"
#include "core/loop.h"
#include "common/names.h"
#include "core/stops.h"
#include "decode/tracee.h"
#include "../../kit/hook/tlhook.h"

/* The kernel's internal "restart me" errors (include/linux/errno.h). */
enum { ERESTARTSYS = 512, ERESTARTNOINTR = 513, ERESTARTNOHAND = 514, ERESTART_RESTARTBLOCK = 516 };

static struct event sc_ev;

static void emit_call(struct tracer *tr, struct call *c, uint64_t t, const char *interrupted, int sig)
{
	struct event *e = &sc_ev;
	e->type = EV_SYSCALL;
	e->t = t;
	e->pid = c->pid;
	e->tid = c->tid;
	fields_clear(&e->f);
	fs_str(&e->f, &c->arena, "name", c->def->name);
	fs_str(&e->f, &c->arena, "call", c->call);
	fs_str(&e->f, &c->arena, "class", cls_name(c->def->cls));
	struct fields *obj;
	if ((obj = fs_obj(&e->f, &c->arena, "args")))
		*obj = c->in;
	if ((obj = fs_obj(&e->f, &c->arena, "out")))
		*obj = c->out;
	if (c->def->entry_only) {
		fs_null(&e->f, "ret");
		fs_null(&e->f, "err");
	} else if (c->ret < 0 && c->ret >= -4095) {
		int err = (int)-c->ret;
		fs_int(&e->f, "ret", -1);
		fs_str(&e->f, &c->arena, "err",
		       err == ERESTARTSYS ? "ERESTARTSYS" : err == ERESTARTNOINTR ? "ERESTARTNOINTR"
		       : err == ERESTARTNOHAND ? "ERESTARTNOHAND"
		       : err == ERESTART_RESTARTBLOCK ? "ERESTART_RESTARTBLOCK" : errno_name(err));
	} else {
		fs_int(&e->f, "ret", c->ret);
		fs_null(&e->f, "err");
	}
	fs_int(&e->f, "dur_ns", c->def->entry_only ? 0 : (int64_t)(t - c->t_enter));
	if (interrupted) {
		fs_str(&e->f, &c->arena, "interrupted", interrupted);
		fs_str(&e->f, &c->arena, "signal", sig_name(sig));
	}
	model_emit(tr->m, e);
}

static struct call *call_new(const struct scdef *def, pid_t tid, const uint64_t *args, uint64_t t)
{
	struct call *c = malloc(sizeof *c);
	if (!c)
		return NULL;
	memset(c, 0, offsetof(struct call, arena));
	arena_reset(&c->arena);
	c->def = def;
	c->tid = tid;
	memcpy(c->a, args, sizeof c->a);
	c->t_enter = t;
	c->call = def->call;
	c->timeout_ns = -1;
	return c;
}

/* The hook's marker (kit/hook/tlhook.h): a library call, reported. */
/* A library call the hook reported (a = the marker's arguments), emitted
 * and told to the model; then the caller goes on. */
static void libcall_done(struct tracer *tr, pid_t tid, pid_t pid, const uint64_t *a,
			 pid_t thread, uint64_t t)
{
	static const char *const names[] = {
		[TLHOOK_JOIN] = "pthread_join", [TLHOOK_DETACH] = "pthread_detach",
		[TLHOOK_CREATE_DETACHED] = "pthread_create",
	};
	int ret = (int)a[4];
	struct event e = { .type = EV_LIBCALL, .t = t, .pid = pid, .tid = tid };
	struct arena *ar = malloc(sizeof *ar);
	if (ar) {
		arena_reset(ar);
		fs_str(&e.f, ar, "name", names[a[2]]);
		struct fields *args = fs_obj(&e.f, ar, "args");
		if (args) {
			fs_int(args, "thread", thread);
			if (a[2] == TLHOOK_CREATE_DETACHED)
				fs_str(args, ar, "attr", "PTHREAD_CREATE_DETACHED");
		}
		fs_int(&e.f, "ret", ret);
		model_emit(tr->m, &e);
		free(ar);
	}
	if (ret == 0 && thread) {
		if (a[2] == TLHOOK_JOIN)
			model_thread_joined(tr->m, pid, thread);
		else
			model_thread_detached(tr->m, pid, thread);
	}
	loop_resume(tr, tid, 0);
}

/* A join waiting for the report of the joined thread's death. */
struct pending_join {
	pid_t tid, pid;
	uint64_t a[6];
};

static void on_marker(struct tracer *tr, pid_t tid, const uint64_t *a, uint64_t t)
{
	struct task *k = model_task(tr->m, tid);
	if (!k || a[2] < 1 || a[2] > TLHOOK_CREATE_DETACHED) {
		loop_resume(tr, tid, 0);
		return;
	}
	pid_t thread = model_thread_by_pthread(tr->m, k->pid, a[3]);
	/* pthread_join returns as soon as the thread clears its tid, a moment
	 * before the kernel reports the thread dead. Keep the joiner here
	 * until the report, so the timeline says "exited" before "joined". */
	struct pending_join *j;
	if (a[2] == TLHOOK_JOIN && (int)a[4] == 0 && thread && model_task(tr->m, thread) &&
	    !idmap_get(&tr->joins, thread) && (j = malloc(sizeof *j))) {
		j->tid = tid;
		j->pid = k->pid;
		memcpy(j->a, a, sizeof j->a);
		idmap_put(&tr->joins, thread, j);
		return;
	}
	libcall_done(tr, tid, k->pid, a, thread, t);
}

void stop_thread_gone(struct tracer *tr, pid_t thread, uint64_t t)
{
	struct pending_join *j = idmap_del(&tr->joins, thread);
	if (!j)
		return;
	if (model_task(tr->m, j->tid))
		libcall_done(tr, j->tid, j->pid, j->a, thread, t);
	free(j);
}

static int is_marker(long nr, const uint64_t *a)
{
	return nr == SYS_ioctl && (int)a[0] == -1 && a[1] == TLHOOK_MAGIC;
}

void stop_syscall_entry(struct tracer *tr, pid_t tid, long nr, const uint64_t *args, uint64_t t)
{
	if (is_marker(nr, args)) {
		on_marker(tr, tid, args, t);
		return;
	}
	const struct scdef *def = sc_by_nr(nr);
	struct task *k = model_task(tr->m, tid);
	if (!def || !sc_traced(def, tr->classes, !tr->show_calls) || !k) {
		loop_resume(tr, tid, 0);
		return;
	}
	struct call *c = call_new(def, tid, args, t);
	if (!c) {
		tr->lost++;
		loop_resume(tr, tid, 0);
		return;
	}
	c->pid = k->pid;
	/* Decoding turns a call into readable fields; when no renderer shows
	 * calls (-q without --json) only what the model needs is decoded. The
	 * stops are the same either way. */
	c->detail = tr->show_calls || sc_model_needs(def);
	if (def->enter && c->detail)
		def->enter(c);
	if (def->entry_only) {
		if (strcmp(def->name, "rt_sigreturn") == 0)
			model_handler(tr->m, tid, -1);
		if (c->detail)
			emit_call(tr, c, t, NULL, 0);
		free(c);
		loop_resume(tr, tid, 0);
		return;
	}
	free(idmap_del(&tr->calls, tid));
	idmap_put(&tr->calls, tid, c);
	if (def->blocks && def->blocks(c))
		model_block(tr->m, t, tid, c->call);
	ptrace(PTRACE_SYSCALL, tid, 0, 0);   /* stop again at its return */
}

static int is_restart(int64_t ret)
{
	return ret == -ERESTARTSYS || ret == -ERESTARTNOINTR || ret == -ERESTARTNOHAND ||
	       ret == -ERESTART_RESTARTBLOCK;
}

void stop_syscall_return(struct tracer *tr, pid_t tid, int64_t ret, uint64_t t)
{
	struct call *c = idmap_del(&tr->calls, tid);
	if (!c) {
		loop_resume(tr, tid, 0);
		return;
	}
	c->ret = ret;
	if (is_restart(ret)) {
		/* A signal is coming; how the call ends depends on its handler. */
		free(idmap_del(&tr->interrupted, tid));
		idmap_put(&tr->interrupted, tid, c);
		loop_resume(tr, tid, 0);
		return;
	}
	if (c->def->leave && c->detail)
		c->def->leave(c);
	model_unblock(tr->m, t, tid);
	if (c->detail)
		emit_call(tr, c, t, NULL, 0);
	if (c->wait_child > 0 && c->status_valid)
		model_waited(tr->m, t, tid, c->wait_child, c->wait_status, c->wait_options);
	if (c->act_valid && ret == 0)
		model_sigaction(tr->m, c->pid, c->act_sig, (enum disp)c->act_kind, c->act_flags);
	if ((c->def->cls & CLS_READY) && ret == 0 && tr->lab)
		lab_ready(tr, c->pid, c->def->name, (int)c->a[0], t);
	free(c);
	loop_resume(tr, tid, 0);
}

/* How the kernel ends a call that a signal interrupted (see the kernel's
 * handle_signal): with a handler, ERESTARTSYS restarts only under
 * SA_RESTART, ERESTARTNOINTR always; without a handler, all restart. */
void stop_settle_interrupted(struct tracer *tr, pid_t tid, int sig, const char *action, uint64_t t)
{
	if (strcmp(action, "kill") == 0 || strcmp(action, "core") == 0)
		return;   /* the call never ends: the process dies with it */
	struct call *c = idmap_del(&tr->interrupted, tid);
	if (!c)
		return;
	int restarted = 1;
	if (strcmp(action, "handler") == 0) {
		const struct sigdisp *d = model_sig(tr->m, c->pid, sig);
		int sa_restart = d && (d->flags & SA_RESTART);
		restarted = c->ret == -ERESTARTNOINTR || (c->ret == -ERESTARTSYS && sa_restart);
	}
	if (!restarted)
		c->ret = -EINTR;
	model_unblock(tr->m, t, tid);
	if (c->detail)
		emit_call(tr, c, t, restarted ? "restarted" : "EINTR", sig);
	free(c);
}
