/*
 * idmap.c - open addressing with linear probing; deletion shifts the
 * following entries back instead of leaving tombstones, so a long trace
 * with many short-lived tasks never slows the table down.
 */
#include <stdlib.h>
#include "common/idmap.h"

static unsigned slot_of(const struct idmap *m, int id)
{
	return ((unsigned)id * 2654435761u) & (m->cap - 1);
}

void *idmap_get(const struct idmap *m, int id)
{
	if (!m->cap || !id)
		return NULL;
	for (unsigned i = slot_of(m, id);; i = (i + 1) & (m->cap - 1)) {
		if (m->slots[i].id == id)
			return m->slots[i].val;
		if (!m->slots[i].id)
			return NULL;
	}
}

static int grow(struct idmap *m)
{
	struct idmap bigger = { calloc(m->cap ? m->cap * 2 : 64, sizeof *m->slots),
				m->cap ? m->cap * 2 : 64, 0 };
	if (!bigger.slots)
		return -1;
	for (unsigned i = 0; i < m->cap; i++)
		if (m->slots[i].id)
			idmap_put(&bigger, m->slots[i].id, m->slots[i].val);
	free(m->slots);
	*m = bigger;
	return 0;
}

int idmap_put(struct idmap *m, int id, void *val)
{
	if ((m->len + 1) * 4 > m->cap * 3 && grow(m) < 0)
		return -1;
	unsigned i = slot_of(m, id);
	while (m->slots[i].id && m->slots[i].id != id)
		i = (i + 1) & (m->cap - 1);
	if (!m->slots[i].id)
		m->len++;
	m->slots[i].id = id;
	m->slots[i].val = val;
	return 0;
}

void *idmap_del(struct idmap *m, int id)
{
	if (!m->cap || !id)
		return NULL;
	unsigned i = slot_of(m, id);
	while (m->slots[i].id != id) {
		if (!m->slots[i].id)
			return NULL;
		i = (i + 1) & (m->cap - 1);
	}
	void *val = m->slots[i].val;
	m->slots[i].id = 0;
	m->len--;
	/* Move back any entry that the hole now separates from its home slot. */
	for (unsigned j = (i + 1) & (m->cap - 1); m->slots[j].id; j = (j + 1) & (m->cap - 1)) {
		unsigned home = slot_of(m, m->slots[j].id);
		int between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (!between) {
			m->slots[i] = m->slots[j];
			m->slots[j].id = 0;
			i = j;
		}
	}
	return val;
}

void idmap_free(struct idmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->len = 0;
}
