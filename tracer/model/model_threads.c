/*
 * model_threads.c - what the model remembers of threads after they are
 * gone: which pthread_t each one was, and whether anybody joined or
 * detached it. A joinable thread that is neither keeps its stack and exit
 * status until the process ends: the leak lab 9 shows.
 */
#include <stdlib.h>
#include "model/model_int.h"

/* pthread_create hands clone3 the address of a field inside the new
 * thread's struct pthread (its tid), and pthread_t is the address of that
 * struct: the two lie within one page of each other. */
#define PTHREAD_TID_OFFSET_MAX 4096
#define THREADS_FIRST 16

static struct thread_rec *find(const struct proc *p, pid_t tid)
{
	for (int i = p ? p->nthr - 1 : -1; i >= 0; i--)
		if (p->thr[i].tid == tid)
			return &p->thr[i];
	return NULL;
}

void threads_add(struct proc *p, pid_t tid)
{
	if (p->nthr == p->capthr) {
		int cap = p->capthr ? p->capthr * 2 : THREADS_FIRST;
		struct thread_rec *bigger = realloc(p->thr, sizeof *bigger * (size_t)cap);
		if (!bigger)
			return;
		p->thr = bigger;
		p->capthr = cap;
	}
	p->thr[p->nthr++] = (struct thread_rec){ .tid = tid };
}

/* A thread that has exited and was joined or detached holds nothing any
 * more: its record goes, so that a process making threads all day keeps
 * the model's memory flat. */
static void forget_if_done(struct proc *p, struct thread_rec *r)
{
	if (r->exited && (r->joined || r->detached))
		*r = p->thr[--p->nthr];
}

void model_thread_handle(struct model *m, pid_t pid, pid_t tid, uint64_t handle)
{
	struct proc *p = proc_of(m, pid);
	struct thread_rec *r = find(p, tid);
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
	const struct proc *p = proc_of(m, pid);
	for (int i = p ? p->nthr - 1 : -1; i >= 0; i--)
		if (p->thr[i].handle >= pthread && p->thr[i].handle - pthread < PTHREAD_TID_OFFSET_MAX)
			return p->thr[i].tid;
	return 0;
}

void model_thread_joined(struct model *m, pid_t pid, pid_t tid)
{
	struct proc *p = proc_of(m, pid);
	struct thread_rec *r = find(p, tid);
	if (r) {
		r->joined = 1;
		forget_if_done(p, r);
	}
}

void model_thread_detached(struct model *m, pid_t pid, pid_t tid)
{
	struct proc *p = proc_of(m, pid);
	struct thread_rec *r = find(p, tid);
	if (r) {
		r->detached = 1;
		forget_if_done(p, r);
	}
}

void threads_exited(struct proc *p, pid_t tid)
{
	struct thread_rec *r = find(p, tid);
	if (r) {
		r->exited = 1;
		forget_if_done(p, r);
	}
}
