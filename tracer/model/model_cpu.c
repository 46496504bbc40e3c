/*
 * model_cpu.c - how much CPU each process used, its own share only.
 *
 * The tracer learns a process's CPU time from the wait4 that reports its
 * death. The kernel counts there the process and every child it reaped
 * with a wait (their time moved into its "children" count when it reaped
 * them), so a server that forked a busy child would seem busy itself. The
 * model knows whom each process reaped and what they used, and takes
 * their share out. (Children reaped automatically, SIG_IGN, are not
 * counted by the kernel either.)
 */
#include "model/model_int.h"

void model_cpu(struct model *m, pid_t pid, int64_t user_us, int64_t sys_us)
{
	struct proc *p = proc_of(m, pid);
	if (!p)
		return;
	p->cpu_known = 1;
	p->cpu_user_us = user_us;
	p->cpu_sys_us = sys_us;
}

/* by's wait reaped child: the kernel adds child's time, its reaped
 * children's included, to by's. */
void cpu_reaped(struct proc *by, const struct proc *child)
{
	if (!by || !child->cpu_known)
		return;
	by->kids_user_us += child->cpu_user_us;
	by->kids_sys_us += child->cpu_sys_us;
}

static int64_t own(int64_t both, int64_t kids)
{
	return both > kids ? both - kids : 0;
}

/* "cpu_user_us" and "cpu_system_us": p's own, or null when not known (it
 * has not died, or its death came without the kernel's count). */
void cpu_fields(const struct proc *p, struct fields *fs)
{
	if (p && p->cpu_known) {
		fs_int(fs, "cpu_user_us", own(p->cpu_user_us, p->kids_user_us));
		fs_int(fs, "cpu_system_us", own(p->cpu_sys_us, p->kids_sys_us));
	} else {
		fs_null(fs, "cpu_user_us");
		fs_null(fs, "cpu_system_us");
	}
}
