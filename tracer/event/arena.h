/*
 * arena.h - memory for one event's fields, freed all at once.
 *
 * An event's strings, lists and nested objects are many small pieces that
 * live exactly as long as the event (or the call it describes). An arena
 * hands them out from a few large chunks and forgets them together: no
 * malloc per field, no free per field, and no size limit (a chunk too
 * small is followed by a bigger one).
 */
#ifndef TRACELAB_ARENA_H
#define TRACELAB_ARENA_H

#include <stddef.h>

struct arena {
	struct arena_chunk *chunks;   /* newest first */
};

#define ARENA_INIT { NULL }

void *arena_alloc(struct arena *a, size_t size);   /* NULL only when out of memory */
const char *arena_strdup(struct arena *a, const char *s);
const char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Forget everything; keep the largest chunk for the next event. */
void arena_reset(struct arena *a);
void arena_free(struct arena *a);

#endif
