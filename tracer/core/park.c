/*
 * park.c - the tasks kept stopped on purpose (see park.h).
 */
#include <stdlib.h>
#include "core/park.h"

int park(struct parking *pk, pid_t tid, enum park_why why, void *data)
{
	struct parked *p = calloc(1, sizeof *p);
	if (!p || idmap_get(&pk->tasks, tid) || idmap_put(&pk->tasks, tid, p) < 0) {
		free(p);
		return -1;
	}
	p->tid = tid;
	p->why = why;
	p->data = data;
	return 0;
}

struct parked *parked(const struct parking *pk, pid_t tid, enum park_why why)
{
	struct parked *p = idmap_get(&pk->tasks, tid);
	return p && p->why == why && !p->released ? p : NULL;
}

struct parked *park_find(const struct parking *pk, enum park_why why,
			 int (*match)(const struct parked *p, void *ctx), void *ctx)
{
	idmap_each(&pk->tasks, i) {
		struct parked *p = pk->tasks.slots[i].val;
		if (p->why == why && !p->released && match(p, ctx))
			return p;
	}
	return NULL;
}

struct parked *park_any(const struct parking *pk)
{
	idmap_each(&pk->tasks, i)
		return pk->tasks.slots[i].val;
	return NULL;
}

void unpark(struct parking *pk, pid_t tid, int sig)
{
	struct parked *p = idmap_get(&pk->tasks, tid);
	if (!p || p->released)
		return;
	p->released = 1;
	p->sig = sig;
	pk->released++;
}

static void drop(struct parking *pk, struct parked *p)
{
	idmap_del(&pk->tasks, p->tid);
	if (p->released)
		pk->released--;
	free(p->data);
	free(p);
}

void park_forget(struct parking *pk, pid_t tid)
{
	struct parked *p = idmap_get(&pk->tasks, tid);
	if (p)
		drop(pk, p);
}

int park_take_released(struct parking *pk, pid_t *tid, int *sig)
{
	if (!pk->released)
		return 0;
	idmap_each(&pk->tasks, i) {
		struct parked *p = pk->tasks.slots[i].val;
		if (!p->released)
			continue;
		*tid = p->tid;
		*sig = p->sig;
		drop(pk, p);
		return 1;
	}
	return 0;
}

void park_each(const struct parking *pk, void (*fn)(pid_t tid, void *ctx), void *ctx)
{
	idmap_each(&pk->tasks, i)
		fn(pk->tasks.slots[i].id, ctx);
}

void park_free(struct parking *pk)
{
	idmap_each(&pk->tasks, i) {
		struct parked *p = pk->tasks.slots[i].val;
		free(p->data);
		free(p);
	}
	idmap_free(&pk->tasks);
	pk->released = 0;
}
