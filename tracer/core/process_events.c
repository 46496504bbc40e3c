/*
 * process_events.c - the ptrace events that create, change and end tasks:
 * fork/vfork/clone (with the flags read from the parent's registers, so
 * clone itself never needs a syscall stop), exec, and death reports.
 */
#include <limits.h>
#include <linux/sched.h>
#include <stdlib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common/names.h"
#include "core/stops.h"
#include "decode/tracee.h"

/* The low byte of clone's flags is the signal the child sends at its exit. */
#define CLONE_EXIT_SIGNAL_MASK 0xffULL
#define MB_SHIFT 20
#define US_PER_S 1000000

/* struct clone_args (linux/sched.h) as far as we read it. */
enum { CA_FLAGS, CA_PIDFD, CA_CHILD_TID, CA_PARENT_TID, CA_EXIT_SIGNAL, CA_READ };

/* What the student called, told from the kernel's call and its flags. */
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

static const struct flag spawn_syscalls[] = {
	{ SYS_clone3, "clone3" }, { SYS_clone, "clone" }, { SYS_vfork, "vfork" }, { SYS_fork, "fork" },
	{ 0, NULL },
};

/* The flags of the spawning call, read at its fork/clone event; handle:
 * where the new thread's pthread_t lies (clone3's parent_tid). */
static uint64_t spawn_flags(pid_t tid, long *nr, uint64_t *handle)
{
	uint64_t arg0 = 0, ca[CA_READ];
	*handle = 0;
	if (tracee_syscall_regs(tid, nr, &arg0) != 0)
		return 0;
	switch (*nr) {
	case SYS_clone3:
		if (tracee_read(tid, arg0, ca, sizeof ca) != 0)
			return 0;
		*handle = ca[CA_PARENT_TID];
		return ca[CA_FLAGS] | (ca[CA_EXIT_SIGNAL] & CLONE_EXIT_SIGNAL_MASK);
	case SYS_clone:
		return arg0;
	case SYS_vfork:
		return CLONE_VM | CLONE_VFORK | SIGCHLD;
	default:
		return SIGCHLD;
	}
}

struct next stop_spawn(struct tracer *tr, pid_t tid, uint64_t t)
{
	unsigned long child = 0;
	long nr = -1;
	uint64_t handle;
	ptrace(PTRACE_GETEVENTMSG, tid, 0, &child);
	uint64_t flags = spawn_flags(tid, &nr, &handle);
	uint64_t untraced = untraced_asked(tr, tid, nr);   /* taken out at its entry */
	flags |= untraced;
	char buf[512];
	flags_name(clone_flags, flags & ~CLONE_EXIT_SIGNAL_MASK, buf, sizeof buf);
	if (flags & CLONE_EXIT_SIGNAL_MASK) {
		size_t n = strlen(buf);
		snprintf(buf + n, sizeof buf - n, "%s%s", n ? "|" : "",
			 sig_name((int)(flags & CLONE_EXIT_SIGNAL_MASK)));
	}
	const char *scname = value_name(spawn_syscalls, (uint64_t)nr);
	int thread = (flags & CLONE_THREAD) != 0;
	(untraced ? model_spawn_untraced : model_spawn)(tr->m, t, tid, (pid_t)child, thread,
							  spawn_call(nr, flags), scname ? scname : "fork", buf,
							  spawn_time_took(tr, tid));
	if (!thread && (flags & CLONE_PARENT))
		model_clone_parent(tr->m, (pid_t)child);
	pid_t pid = model_pid_of(tr->m, tid);
	if (thread && handle && pid)
		model_thread_handle(tr->m, pid, (pid_t)child, handle);
	if (tr->killing)
		kill((pid_t)child, SIGKILL);
	else if (tr->max_procs && !thread && model_live_processes(tr->m) > tr->max_procs) {
		tr->limit = "max-procs";   /* a fork bomb: stop it before it grows */
		tracer_kill_tree(tr);
	} else if (!thread && pid) {
		ctrl_c_spawned(tr, pid, (pid_t)child);   /* made as a Ctrl-C came? */
	}
	/* The child may have stopped before this event told us whose it is. */
	if (parked(&tr->parking, (pid_t)child, PARK_EARLY_CHILD))
		unpark(&tr->parking, (pid_t)child, 0);
	/* Its return puts the program's flags back (untraced.c). */
	return untraced ? (struct next){ NEXT_TO_RETURN, 0 } : GO;
}

