/*
 * model_signals.c - what each process does with each signal: the
 * dispositions sigaction() set, what fork and exec do to them, what a
 * delivery will do (signal(7)), and the signals counted for the summary.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "model/model_int.h"

const char *const sig_action_name[] = {
	[ACT_HANDLER] = "handler", [ACT_IGNORE] = "ignore", [ACT_CONTINUE] = "default",
	[ACT_STOP] = "stop", [ACT_KILL] = "kill", [ACT_CORE] = "core", [ACT_DISCARD] = "discard",
};

const char *const disp_name[] = { [D_DFL] = "default", [D_IGN] = "ignore", [D_HANDLER] = "handler" };

/* What SIG_DFL does, by signal (signal(7)); signals not listed terminate. */
static const struct { int sig; enum sig_action act; } defaults[] = {
	{ SIGCHLD, ACT_IGNORE }, { SIGURG, ACT_IGNORE }, { SIGWINCH, ACT_IGNORE },
	{ SIGCONT, ACT_CONTINUE },
	{ SIGSTOP, ACT_STOP }, { SIGTSTP, ACT_STOP }, { SIGTTIN, ACT_STOP }, { SIGTTOU, ACT_STOP },
	{ SIGQUIT, ACT_CORE }, { SIGILL, ACT_CORE }, { SIGABRT, ACT_CORE }, { SIGFPE, ACT_CORE },
	{ SIGSEGV, ACT_CORE }, { SIGBUS, ACT_CORE }, { SIGSYS, ACT_CORE }, { SIGTRAP, ACT_CORE },
	{ SIGXCPU, ACT_CORE }, { SIGXFSZ, ACT_CORE },
};

static enum sig_action default_action(int sig)
{
	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
		if (defaults[i].sig == sig)
			return defaults[i].act;
	return ACT_KILL;
}

static const struct sigdisp *disp(const struct proc *p, int sig)
{
	static const struct sigdisp dfl = { D_DFL, 0 };
	return p && p->sig && sig >= 1 && sig <= SIG_MAX ? &p->sig[sig] : &dfl;
}

void model_sigaction(struct model *m, pid_t pid, int sig, enum disp kind, uint32_t flags)
{
	struct proc *p = proc_of(m, pid);
	if (!p || sig < 1 || sig > SIG_MAX)
		return;
	if (!p->sig && !(p->sig = calloc(SIG_SLOTS, sizeof *p->sig)))
		return;
	p->sig[sig].kind = (uint8_t)kind;
	p->sig[sig].flags = flags;
}

void signals_inherit(struct proc *child, const struct proc *parent)
{
	if (parent->sig && (child->sig = malloc(SIG_SLOTS * sizeof *child->sig)))
		memcpy(child->sig, parent->sig, SIG_SLOTS * sizeof *child->sig);
}

/* Handlers do not survive exec (the code is gone); ignored signals stay ignored. */
void signals_exec(struct proc *p)
{
	for (int s = 1; p->sig && s <= SIG_MAX; s++) {
		if (p->sig[s].kind == D_HANDLER)
			p->sig[s].kind = D_DFL;
		p->sig[s].flags = 0;
	}
}

int signals_ignored(const struct proc *p, int sig) { return disp(p, sig)->kind == D_IGN; }

int signals_auto_reap(const struct proc *parent)
{
	const struct sigdisp *d = disp(parent, SIGCHLD);
	return parent && (d->kind == D_IGN || (d->flags & SA_NOCLDWAIT));
}

enum sig_action model_sig_action(const struct model *m, pid_t pid, int sig)
{
	const struct sigdisp *d = disp(proc_of(m, pid), sig);
	if (sig == SIGKILL || sig == SIGSTOP)
		return default_action(sig);   /* they cannot be caught or ignored */
	if (d->kind == D_HANDLER)
		return ACT_HANDLER;
	if (d->kind == D_IGN)
		return ACT_IGNORE;
	return default_action(sig);
}

enum disp model_sig_disp(const struct model *m, pid_t pid, int sig)
{
	if (sig == SIGKILL || sig == SIGSTOP)
		return D_DFL;   /* sigaction() cannot change them */
	return (enum disp)disp(proc_of(m, pid), sig)->kind;
}

int model_auto_reaps(const struct model *m, pid_t pid) { return signals_auto_reap(proc_of(m, pid)); }

int model_sig_restarts(const struct model *m, pid_t pid, int sig)
{
	return (disp(proc_of(m, pid), sig)->flags & SA_RESTART) != 0;
}

void model_delivered(struct model *m, pid_t tid, int sig)
{
	struct task *k = task_of(m, tid);
	struct proc *p = k ? proc_of(m, k->pid) : NULL;
	if (sig >= 1 && sig <= SIG_MAX)
		m->signals[sig]++;
	if (p && sig == SIGCHLD)
		p->sigchld_pending = 0;
}

int model_in_handler(const struct model *m, pid_t tid)
{
	const struct task *k = task_of(m, tid);
	return k ? k->in_handler : 0;
}

void model_handler(struct model *m, pid_t tid, int delta)
{
	struct task *k = task_of(m, tid);
	if (k && k->in_handler + delta >= 0)
		k->in_handler += delta;
}
