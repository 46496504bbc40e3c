/*
 * call.c - one call's life from entry to return: made at its entry, the
 * notes its decoder keeps between entry and return, and freed once it has
 * returned. The decoders use it, and the table (syscalls.c) names them:
 * kept apart, neither file needs the other.
 */
#include <stdlib.h>
#include <string.h>
#include "decode/call.h"

struct call *call_new(const struct scdef *def, pid_t pid, pid_t tid, const uint64_t *args, uint64_t t)
{
	struct call *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->def = def;
	c->pid = pid;
	c->tid = tid;
	memcpy(c->a, args, sizeof c->a);
	c->t_enter = t;
	c->call = def->call;
	c->switches = -1;
	c->slept = -1;
	fields_init(&c->in, &c->arena);
	fields_init(&c->out, &c->arena);
	return c;
}

void call_free(struct call *c)
{
	if (!c)
		return;
	arena_free(&c->arena);
	free(c);
}

void *call_notes(struct call *c, size_t size)
{
	if (!c->notes && (c->notes = arena_alloc(&c->arena, size)))
		memset(c->notes, 0, size);
	return c->notes;
}
