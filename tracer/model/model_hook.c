/*
 * model_hook.c - which processes run a program that has the preloaded
 * hook (kit/hook). The hook says so once per program, just before its
 * main(): that is where the program's own code starts, after the dynamic
 * loader's work and the constructors' set-up, and from then on the
 * process's library calls (pthread_join, which wait function made a
 * wait4) are reported. A fork keeps the program and so the hook; an exec
 * starts over without it.
 */
#include "model/model_int.h"

void model_started(struct model *m, uint64_t t, pid_t tid)
{
	struct task *k = task_of(m, tid);
	struct proc *p = proc_of(m, k ? k->pid : tid);
	if (!p || p->hooked)
		return;   /* a second marker of one program says nothing new */
	p->hooked = 1;
	model_event(m, EV_START, t, p->pid, tid);
	model_emit(m);
}

int model_has_hook(const struct model *m, pid_t pid)
{
	const struct proc *p = proc_of(m, pid);
	return p && p->hooked;
}
