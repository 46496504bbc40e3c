/*
 * model_threads.c - what the model remembers of threads after they are
 * gone: which pthread_t each one was, and whether anybody joined or
 * detached it. A joinable thread that is neither keeps its stack and exit
 * status until the process ends: the leak lab 9 shows.
 */
#include "model/model.h"

static struct thread_rec *thread_rec(const struct model *m, pid_t pid, pid_t tid)
{
	struct proc *p = model_proc(m, pid);
	for (int i = p ? p->nthr - 1 : -1; i >= 0; i--)
		if (p->thr[i].tid == tid)
			return &p->thr[i];
	return NULL;
}

void model_thread_handle(struct model *m, pid_t pid, pid_t tid, uint64_t handle)
{
	struct proc *p = model_proc(m, pid);
	struct thread_rec *r = thread_rec(m, pid, tid);
	if (!r)
		return;
	/* glibc reuses a finished thread's memory: the newest owner wins. */
	for (int i = 0; i < p->nthr; i++)
		if (p->thr[i].handle == handle)
			p->thr[i].handle = 0;
	r->handle = handle;
}

pid_t model_thread_by_pthread(const struct model *m, pid_t pid, uint64_t pthread)
{
	struct proc *p = model_proc(m, pid);
	for (int i = p ? p->nthr - 1 : -1; i >= 0; i--)
		if (p->thr[i].handle >= pthread && p->thr[i].handle - pthread < 4096)
			return p->thr[i].tid;
	return 0;
}

/* A thread that has exited and was joined or detached holds nothing any
 * more: its record goes, so that a process making threads all day keeps
 * the model's memory flat. */
static void forget_if_done(struct model *m, pid_t pid, struct thread_rec *r)
{
	struct proc *p = model_proc(m, pid);
	if (!p || !r->exited || !(r->joined || r->detached))
		return;
	*r = p->thr[--p->nthr];
}

void model_thread_joined(struct model *m, pid_t pid, pid_t tid)
{
	struct thread_rec *r = thread_rec(m, pid, tid);
	if (r) {
		r->joined = 1;
		forget_if_done(m, pid, r);
	}
}

void model_thread_detached(struct model *m, pid_t pid, pid_t tid)
{
	struct thread_rec *r = thread_rec(m, pid, tid);
	if (r) {
		r->detached = 1;
		forget_if_done(m, pid, r);
	}
}

void model_thread_exited(struct model *m, pid_t pid, pid_t tid)
{
	struct thread_rec *r = thread_rec(m, pid, tid);
	if (r) {
		r->exited = 1;
		forget_if_done(m, pid, r);
	}
}

int model_never_joined(const struct model *m, pid_t pid, int *tids, int max)
{
	struct proc *p = model_proc(m, pid);
	int n = 0;
	for (int i = 0; p && i < p->nthr; i++)
		if (!p->thr[i].joined && !p->thr[i].detached) {
			if (n < max)
				tids[n] = p->thr[i].tid;
			n++;
		}
	return n;
}
