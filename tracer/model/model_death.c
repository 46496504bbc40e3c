/*
 * model_death.c - how tasks end, and who reaped whom.
 *
 * The rules for zombies are those of shared/DESIGN.md:
 *   - a process is a zombie from its exit until its parent reaps it;
 *   - reaped by its parent's wait: normal, the lifetime is reported;
 *   - the parent ignores SIGCHLD or set SA_NOCLDWAIT: auto-reaped, no zombie;
 *   - its parent died first: adopted and reaped by the tracer, as init would;
 *   - it exited while its parent lived, and the parent died or the trace
 *     ended without reaping it: leaked. That is the bug the labs teach.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include "model/model_int.h"

/* How many children of one parent stay listed once reaped; the others
 * are only counted, so that a long run's memory stays flat. */
#define KEEP_CHILDREN 8
/* Children that did not simply exit 0 (killed, failed, adopted, escaped)
 * are kept longer: the summary lists them before the plain ones. Bounded
 * all the same, so that a loop of crashing children keeps memory flat. */
#define KEEP_NOTABLE_CHILDREN 64

/* Forget a reaped process nobody needs any more. */
static void prune(struct model *m, struct proc *p)
{
	struct proc *parent = proc_of(m, p->spawned_by);
	int notable = p->adopted || p->escaped ||
		      (p->exited && (WIFSIGNALED(p->exit_status) || WEXITSTATUS(p->exit_status) != 0));
	int keep = notable ? KEEP_NOTABLE_CHILDREN : KEEP_CHILDREN;
	if (p->leaked || p->kids || p->pid == m->root || !parent || parent->kids <= keep)
		return;
	if (p->prev_all)
		p->prev_all->next_all = p->next_all;
	else
		m->first = p->next_all;
	if (p->next_all)
		p->next_all->prev_all = p->prev_all;
	else
		m->last = p->prev_all;
	if (proc_of(m, p->pid) == p)
		idmap_del(&m->procs, p->pid);
	parent->kids--;
	parent->pruned++;
	free(p->thr);
	free(p->sig);
	free(p);
}

/* c is reaped by process `by`, in its thread `by_tid` (the one whose wait
 * did it), or by the kernel (auto) or the tracer (adopted). */
static void emit_reap(struct model *m, uint64_t t, struct proc *c, pid_t by, pid_t by_tid, const char *how)
{
	pid_t parent = c->ppid > 0 ? c->ppid : m->tracer_pid;
	struct event *e = model_event(m, EV_REAP, t, parent, by_tid ? by_tid : parent);
	fs_int(&e->f, "child", c->pid);
	fs_int(&e->f, "by", by);
	fs_str(&e->f, "how", how);
	fs_int(&e->f, "zombie_ns", c->state == T_ZOMBIE ? (int64_t)(t - c->t_exit) : 0);
	fs_bool(&e->f, "leaked", c->leaked);
	model_emit(m);
	if (c->state == T_ZOMBIE)
		m->zombies_now--;
	model_state_event(m, t, c->pid, c->pid, c->state, T_REAPED, NULL);
	c->state = T_REAPED;
	prune(m, c);   /* c may be gone after this */
}

/* A process has died: its children are adopted by the tracer (the subreaper),
 * its unreaped zombies are leaked, and it becomes a zombie itself unless
 * somebody reaps it at once. */
static void process_died(struct model *m, uint64_t t, struct proc *p, int status)
{
	p->exited = 1;
	p->exit_status = status;
	p->t_exit = t;
	m->live_procs--;
	for (struct proc *c = m->first; c; c = c->next_all) {
		if (c->ppid != p->pid || c->state == T_REAPED)
			continue;
		if (c->state == T_ZOMBIE && !m->ending)
			c->leaked = 1;
		else if (c->state != T_ZOMBIE)
			c->adopted = 1;
		c->ppid = 0;
	}
	if (p->ppid < 0)
		return;   /* attached: its parent is outside the trace */
	struct proc *parent = p->ppid ? proc_of(m, p->ppid) : NULL;
	/* The kernel sends no SIGCHLD at all to a parent that ignores it. */
	if (parent && !signals_ignored(parent, SIGCHLD))
		parent->sigchld_pending = 1;
	if (!p->ppid) {
		/* Our own child: the wait that told us also reaped it. */
		if (p->adopted) {
			m->zombies_adopted++;
			emit_reap(m, t, p, m->tracer_pid, 0, "adopted");
		} else {
			model_state_event(m, t, p->pid, p->pid, T_EXITED, T_REAPED, NULL);
			p->state = T_REAPED;
		}
	} else if (signals_auto_reap(parent)) {
		m->zombies_auto++;
		emit_reap(m, t, p, p->ppid, 0, "auto");
	} else {
		model_state_event(m, t, p->pid, p->pid, T_EXITED, T_ZOMBIE, NULL);
		p->state = T_ZOMBIE;
		if (++m->zombies_now > m->zombies_max)
			m->zombies_max = m->zombies_now;
	}
}

