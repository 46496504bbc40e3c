/*
 * model.c - the model's tables (live tasks by tid, processes by pid, in
 * creation order), the event it is building, and the questions the loop
 * and the lab runner ask it. What changes the tables is in model_life.c.
 */
#include <stdlib.h>
#include "model/model_int.h"

struct event *model_event(struct model *m, enum ev_type type, uint64_t t, pid_t pid, pid_t tid)
{
	arena_reset(&m->arena);
	event_init(&m->ev, &m->arena, type, t, pid, tid);
	return &m->ev;
}

void model_emit(struct model *m)
{
	model_mark_handler(m, &m->ev);
	stream_emit(m->out, &m->ev);
}

void model_mark_handler(const struct model *m, struct event *e)
{
	const struct task *k = m && e->tid > 0 ? task_of(m, e->tid) : NULL;
	int depth = k ? k->in_handler : 0;
	if (depth > 0)
		fs_int(&e->f, "in_handler", depth);
}

struct model *model_new(struct stream *out, pid_t tracer_pid)
{
	struct model *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->out = out;
	m->tracer_pid = tracer_pid;
	return m;
}

void model_free(struct model *m)
{
	if (!m)
		return;
	idmap_each(&m->tasks, i)
		free(m->tasks.slots[i].val);
	for (struct proc *p = m->first, *next; p; p = next) {
		next = p->next_all;
		free(p->thr);
		free(p->sig);
		free(p);
	}
	idmap_free(&m->tasks);
	idmap_free(&m->procs);
	arena_free(&m->arena);
	free(m);
}

struct task *task_of(const struct model *m, pid_t tid) { return idmap_get(&m->tasks, tid); }
struct proc *proc_of(const struct model *m, pid_t pid) { return idmap_get(&m->procs, pid); }

pid_t model_pid_of(const struct model *m, pid_t tid)
{
	const struct task *k = task_of(m, tid);
	return k ? k->pid : 0;
}

int model_live_tasks(const struct model *m) { return (int)m->tasks.len; }
int model_live_processes(const struct model *m) { return m->live_procs; }

void model_each_task(const struct model *m, void (*fn)(pid_t tid, void *ctx), void *ctx)
{
	idmap_each(&m->tasks, i)
		fn(m->tasks.slots[i].id, ctx);
}

void model_each_live_process(const struct model *m, void (*fn)(pid_t pid, void *ctx), void *ctx)
{
	for (const struct proc *p = m->first; p; p = p->next_all)
		if (p->state == T_RUNNING)
			fn(p->pid, ctx);
}

pid_t model_parent(const struct model *m, pid_t pid)
{
	const struct proc *p = proc_of(m, pid);
	return p ? p->ppid : -1;
}

int model_has_exited(const struct model *m, pid_t pid)
{
	const struct proc *p = proc_of(m, pid);
	return p && p->exited;
}

enum tstate model_state(const struct model *m, pid_t pid)
{
	const struct task *k = task_of(m, pid);
	const struct proc *p = proc_of(m, pid);
	return k ? k->state : p ? p->state : T_NEW;
}

void model_each_zombie_child(const struct model *m, pid_t pid, void (*fn)(pid_t child, void *ctx), void *ctx)
{
	for (const struct proc *p = m->first; p; p = p->next_all)
		if (p->ppid == pid && p->state == T_ZOMBIE)
			fn(p->pid, ctx);
}

int model_exit_status(const struct model *m, pid_t pid)
{
	const struct proc *p = proc_of(m, pid);
	return p ? p->exit_status : 0;
}

int model_live_children(const struct model *m, pid_t pid)
{
	int n = 0;
	for (const struct proc *p = m->first; p; p = p->next_all)
		if (p->ppid == pid && p->state == T_RUNNING)
			n++;
	return n;
}

int model_live_threads(const struct model *m, pid_t pid)
{
	const struct proc *p = proc_of(m, pid);
	return p && !p->exited ? p->live_threads : 0;
}

int model_quiet(const struct model *m, pid_t pid)
{
	const struct proc *p = proc_of(m, pid);
	if (!p || p->exited)
		return 1;
	if (model_live_children(m, pid) || p->sigchld_pending || p->live_threads > 1)
		return 0;
	idmap_each(&m->tasks, i) {
		const struct task *k = m->tasks.slots[i].val;
		if (k->pid == pid && k->in_handler)
			return 0;
	}
	return 1;
}
