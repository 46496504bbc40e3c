/*
 * loop.c - one waitpid(__WALL) loop over every ptrace stop.
 *
 * Each stop is one of: a seccomp stop (a call we trace, at entry), a
 * syscall-exit stop (its return), a fork/clone/exec event, a group stop,
 * a signal about to be delivered, or a death. The loop reads what the stop
 * says, hands it to the decoders and the model, and resumes the task.
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
#include <time.h>
#include "call.h"
#include "hold.h"
#include "lab.h"
#include "loop.h"
#include "names.h"
#include "tracee.h"
#include "../kit/hook/tlhook.h"

volatile sig_atomic_t loop_interrupt;
volatile sig_atomic_t loop_timeout;

/* The kernel's internal "restart me" errors (include/linux/errno.h). */
enum { ERESTARTSYS = 512, ERESTARTNOINTR = 513, ERESTARTNOHAND = 514, ERESTART_RESTARTBLOCK = 516 };

static uint64_t t0;

uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t t = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	if (!t0)
		t0 = t;
	return t - t0;
}

void loop_resume(struct tracer *tr, pid_t tid, int sig)
{
	ptrace(tr->seccomp ? PTRACE_CONT : PTRACE_SYSCALL, tid, 0, sig);
}

/* ---- syscalls ---------------------------------------------------------- */

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
static void on_marker(struct tracer *tr, pid_t tid, const uint64_t *a, uint64_t t)
{
	static const char *const names[] = {
		[TLHOOK_JOIN] = "pthread_join", [TLHOOK_DETACH] = "pthread_detach",
		[TLHOOK_CREATE_DETACHED] = "pthread_create",
	};
	struct task *k = model_task(tr->m, tid);
	if (!k || a[2] < 1 || a[2] > TLHOOK_CREATE_DETACHED) {
		loop_resume(tr, tid, 0);
		return;
	}
	pid_t thread = model_thread_by_pthread(tr->m, k->pid, a[3]);
	int ret = (int)a[4];
	struct event e = { .type = EV_LIBCALL, .t = t, .pid = k->pid, .tid = tid };
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
			model_thread_joined(tr->m, k->pid, thread);
		else
			model_thread_detached(tr->m, k->pid, thread);
	}
	loop_resume(tr, tid, 0);
}

static int is_marker(long nr, const uint64_t *a)
{
	return nr == SYS_ioctl && (int)a[0] == -1 && a[1] == TLHOOK_MAGIC;
}