void model_reparent(struct model *m, pid_t pid)
{
	struct proc *p = proc_of(m, pid);
	if (p && p->ppid > 0 && p->state == T_RUNNING) {
		p->ppid = 0;
		p->adopted = 1;
	}
}

/* tid is dead: of status, or (exec_by) ended by that thread's exec. */
static void task_died(struct model *m, uint64_t t, pid_t tid, int status, pid_t exec_by)
{
	struct task *k = idmap_del(&m->tasks, tid);
	if (!k) {
		/* No live task: a zombie whose parent died is reported to us again
		 * when it is re-parented to the tracer, and we reap it. */
		struct proc *p = proc_of(m, tid);
		if (p && p->state == T_ZOMBIE)
			emit_reap(m, t, p, m->tracer_pid, 0, "adopted");
		return;
	}
	struct proc *p = proc_of(m, k->pid);
	int whole = tid == k->pid;

	struct event *e = model_event(m, EV_EXIT, t, k->pid, tid);
	if (exec_by) {
		/* The kernel says exit(0); the thread never called exit. */
		fs_null(&e->f, "code");
		fs_null(&e->f, "signal");
		fs_bool(&e->f, "core", 0);
		fs_int(&e->f, "exec_by", exec_by);
	} else if (WIFEXITED(status)) {
		fs_int(&e->f, "code", WEXITSTATUS(status));
		fs_null(&e->f, "signal");
		fs_bool(&e->f, "core", 0);
	} else {
		fs_null(&e->f, "code");
		fs_str(&e->f, "signal", sig_name(WTERMSIG(status)));
		fs_bool(&e->f, "core", WCOREDUMP(status));
	}
	fs_bool(&e->f, "process", whole);
	if (whole)
		cpu_fields(p, &e->f);
	model_emit(m);

	model_state_event(m, t, k->pid, tid, k->state, T_EXITED, k);
	free(k);
	if (!p)
		return;
	p->live_threads--;
	if (whole) {
		process_died(m, t, p, status);
		return;
	}
	if (exec_by)
		model_thread_detached(m, p->pid, tid);   /* nobody could join it: its program is gone */
	threads_exited(p, tid);
}

void model_death(struct model *m, uint64_t t, pid_t tid, int status)
{
	task_died(m, t, tid, status, 0);
}

void model_ended_by_exec(struct model *m, uint64_t t, pid_t tid, pid_t exec_by)
{
	task_died(m, t, tid, 0, exec_by);
}

void model_detach(struct model *m, pid_t tid)
{
	struct task *k = idmap_del(&m->tasks, tid);
	struct proc *p = k ? proc_of(m, k->pid) : NULL;
	if (p)
		p->live_threads--;
	free(k);
}

void model_waited(struct model *m, uint64_t t, pid_t tid, pid_t child, int status, int options)
{
	if (child <= 0 || (options & WNOWAIT))
		return;
	if (!WIFEXITED(status) && !WIFSIGNALED(status))
		return;  /* a stopped or continued report reaps nothing */
	struct proc *c = proc_of(m, child);
	struct task *k = task_of(m, tid);
	if (!c || c->state != T_ZOMBIE)
		return;
	m->zombies_transient++;
	cpu_reaped(proc_of(m, k ? k->pid : tid), c);
	emit_reap(m, t, c, k ? k->pid : tid, tid, "wait");
}

void model_ending(struct model *m) { m->ending = 1; }

void model_end(struct model *m)
{
	for (struct proc *p = m->first; p; p = p->next_all)
		if (p->state == T_ZOMBIE)
			p->leaked = 1;
}
