/*
 * loop.c - one waitpid(__WALL) loop over every ptrace stop.
 *
 * Each stop is one of: a seccomp stop (a call we trace, at entry), a
 * syscall-exit stop (its return), a fork/clone/exec event, a group stop,
 * a signal about to be delivered, or a death. The loop tells them apart
 * and hands each to its handler (syscall_stops.c, process_events.c, the
 * signal and group stops here), which tells the model and resumes the task.
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
#include "decode/call.h"
#include "core/hold.h"
#include "lab/lab.h"
#include "core/loop.h"
#include "common/names.h"
#include "core/stops.h"
#include "decode/tracee.h"

volatile sig_atomic_t loop_interrupt;
volatile sig_atomic_t loop_timeout;


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

/* ---- signals and stops ------------------------------------------------- */

/* A signal reaches tid: say so, and tell the model what it starts. */
void loop_signal_delivered(struct tracer *tr, pid_t tid, const siginfo_t *si, uint64_t t)
{
	int sig = si->si_signo;
	struct task *k = model_task(tr->m, tid);
	pid_t pid = k ? k->pid : tid;
	const char *action = model_sig_action(tr->m, pid, sig);

	struct event e = { .type = EV_SIGNAL, .t = t, .pid = pid, .tid = tid };
	struct arena *a = malloc(sizeof *a);
	if (a) {
		arena_reset(a);
		fs_str(&e.f, a, "sig", sig_name(sig));
		int has_sender = si->si_code == SI_USER || si->si_code == SI_TKILL ||
				 si->si_code == SI_QUEUE || sig == SIGCHLD;
		if (has_sender)
			fs_int(&e.f, "sender", si->si_pid);
		else
			fs_null(&e.f, "sender");
		fs_str(&e.f, a, "code", si_code_name(sig, si->si_code));
		fs_str(&e.f, a, "action", action);
		if (sig == SIGCHLD && si->si_code > 0) {
			int s = si->si_status, c = si->si_code;
			int st = c == CLD_EXITED ? (s & 0xff) << 8 : c == CLD_KILLED ? s & 0x7f
				: c == CLD_DUMPED ? (s & 0x7f) | 0x80
				: c == CLD_CONTINUED ? 0xffff : ((s & 0xff) << 8) | 0x7f;
			put_status(&e.f, a, "child_status", st);
		}
		model_emit(tr->m, &e);
		free(a);
	}
	model_delivered(tr->m, tid, sig);
	if (pid == tr->root && (strcmp(action, "kill") == 0 || strcmp(action, "core") == 0))
		tr->root_dying = 1;
	if (strcmp(action, "handler") == 0 && (tr->classes & CLS_SIGNAL))
		model_handler(tr->m, tid, +1);   /* rt_sigreturn, traced too, says when it ends */
	stop_settle_interrupted(tr, tid, sig, action, t);
}

static void on_signal(struct tracer *tr, pid_t tid, int sig, uint64_t t)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	ptrace(PTRACE_GETSIGINFO, tid, 0, &si);
	si.si_signo = sig;
	struct task *k = model_task(tr->m, tid);
	if (sig == SIGCHLD && tr->hold_sigchld && k && hold_sigchld(tr, tid, k->pid, &si))
		return;   /* delivered (or merged) later, when the children are all gone */
	loop_signal_delivered(tr, tid, &si, t);
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
		memset(&info, 0, sizeof info);
		if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info) <= 0) {
			tr->lost++;
			loop_resume(tr, tid, 0);
		} else if (info.op == PTRACE_SYSCALL_INFO_SECCOMP) {
			stop_syscall_entry(tr, tid, (long)info.seccomp.nr, (const uint64_t *)info.seccomp.args, t);
		} else if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
			stop_syscall_entry(tr, tid, (long)info.entry.nr, (const uint64_t *)info.entry.args, t);
		} else if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
			stop_syscall_return(tr, tid, info.exit.rval, t);
		} else {
			loop_resume(tr, tid, 0);
		}
		return;
	}
	switch (event) {
	case PTRACE_EVENT_FORK: case PTRACE_EVENT_VFORK: case PTRACE_EVENT_CLONE:
		stop_spawn(tr, tid, t);
		return;
	case PTRACE_EVENT_EXEC:
		stop_exec(tr, tid, t);
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
			stop_death(tr, tid, status, t);
		else if (WIFSTOPPED(status))
			on_stop(tr, tid, status, t);
		if (tr->lab)
			lab_check_stop(tr, t);
	}
	model_end(tr->m, now_ns());
}