static void on_entry(struct tracer *tr, pid_t tid, long nr, const uint64_t *args, uint64_t t)
{
	if (is_marker(nr, args)) {
		on_marker(tr, tid, args, t);
		return;
	}
	const struct scdef *def = sc_by_nr(nr);
	struct task *k = model_task(tr->m, tid);
	if (!def || !(def->cls & tr->classes) || !k) {
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
	if (def->enter)
		def->enter(c);
	if (def->entry_only) {
		if (strcmp(def->name, "rt_sigreturn") == 0)
			model_handler(tr->m, tid, -1);
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

static void on_return(struct tracer *tr, pid_t tid, int64_t ret, uint64_t t)
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
	if (c->def->leave)
		c->def->leave(c);
	model_unblock(tr->m, t, tid);
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
static void settle_interrupted(struct tracer *tr, pid_t tid, int sig, const char *action, uint64_t t)
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
	emit_call(tr, c, t, restarted ? "restarted" : "EINTR", sig);
	free(c);
}

/* ---- process events ---------------------------------------------------- */

static const char *spawn_call(long nr, uint64_t flags)
{
	if (flags & CLONE_THREAD)
		return "pthread_create";
	if (nr == SYS_vfork)
		return "vfork";
	if ((flags & (CLONE_VM | CLONE_VFORK)) == (CLONE_VM | CLONE_VFORK))
		return "posix_spawn";
	if (nr == SYS_fork || !(flags & CLONE_VM))
		return "fork";
	return "clone";
}

static int live_processes(const struct tracer *tr)
{
	int n = 0;
	for (const struct proc *p = tr->m->first; p; p = p->next_all)
		n += p->state == T_RUNNING;
	return n;
}

static void on_spawn(struct tracer *tr, pid_t tid, uint64_t t)
{
	unsigned long child = 0;
	long nr = -1;
	uint64_t arg0 = 0, flags = 0, handle = 0;
	ptrace(PTRACE_GETEVENTMSG, tid, 0, &child);
	if (tracee_syscall_regs(tid, &nr, &arg0) == 0) {
		if (nr == SYS_clone3) {
			uint64_t ca[5];   /* struct clone_args: flags ... exit_signal */
			if (tracee_read(tid, arg0, ca, sizeof ca) == 0) {
				flags = ca[0] | (ca[4] & 0xff);
				handle = ca[3];   /* parent_tid: inside the new thread's pthread_t */
			}
		} else if (nr == SYS_clone) {
			flags = arg0;
		} else if (nr == SYS_vfork) {
			flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
		} else {
			flags = SIGCHLD;
		}
	}
	char buf[512];
	flags_name(clone_flags, flags & ~0xffULL, buf, sizeof buf);
	if (flags & 0xff) {
		size_t n = strlen(buf);
		snprintf(buf + n, sizeof buf - n, "%s%s", n ? "|" : "", sig_name((int)(flags & 0xff)));
	}
	const char *scname = nr == SYS_clone3 ? "clone3" : nr == SYS_clone ? "clone"
		: nr == SYS_vfork ? "vfork" : "fork";
	model_spawn(tr->m, t, tid, (pid_t)child, (flags & CLONE_THREAD) != 0,
		    spawn_call(nr, flags), scname, buf);
	struct task *k = model_task(tr->m, tid);
	if ((flags & CLONE_THREAD) && handle && k)
		model_thread_handle(tr->m, k->pid, (pid_t)child, handle);
	if (tr->killing)
		kill((pid_t)child, SIGKILL);
	else if (tr->max_procs && !(flags & CLONE_THREAD) && live_processes(tr) > tr->max_procs) {
		tr->limit = "max-procs";   /* a fork bomb: stop it before it grows */
		loop_kill_tree(tr);
	}
	if (idmap_del(&tr->early, (int)child))
		loop_resume(tr, (pid_t)child, 0);
	loop_resume(tr, tid, 0);
}

static void on_exec(struct tracer *tr, pid_t tid, uint64_t t)
{
	unsigned long old = 0;
	char exe[512], args[4096];
	const char *argv[64];
	ptrace(PTRACE_GETEVENTMSG, tid, 0, &old);
	if (tracee_exe(tid, exe, sizeof exe) < 0)
		strcpy(exe, "?");
	int argc = tracee_argv(tid, args, sizeof args, argv, 64);
	if ((pid_t)old != tid) {
		free(idmap_del(&tr->calls, tid));   /* the old main thread's call is gone */
		free(idmap_del(&tr->calls, (int)old));
	}
	model_exec(tr->m, t, tid, (pid_t)old, exe, argv, argc);
	loop_resume(tr, tid, 0);
}

static void on_death(struct tracer *tr, pid_t tid, int status, uint64_t t)
{
	free(idmap_del(&tr->calls, tid));
	free(idmap_del(&tr->interrupted, tid));
	idmap_del(&tr->early, tid);
	idmap_del(&tr->held, tid);
	if (tid == tr->root && !tr->root_done) {
		tr->root_status = status;
		tr->root_done = 1;
	}
	struct task *k = model_task(tr->m, tid);
	pid_t parent = 0;
	if (k && k->pid == tid) {
		struct proc *p = model_proc(tr->m, tid);
		parent = p ? p->ppid : 0;
		/* Its parent may have died before this report reached us; then
		 * the kernel gave it to us, and this report was also its reap. */
		struct proc *pp = parent > 0 ? model_proc(tr->m, parent) : NULL;
		if (pp && !pp->exited) {
			char st = tracee_state(parent);
			if (st == 0 || st == 'Z' || st == 'X')
				model_reparent(tr->m, tid);
		}
	}
	model_death(tr->m, t, tid, status);
	if (parent > 0 && tr->hold_sigchld)
		hold_release(tr, parent);
	if (tid == tr->root && tr->lab)
		lab_root_gone(tr, t);
}

/* ---- signals and stops ------------------------------------------------- */

static void on_signal(struct tracer *tr, pid_t tid, int sig, uint64_t t)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	ptrace(PTRACE_GETSIGINFO, tid, 0, &si);
	struct task *k = model_task(tr->m, tid);
	pid_t pid = k ? k->pid : tid;
	const char *action = model_sig_action(tr->m, pid, sig);

	struct event e = { .type = EV_SIGNAL, .t = t, .pid = pid, .tid = tid };
	struct arena *a = malloc(sizeof *a);
	if (a) {
		arena_reset(a);
		fs_str(&e.f, a, "sig", sig_name(sig));
		int has_sender = si.si_code == SI_USER || si.si_code == SI_TKILL ||
				 si.si_code == SI_QUEUE || sig == SIGCHLD;
		if (has_sender)
			fs_int(&e.f, "sender", si.si_pid);
		else
			fs_null(&e.f, "sender");
		fs_str(&e.f, a, "code", si_code_name(sig, si.si_code));
		fs_str(&e.f, a, "action", action);
		if (sig == SIGCHLD && si.si_code > 0) {
			int st = si.si_code == CLD_EXITED ? (si.si_status & 0xff) << 8
				: si.si_code == CLD_KILLED ? si.si_status & 0x7f
				: si.si_code == CLD_DUMPED ? (si.si_status & 0x7f) | 0x80
				: si.si_code == CLD_CONTINUED ? 0xffff : ((si.si_status & 0xff) << 8) | 0x7f;
			put_status(&e.f, a, "child_status", st);
		}
		model_emit(tr->m, &e);
		free(a);
	}
	model_delivered(tr->m, tid, sig);
	if (strcmp(action, "handler") == 0 && (tr->classes & CLS_SIGNAL))
		model_handler(tr->m, tid, +1);   /* rt_sigreturn, traced too, says when it ends */
	settle_interrupted(tr, tid, sig, action, t);
	if (sig == SIGCHLD && tr->hold_sigchld && hold_sigchld(tr, tid, pid))
		return;   /* resumed later, when the children are all gone */
	loop_resume(tr, tid, sig);
}

static int is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

static void on_event_stop(struct tracer *tr, pid_t tid, int sig, uint64_t t)
{
	if (!model_task(tr->m, tid)) {
		/* A new child, stopped before its parent's fork event told us
		 * about it: keep it stopped until we know whose it is. */
		if (tr->killing)
			kill(tid, SIGKILL);
		idmap_put(&tr->early, tid, (void *)1);
		return;
	}
	if (is_stop_signal(sig)) {
		model_stopped(tr->m, t, tid);
		ptrace(PTRACE_LISTEN, tid, 0, 0);   /* stay stopped, but report SIGCONT */
		return;
	}
	model_continued(tr->m, t, tid);
	loop_resume(tr, tid, 0);
}

static void on_stop(struct tracer *tr, pid_t tid, int status, uint64_t t)
{
	int sig = WSTOPSIG(status), event = status >> 16;
	struct __ptrace_syscall_info info;

	if (tr->detaching) {
		ptrace(PTRACE_DETACH, tid, 0, event == 0 && sig != (SIGTRAP | 0x80) ? sig : 0);
		model_detach(tr->m, tid);
		return;
	}
	if (event == PTRACE_EVENT_SECCOMP || sig == (SIGTRAP | 0x80)) {
		if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info) <= 0) {
			tr->lost++;
			loop_resume(tr, tid, 0);
		} else if (info.op == PTRACE_SYSCALL_INFO_SECCOMP) {
			on_entry(tr, tid, (long)info.seccomp.nr, (const uint64_t *)info.seccomp.args, t);
		} else if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
			on_entry(tr, tid, (long)info.entry.nr, (const uint64_t *)info.entry.args, t);
		} else if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
			on_return(tr, tid, info.exit.rval, t);
		} else {
			loop_resume(tr, tid, 0);
		}
		return;
	}
	switch (event) {
	case PTRACE_EVENT_FORK: case PTRACE_EVENT_VFORK: case PTRACE_EVENT_CLONE:
		on_spawn(tr, tid, t);
		return;
	case PTRACE_EVENT_EXEC:
		on_exec(tr, tid, t);
		return;
	case PTRACE_EVENT_STOP:
		on_event_stop(tr, tid, sig, t);
		return;
	case 0:
		on_signal(tr, tid, sig, t);
		return;
	default:
		loop_resume(tr, tid, 0);
	}
}

