/*
 * signal_stops.c - a signal about to be delivered, and group stops
 * (SIGSTOP and friends, and the SIGCONT that ends them).
 */
#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include "common/names.h"
#include "core/stops.h"
#include "decode/call.h"
#include "event/status.h"

/* Does the kernel name a sender for a signal with this si_code? */
static int has_sender(const siginfo_t *si)
{
	return si->si_code == SI_USER || si->si_code == SI_TKILL || si->si_code == SI_QUEUE ||
	       si->si_signo == SIGCHLD;
}

void signal_delivered(struct tracer *tr, pid_t tid, const siginfo_t *si, uint64_t t)
{
	int sig = si->si_signo;
	pid_t pid = model_pid_of(tr->m, tid);
	if (!pid)
		pid = tid;
	enum sig_action action = model_sig_action(tr->m, pid, sig);

	struct event *e = tracer_event(tr, EV_SIGNAL, t, pid, tid);
	fs_str(&e->f, "sig", sig_name(sig));
	if (has_sender(si))
		fs_int(&e->f, "sender", si->si_pid);
	else
		fs_null(&e->f, "sender");
	fs_str(&e->f, "code", si_code_name(sig, si->si_code));
	fs_str(&e->f, "action", sig_action_name[action]);
	int status = sig == SIGCHLD && si->si_code > 0 ? status_from_child_info(si->si_code, si->si_status) : -1;
	if (status >= 0)
		fs_status(&e->f, "child_status", status);
	tracer_emit(tr);

	model_delivered(tr->m, tid, sig);
	if (action == ACT_HANDLER && (tr->classes & CLS_SIGNAL))
		model_handler(tr->m, tid, +1);   /* rt_sigreturn, traced too, says when it ends */
	settle_interrupted(tr, tid, sig, action, t);
}

struct next stop_signal(struct tracer *tr, pid_t tid, int sig, uint64_t t)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	ptrace(PTRACE_GETSIGINFO, tid, 0, &si);
	si.si_signo = sig;
	pid_t pid = model_pid_of(tr->m, tid);
	if (sig == SIGCHLD && tr->hold_sigchld && pid && hold_sigchld(tr, tid, pid, &si))
		return (struct next){ NEXT_PARKED, 0 };   /* delivered (or merged) later */
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
		/* A new child, stopped before its parent's fork event told us
		 * about it: keep it stopped until we know whose it is. */
		if (tr->killing)
			kill(tid, SIGKILL);
		park(&tr->parking, tid, PARK_EARLY_CHILD, NULL);
		return (struct next){ NEXT_PARKED, 0 };
	}
	if (is_stop_signal(sig)) {
		model_stopped(tr->m, t, tid);
		return (struct next){ NEXT_STAY_STOPPED, 0 };
	}
	model_continued(tr->m, t, tid);
	return GO;
}
