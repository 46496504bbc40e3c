/*
 * fields.c - building and reading the typed key/value lists of fields.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "event/fields.h"

#define FIELDS_FIRST 8

void fields_init(struct fields *fs, struct arena *a)
{
	fs->f = NULL;
	fs->n = fs->cap = 0;
	fs->a = a;
}

/* A new field at the end; the array doubles in the arena when full (the
 * old array stays there until the arena is reset: cheap, and bounded by
 * the final size). NULL only when memory is exhausted. */
static struct field *add(struct fields *fs, const char *key, enum fkind kind)
{
	if (fs->n == fs->cap) {
		int cap = fs->cap ? 2 * fs->cap : FIELDS_FIRST;
		struct field *bigger = arena_alloc(fs->a, sizeof *bigger * (size_t)cap);
		if (!bigger)
			return NULL;
		if (fs->n)
			memcpy(bigger, fs->f, sizeof *bigger * (size_t)fs->n);
		fs->f = bigger;
		fs->cap = cap;
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

void fs_bool(struct fields *fs, const char *key, int v)
{
	struct field *f = add(fs, key, F_BOOL);
	if (f)
		f->i = v != 0;
}

void fs_null(struct fields *fs, const char *key) { add(fs, key, F_NULL); }

void fs_str(struct fields *fs, const char *key, const char *s)
{
	struct field *f = add(fs, key, F_STR);
	if (f)
		f->s = arena_strdup(fs->a, s);
}

void fs_hex(struct fields *fs, const char *key, uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%#" PRIx64, v);
	fs_str(fs, key, buf);
}

static struct fields *nested(struct fields *fs, const char *key, enum fkind kind)
{
	struct fields *sub = arena_alloc(fs->a, sizeof *sub);
	struct field *f = sub ? add(fs, key, kind) : NULL;
	if (!f)
		return NULL;
	fields_init(sub, fs->a);
	f->sub = sub;
	return sub;
}

struct fields *fs_obj(struct fields *fs, const char *key) { return nested(fs, key, F_OBJ); }
struct fields *fs_list(struct fields *fs, const char *key) { return nested(fs, key, F_LIST); }

void fs_attach(struct fields *fs, const char *key, const struct fields *obj)
{
	struct field *f = add(fs, key, F_OBJ);
	if (f)
		f->sub = obj;
}

/* Split s on sep into a list of strings ("" gives an empty list). */
static void split_list(struct fields *fs, const char *key, const char *s, char sep)
{
	struct fields *l = fs_list(fs, key);
	while (l && *s) {
		size_t n = strcspn(s, (char[]){ sep, 0 });
		struct field *f = add(l, NULL, F_STR);
		if (f)
			f->s = arena_strndup(fs->a, s, n);
		s += n + (s[n] == sep);
	}
}

void fs_names(struct fields *fs, const char *key, const char *names)
{
	split_list(fs, key, names, '|');
}

void fs_strs(struct fields *fs, const char *key, const char *const *v, int n)
{
	struct fields *l = fs_list(fs, key);
	for (int i = 0; l && i < n; i++)
		fs_str(l, NULL, v[i]);
}

const struct field *fs_get(const struct fields *fs, const char *key)
{
	for (int i = 0; fs && i < fs->n; i++)
		if (fs->f[i].key && strcmp(fs->f[i].key, key) == 0)
			return &fs->f[i];
	return NULL;
}

int64_t fs_geti(const struct fields *fs, const char *key, int64_t dflt)
{
	const struct field *f = fs_get(fs, key);
	if (!f || (f->kind != F_INT && f->kind != F_BOOL))
		return dflt;
	return f->i;
}

const char *fs_gets(const struct fields *fs, const char *key)
{
	const struct field *f = fs_get(fs, key);
	return f && f->kind == F_STR ? f->s : NULL;
}

const char *fs_str_or(const struct fields *fs, const char *key, const char *dflt)
{
	const char *s = fs_gets(fs, key);
	return s ? s : dflt;
}

static const struct fields *sub_of_kind(const struct fields *fs, const char *key, enum fkind kind)
{
	const struct field *f = fs_get(fs, key);
	return f && f->kind == kind ? f->sub : NULL;
}

const struct fields *fs_getobj(const struct fields *fs, const char *key) { return sub_of_kind(fs, key, F_OBJ); }
const struct fields *fs_getlist(const struct fields *fs, const char *key) { return sub_of_kind(fs, key, F_LIST); }
