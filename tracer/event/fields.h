/*
 * fields.h - the typed key/value lists every event carries.
 *
 * A decoder says what a call's arguments were ("pid" = -1, "options" =
 * WNOHANG) once, as fields; each renderer (text timeline, JSON Lines) walks
 * the same fields its own way. Strings live in a small arena owned by
 * whoever owns the list, so an event needs no malloc per field.
 */
#ifndef TRACELAB_FIELDS_H
#define TRACELAB_FIELDS_H

#include <stddef.h>
#include <stdint.h>

enum fkind {
	F_INT,   /* i */
	F_HEX,   /* i, shown as 0x... (a pointer: a handler's address) */
	F_STR,   /* s */
	F_NAMES, /* s: names joined by '|'; a JSON list of strings */
	F_STRS,  /* s: strings separated by '\x1f' (argv); a JSON list */
	F_INTS,  /* ints[0..n): a JSON list of numbers (fd sets) */
	F_NULL,
	F_BOOL,  /* i != 0 */
	F_OBJ,   /* obj: nested fields */
	F_PAIRS, /* ints[0..2n): (number, flags) pairs, shown as objects with
		  * keys k1 and k2, the flags named by tab (poll and epoll sets) */
};

#define FIELDS_MAX 12

struct arena {
	char buf[16384];
	size_t used;
};

struct fields {
	int n;
	struct field {
		const char *key;  /* a string literal */
		enum fkind kind;
		int64_t i;
		const char *s;
		const int *ints;
		const struct fields *obj;
		int count;
		const struct flag *tab;
		const char *k1, *k2;
	} f[FIELDS_MAX];
};

void arena_reset(struct arena *a);
void *arena_alloc(struct arena *a, size_t size);
const char *arena_strdup(struct arena *a, const char *s);

void fields_clear(struct fields *fs);
void fs_int(struct fields *fs, const char *key, int64_t v);
void fs_hex(struct fields *fs, const char *key, uint64_t v);
void fs_bool(struct fields *fs, const char *key, int v);
void fs_null(struct fields *fs, const char *key);
void fs_str(struct fields *fs, struct arena *a, const char *key, const char *s);
void fs_names(struct fields *fs, struct arena *a, const char *key, const char *names);
void fs_strs(struct fields *fs, struct arena *a, const char *key,
	     const char *const *v, int n);
void fs_ints(struct fields *fs, struct arena *a, const char *key, const int *v, int n);
struct fields *fs_obj(struct fields *fs, struct arena *a, const char *key);
struct flag;
void fs_pairs(struct fields *fs, struct arena *a, const char *key, const char *k1,
	      const char *k2, const struct flag *tab, const int *v, int n);

/* Look a field up by key; NULL when absent. */
const struct field *fs_get(const struct fields *fs, const char *key);
/* The integer at key, or dflt when absent or not a number. */
int64_t fs_geti(const struct fields *fs, const char *key, int64_t dflt);
/* The string at key, or NULL. */
const char *fs_gets(const struct fields *fs, const char *key);

#endif
