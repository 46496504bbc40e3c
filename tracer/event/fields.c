/*
 * fields.c - building and reading the typed key/value lists of fields.h.
 *
 * Running out of room is a bug in a decoder, not a property of the traced
 * program, so it is loud: the field is dropped and a counter says so.
 */
#include <string.h>
#include "event/fields.h"

unsigned long fields_dropped;

void arena_reset(struct arena *a) { a->used = 0; }

void *arena_alloc(struct arena *a, size_t size)
{
	size = (size + 7) & ~(size_t)7;
	if (a->used + size > sizeof a->buf)
		return NULL;
	void *p = a->buf + a->used;
	a->used += size;
	return p;
}

const char *arena_strdup(struct arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = arena_alloc(a, n);
	if (!p)
		return "?";
	memcpy(p, s, n);
	return p;
}

void fields_clear(struct fields *fs) { fs->n = 0; }

static struct field *add(struct fields *fs, const char *key, enum fkind kind)
{
	if (fs->n >= FIELDS_MAX) {
		fields_dropped++;
		return NULL;
	}
	struct field *f = &fs->f[fs->n++];
	memset(f, 0, sizeof *f);
	f->key = key;
	f->kind = kind;
	return f;
}

void fs_int(struct fields *fs, const char *key, int64_t v)
{
	struct field *f = add(fs, key, F_INT);
	if (f)
		f->i = v;
}

void fs_hex(struct fields *fs, const char *key, uint64_t v)
{
	struct field *f = add(fs, key, F_HEX);
	if (f)
		f->i = (int64_t)v;
}

void fs_bool(struct fields *fs, const char *key, int v)
{
	struct field *f = add(fs, key, F_BOOL);
	if (f)
		f->i = v != 0;
}

void fs_null(struct fields *fs, const char *key) { add(fs, key, F_NULL); }

void fs_str(struct fields *fs, struct arena *a, const char *key, const char *s)
{
	struct field *f = add(fs, key, F_STR);
	if (f)
		f->s = arena_strdup(a, s);
}

void fs_names(struct fields *fs, struct arena *a, const char *key, const char *names)
{
	struct field *f = add(fs, key, F_NAMES);
	if (f)
		f->s = arena_strdup(a, names);
}

void fs_strs(struct fields *fs, struct arena *a, const char *key,
	     const char *const *v, int n)
{
	struct field *f = add(fs, key, F_STRS);
	if (!f)
		return;
	size_t len = 1;
	for (int i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	char *p = arena_alloc(a, len);
	if (!p) {
		f->s = "";
		f->kind = F_NULL;
		return;
	}
	f->s = p;
	f->count = n;
	for (int i = 0; i < n; i++) {
		size_t k = strlen(v[i]);
		memcpy(p, v[i], k);
		p += k;
		*p++ = i + 1 < n ? '\x1f' : '\0';
	}
	if (!n)
		*p = '\0';
}

void fs_ints(struct fields *fs, struct arena *a, const char *key, const int *v, int n)
{
	struct field *f = add(fs, key, F_INTS);
	if (!f)
		return;
	int *copy = arena_alloc(a, sizeof(int) * (size_t)(n ? n : 1));
	if (!copy) {
		f->kind = F_NULL;
		return;
	}
	memcpy(copy, v, sizeof(int) * (size_t)n);
	f->ints = copy;
	f->count = n;
}

struct fields *fs_obj(struct fields *fs, struct arena *a, const char *key)
{
	struct fields *sub = arena_alloc(a, sizeof *sub);
	struct field *f = sub ? add(fs, key, F_OBJ) : NULL;
	if (!f)
		return NULL;
	sub->n = 0;
	f->obj = sub;
	return sub;
}

void fs_pairs(struct fields *fs, struct arena *a, const char *key, const char *k1,
	      const char *k2, const struct flag *tab, const int *v, int n)
{
	fs_ints(fs, a, key, v, 2 * n);
	struct field *f = &fs->f[fs->n - 1];
	if (fs->n == 0 || f->key != key || f->kind != F_INTS)
		return;
	f->kind = F_PAIRS;
	f->count = n;
	f->tab = tab;
	f->k1 = k1;
	f->k2 = k2;
}

const struct field *fs_get(const struct fields *fs, const char *key)
{
	for (int i = 0; fs && i < fs->n; i++)
		if (strcmp(fs->f[i].key, key) == 0)
			return &fs->f[i];
	return NULL;
}

int64_t fs_geti(const struct fields *fs, const char *key, int64_t dflt)
{
	const struct field *f = fs_get(fs, key);
	if (!f || (f->kind != F_INT && f->kind != F_HEX && f->kind != F_BOOL))
		return dflt;
	return f->i;
}

const char *fs_gets(const struct fields *fs, const char *key)
{
	const struct field *f = fs_get(fs, key);
	return f && (f->kind == F_STR || f->kind == F_NAMES) ? f->s : NULL;
}
