/*
 * process_events.c - the ptrace events that create, change and end tasks:
 * fork/vfork/clone (with the flags read from the parent's registers, so
 * clone itself never needs a syscall stop), exec, and death reports.
 */
#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "decode/call.h"
#include "core/hold.h"
#include "lab/lab.h"
#include "core/loop.h"
#include "common/names.h"
#include "core/stops.h"
#include "decode/tracee.h"

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

void stop_spawn(struct tracer *tr, pid_t tid, uint64_t t)
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

void stop_exec(struct tracer *tr, pid_t tid, uint64_t t)
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
	if (tr->max_mem_mb) {
		/* Set on the new program from outside, once it is loaded, so the
		 * limit binds what the student wrote and nothing before it; it
		 * binds root too, unlike RLIMIT_NPROC, and children inherit it. */
		struct rlimit rl = { (rlim_t)tr->max_mem_mb << 20, (rlim_t)tr->max_mem_mb << 20 };
		prlimit(tid, RLIMIT_AS, &rl, NULL);
	}
	loop_resume(tr, tid, 0);
}

void stop_death(struct tracer *tr, pid_t tid, int status, uint64_t t)
{
	free(idmap_del(&tr->calls, tid));
	free(idmap_del(&tr->interrupted, tid));
	idmap_del(&tr->early, tid);
	free(idmap_del(&tr->held, tid));
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
	stop_thread_gone(tr, tid, t);
	if (parent > 0 && tr->hold_sigchld)
		hold_release(tr, parent);
	if (tid == tr->root && tr->lab)
		lab_root_gone(tr, t);
}
