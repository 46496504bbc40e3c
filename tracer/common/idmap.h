/*
 * idmap.h - a small hash map from a pid or tid to a pointer.
 *
 * pids go up to 4 million, so an array indexed by pid would cost 32 MiB;
 * a traced program has a few thousand tasks at most at once. Entries are
 * removed when a task dies, so the table stays as small as what is alive.
 */
#ifndef TRACELAB_IDMAP_H
#define TRACELAB_IDMAP_H

struct idmap {
	struct idslot { int id; void *val; } *slots;
	unsigned cap, len; /* cap is a power of two; id 0 marks a free slot */
};

void *idmap_get(const struct idmap *m, int id);
int idmap_put(struct idmap *m, int id, void *val);  /* -1 on no memory */
void *idmap_del(struct idmap *m, int id);            /* the removed value */
void idmap_free(struct idmap *m);

/* Visit every entry; the callback may not change the map. */
#define idmap_each(m, i) for (unsigned i = 0; i < (m)->cap; i++) if ((m)->slots[i].id)

#endif