struct next stop_exec(struct tracer *tr, pid_t tid, uint64_t t)
{
	unsigned long old = 0;
	char exe[PATH_MAX], *args;
	const char **argv;
	ptrace(PTRACE_GETEVENTMSG, tid, 0, &old);
	if (tracee_exe(tid, exe, sizeof exe) < 0)
		strcpy(exe, "?");
	int argc = tracee_argv(tid, &args, &argv);   /* all of it, however long */
	if ((pid_t)old != tid) {
		end_calls(tr, tid, "exec", t);   /* the old main thread died in it */
		end_calls(tr, (pid_t)old, "exec", t);
	}
	model_exec(tr->m, t, tid, (pid_t)old, exe, argv, argc > 0 ? argc : 0, tracee_dynamic(tid));
	exec_done(tr, tid);
	free(argv);
	free(args);
	if (tr->max_mem_mb) {
		/* Set on the new program from outside, once it is loaded, so the
		 * limit binds what the student wrote and nothing before it; it
		 * binds root too, unlike RLIMIT_NPROC, and children inherit it. */
		struct rlimit rl = { (rlim_t)tr->max_mem_mb << MB_SHIFT, (rlim_t)tr->max_mem_mb << MB_SHIFT };
		prlimit(tid, RLIMIT_AS, &rl, NULL);
	}
	return GO;
}

/* Has pid's parent died, though the model has not heard of it yet? Then
 * the kernel gave pid to us (the subreaper), and this report of pid's
 * death was also its reap. */
static int parent_died_unreported(const struct tracer *tr, pid_t parent)
{
	if (parent <= 0 || model_state(tr->m, parent) == T_NEW || model_has_exited(tr->m, parent))
		return 0;
	char st = tracee_state(parent);
	return st == 0 || st == 'Z' || st == 'X';
}

/* Is this parked new child one whose fork will never be reported? A
 * parent killed between its clone and the report of it leaves the child
 * stopped, and now ours (the subreaper's); no fork event will ever name it. */
static int fork_unreported(const struct parked *p, void *tracer_pid)
{
	/* (a new thread's "parent" is its process's: not a sign of anything) */
	return tracee_tgid(p->tid) == p->tid && tracee_ppid(p->tid) == *(pid_t *)tracer_pid;
}

/* Process pid is dying: the new children it made whose fork the kernel
 * never reported become known, as its children (they were), and go on. */
static void adopt_unreported_children(struct tracer *tr, pid_t pid, uint64_t t)
{
	pid_t me = getpid();
	struct parked *p;
	while ((p = park_find(&tr->parking, PARK_EARLY_CHILD, fork_unreported, &me))) {
		model_spawn(tr->m, t, pid, p->tid, 0, "fork", "unreported", "", -1);
		unpark(&tr->parking, p->tid, 0);
	}
}

/* The CPU time wait4 reports for a dead process is its own and that of
 * the children it reaped (the kernel's RUSAGE_BOTH); the model takes the
 * children's out again, as it knows whom the process reaped. */
static void tell_cpu(struct tracer *tr, pid_t pid, const struct rusage *ru)
{
	if (ru)
		model_cpu(tr->m, pid, (int64_t)ru->ru_utime.tv_sec * US_PER_S + ru->ru_utime.tv_usec,
			  (int64_t)ru->ru_stime.tv_sec * US_PER_S + ru->ru_stime.tv_usec);
}

struct next stop_death(struct tracer *tr, pid_t tid, int status, const struct rusage *ru, uint64_t t)
{
	pid_t pid = model_pid_of(tr->m, tid), execer = pid ? exec_under_way(tr, pid) : 0;
	/* Another thread's exec ends this one; the kernel reports it as exit(0). */
	int by_exec = execer && execer != tid && tid != pid && WIFEXITED(status);
	if (pid)
		sleep_check_process(tr, pid);   /* its threads die too */
	end_calls(tr, tid, by_exec ? "exec" : WIFSIGNALED(status) ? "killed" : "exited", t);
	park_forget(&tr->parking, tid);
	untraced_gone(tr, tid);
	spawn_time_gone(tr, tid);
	if (tid == tr->root && !tr->root_done) {
		tr->root_status = status;
		tr->root_done = 1;
	}
	pid_t parent = 0;
	int whole_process = model_pid_of(tr->m, tid) == tid;
	if (whole_process) {
		foreign_forget(tr, tid);
		adopt_unreported_children(tr, tid, t);
		parent = model_parent(tr->m, tid);
		if (parent_died_unreported(tr, parent))
			model_reparent(tr->m, tid);
		tell_cpu(tr, tid, ru);
	}
	if (by_exec) {
		model_ended_by_exec(tr->m, t, tid, execer);
		exec_ended_thread(tr, pid);
	} else
		model_death(tr->m, t, tid, status);
	libcall_thread_gone(tr, tid, t);
	if (parent > 0 && tr->hold_sigchld)
		hold_child_exited(tr, parent, t);
	if (whole_process && tr->hold_sigchld)
		hold_process_ended(tr, tid, t);
	return (struct next){ NEXT_GONE, 0 };
}
