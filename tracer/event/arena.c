/*
 * arena.c - a bump allocator over a list of chunks (see arena.h).
 */
#include <stdlib.h>
#include <string.h>
#include "event/arena.h"

#define CHUNK_MIN 4096

struct arena_chunk {
	struct arena_chunk *next;
	size_t size, used;
	max_align_t data[];
};

void *arena_alloc(struct arena *a, size_t size)
{
	size = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	struct arena_chunk *c = a->chunks;
	if (!c || c->used + size > c->size) {
		size_t want = c ? 2 * c->size : CHUNK_MIN;
		while (want < size)
			want *= 2;
		struct arena_chunk *n = malloc(sizeof *n + want);
		if (!n)
			return NULL;
		n->next = c;
		n->size = want;
		n->used = 0;
		a->chunks = c = n;
	}
	void *p = (char *)c->data + c->used;
	c->used += size;
	return p;
}

const char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (!p)
		return "?";
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

const char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void arena_reset(struct arena *a)
{
	/* The newest chunk is the largest: keep it, free the older ones. */
	struct arena_chunk *keep = a->chunks;
	if (!keep)
		return;
	for (struct arena_chunk *c = keep->next, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	keep->next = NULL;
	keep->used = 0;
}

void arena_free(struct arena *a)
{
	for (struct arena_chunk *c = a->chunks, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	a->chunks = NULL;
}
