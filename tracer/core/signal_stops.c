/*
 * signal_stops.c - a signal about to be delivered, and group stops
 * (SIGSTOP and friends, and the SIGCONT that ends them).
 */
#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <unistd.h>
#include "common/names.h"
#include "core/stops.h"
#include "decode/tracee.h"
#include "decode/call.h"
#include "event/status.h"

struct next stop_signal(struct tracer *tr, pid_t tid, int sig, uint64_t t)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	ptrace(PTRACE_GETSIGINFO, tid, 0, &si);
	si.si_signo = sig;
	pid_t pid = model_pid_of(tr->m, tid);
	if (sig == SIGCHLD && tr->hold_sigchld && pid && hold_sigchld(tr, tid, pid, &si, t))
		return GO;   /* held: one SIGCHLD comes later for all (hold.c) */
	signal_delivered(tr, tid, &si, t);
	return GO_WITH(sig);
}

static int is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

struct next stop_group(struct tracer *tr, pid_t tid, int sig, uint64_t t)
{
	if (!model_pid_of(tr->m, tid)) {
		char comm[64];
		if (tr->killing)
			kill(tid, SIGKILL);
		/* A new child whose parent was killed before its fork was
		 * reported, and already gone: no fork event will name it. */
		if (tracee_tgid(tid) == tid && tracee_ppid(tid) == getpid() &&
		    tracee_comm(tid, comm, sizeof comm) == 0) {
			model_orphan(tr->m, t, tid, comm);
			return GO;
		}
		/* A new child, stopped before its parent's fork event told us
		 * about it: keep it stopped until we know whose it is. */
		if (park(&tr->parking, tid, PARK_EARLY_CHILD, NULL) < 0)
			return GO;   /* no memory to keep it: let it run, untold */
		return (struct next){ NEXT_PARKED, 0 };
	}
	if (is_stop_signal(sig)) {
		model_stopped(tr->m, t, tid);
		return (struct next){ NEXT_STAY_STOPPED, 0 };
	}
	model_continued(tr->m, t, tid);
	return GO;
}
