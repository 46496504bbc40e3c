/*
 * delivery.c - a signal reaches a task: the event that says so, what the
 * model learns (a count, a handler starting), and the end of the call the
 * signal interrupted. Called at a delivery stop (a SIGCHLD that hold.c
 * holds back has none: it is not delivered).
 */
#include <signal.h>
#include <stdio.h>
#include "common/names.h"
#include "core/stops.h"
#include "decode/call.h"
#include "decode/tracee.h"
#include "event/status.h"

/* Does the kernel name a sender for a signal with this si_code? */
static int has_sender(const siginfo_t *si)
{
	return si->si_code == SI_USER || si->si_code == SI_TKILL || si->si_code == SI_QUEUE ||
	       si->si_signo == SIGCHLD;
}

/* Is this the SIGCHLD of a child that has ended (not stopped, not continued)? */
static int reports_a_death(const siginfo_t *si)
{
	return si->si_signo == SIGCHLD &&
	       (si->si_code == CLD_EXITED || si->si_code == CLD_KILLED || si->si_code == CLD_DUMPED);
}

void signal_delivered(struct tracer *tr, pid_t tid, const siginfo_t *si, uint64_t t)
{
	int sig = si->si_signo;
	pid_t pid = model_pid_of(tr->m, tid);
	if (!pid)
		pid = tid;
	enum sig_action action = model_sig_action(tr->m, pid, sig);
	if (action == ACT_STOP && sig != SIGSTOP && tracee_pgrp_orphaned(pid))
		action = ACT_DISCARD;   /* the kernel's get_signal drops it */

	struct event *e = tracer_event(tr, EV_SIGNAL, t, pid, tid);
	fs_str(&e->f, "sig", sig_name(sig));
	if (has_sender(si))
		fs_int(&e->f, "sender", si->si_pid);
	else
		fs_null(&e->f, "sender");
	const char *code = si_code_name(sig, si->si_code);
	char number[16];
	snprintf(number, sizeof number, "%d", si->si_code);
	fs_str(&e->f, "code", code ? code : number);
	fs_str(&e->f, "action", sig_action_name[action]);
	fs_str(&e->f, "disposition", disp_name[model_sig_disp(tr->m, pid, sig)]);
	if (reports_a_death(si))
		fs_bool(&e->f, "child_zombie", !model_auto_reaps(tr->m, pid));
	int status = sig == SIGCHLD && si->si_code > 0 ? status_from_child_info(si->si_code, si->si_status) : -1;
	if (status >= 0)
		fs_status(&e->f, "child_status", status);
	tracer_emit(tr);

	if (ACT_FATAL(action))
		sleep_check_process(tr, pid);   /* its tasks die in their calls */
	model_delivered(tr->m, tid, sig);
	/* The call the signal interrupted ended before the handler runs: its
	 * line is not the handler's. */
	settle_interrupted(tr, tid, sig, action, t);
	if (action == ACT_HANDLER && (tr->classes & CLS_SIGNAL))
		model_handler(tr->m, tid, +1);   /* rt_sigreturn, traced too, says when it ends */
}

