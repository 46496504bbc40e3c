/*
 * fields.h - the typed key/value lists every event carries.
 *
 * A decoder says once what a call's arguments were ("pid" = -1, "options"
 * = [WNOHANG]); the model says once what happened; each renderer walks the
 * same fields its own way. The kinds are JSON's, so that a trace written
 * as JSON Lines and read back (./trace --replay) gives the very same
 * fields, and every renderer the very same output.
 *
 * A list grows as needed: nothing is ever dropped for want of room. All
 * memory comes from the arena the list was started with.
 */
#ifndef TRACELAB_FIELDS_H
#define TRACELAB_FIELDS_H

#include <stddef.h>
#include <stdint.h>
#include "event/arena.h"

enum fkind {
	F_INT,   /* i */
	F_STR,   /* s */
	F_BOOL,  /* i != 0 */
	F_NULL,
	F_OBJ,   /* sub: keyed fields */
	F_LIST,  /* sub: fields without keys, in order */
};

struct fields;

struct field {
	const char *key;          /* NULL inside a list */
	enum fkind kind;
	int64_t i;
	const char *s;
	const struct fields *sub;
};

struct fields {
	struct field *f;
	int n, cap;
	struct arena *a;          /* where f, strings and nested lists live */
};

void fields_init(struct fields *fs, struct arena *a);

/* Add one field. key is kept as given: a string literal, or a copy in the
 * arena (arena_strdup) when it is made at run time. In a list, key is NULL. */
void fs_int(struct fields *fs, const char *key, int64_t v);
void fs_bool(struct fields *fs, const char *key, int v);
void fs_null(struct fields *fs, const char *key);
void fs_str(struct fields *fs, const char *key, const char *s);   /* copied */
void fs_hex(struct fields *fs, const char *key, uint64_t v);      /* "0x4011d6" */
struct fields *fs_obj(struct fields *fs, const char *key);        /* a new nested object */
struct fields *fs_list(struct fields *fs, const char *key);       /* a new nested list */
/* Nest fields that already exist (a call's arguments) without a copy. */
void fs_attach(struct fields *fs, const char *key, const struct fields *obj);

/* Lists made in one go. */
void fs_names(struct fields *fs, const char *key, const char *names);  /* "A|B" -> ["A","B"] */
void fs_strs(struct fields *fs, const char *key, const char *const *v, int n);

/* Look a field up by key; NULL when absent. */
const struct field *fs_get(const struct fields *fs, const char *key);
/* The integer (or boolean) at key, or dflt when absent or of another kind. */
int64_t fs_geti(const struct fields *fs, const char *key, int64_t dflt);
/* The string at key, or NULL; fs_str_or: or dflt. */
const char *fs_gets(const struct fields *fs, const char *key);
const char *fs_str_or(const struct fields *fs, const char *key, const char *dflt);
/* The object, or the list, at key; NULL when absent or of another kind. A
 * renderer must expect anything of a replayed file: it checks kinds. */
const struct fields *fs_getobj(const struct fields *fs, const char *key);
const struct fields *fs_getlist(const struct fields *fs, const char *key);

#endif