void loop_kill_tree(struct tracer *tr)
{
	tr->killing = 1;
	tr->m->ending = 1;   /* what dies now dies of the kill, not of a bug */
	for (struct proc *p = tr->m->first; p; p = p->next_all)
		if (p->state == T_RUNNING)
			kill(p->pid, SIGKILL);
	idmap_each(&tr->early, i)
		kill(tr->early.slots[i].id, SIGKILL);
	lab_kill(tr);
}

static int live_tasks(const struct tracer *tr)
{
	return (int)tr->m->tasks.len;
}

void loop_run(struct tracer *tr)
{
	for (;;) {
		if (loop_timeout && !tr->killing) {
			tr->timed_out = 1;
			loop_kill_tree(tr);
		}
		if (loop_interrupt && !tr->killing && !tr->detaching) {
			if (tr->attached) {
				tr->detaching = 1;
				struct idmap *tasks = &tr->m->tasks;
				idmap_each(tasks, i)
					ptrace(PTRACE_INTERRUPT, tasks->slots[i].id, 0, 0);
			} else {
				loop_kill_tree(tr);
			}
		}
		if (tr->detaching && live_tasks(tr) == 0)
			break;
		int status;
		pid_t tid = waitpid(-1, &status, __WALL);
		uint64_t t = now_ns();
		if (tid < 0) {
			if (errno == EINTR) {
				if (tr->lab)
					lab_check_stop(tr, now_ns());
				continue;
			}
			break;   /* ECHILD: nothing left to trace */
		}
		if (tr->lab && lab_owns(tr, tid, status, t))
			continue;
		if (WIFEXITED(status) || WIFSIGNALED(status))
			on_death(tr, tid, status, t);
		else if (WIFSTOPPED(status))
			on_stop(tr, tid, status, t);
		if (tr->lab)
			lab_check_stop(tr, t);
	}
	model_end(tr->m, now_ns());
}
