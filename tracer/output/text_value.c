/*
 * text_value.c - a field's value as the text timeline shows it (see
 * text_value.h): the same for a live and a replayed event.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "common/lang.h"
#include "event/event.h"
#include "output/text_value.h"

/* A set of flags longer than this (a mask of every signal) is cut short. */
#define NAMES_SHOWN_MAX 96
#define NAMES_CUT_AT 80
/* Keys whose value is a set of flag names: the empty set reads "0", as in
 * C (options=0); any other empty list reads "{}" (no fd ready). */
static const char *const flag_set_keys[] = { "options", "flags", "mask", "set", "events", NULL };

static int is_flag_set(const char *key)
{
	for (int i = 0; key && flag_set_keys[i]; i++)
		if (strcmp(key, flag_set_keys[i]) == 0)
			return 1;
	return 0;
}

void put_all_names(FILE *f, const struct fields *l)
{
	for (int i = 0; l && i < l->n; i++)
		fprintf(f, "%s%s", i ? "|" : "", l->f[i].kind == F_STR ? l->f[i].s : "?");
}

/* A list of names "A|B", cut short when it would hide the line. */
static void put_names(FILE *f, const struct fields *l)
{
	char buf[NAMES_SHOWN_MAX + 2];
	size_t used = 0;
	for (int i = 0; i < l->n && used <= NAMES_SHOWN_MAX; i++)
		used += (size_t)snprintf(buf + used, used < sizeof buf ? sizeof buf - used : 0, "%s%s",
					 i ? "|" : "", l->f[i].kind == F_STR ? l->f[i].s : "?");
	if (used > NAMES_SHOWN_MAX)
		fprintf(f, P_("%.*s...(%d name)", "%.*s...(%d names)", (unsigned long)l->n), NAMES_CUT_AT, buf, l->n);
	else
		fputs(buf, f);
}

/* An entry of a poll or epoll set: its values joined by ':' (3:POLLIN). */
static void put_entry(FILE *f, const struct field *v)
{
	if (v->kind != F_OBJ) {
		put_value(f, v);
		return;
	}
	for (int j = 0; j < v->sub->n; j++) {
		fputs(j ? ":" : "", f);
		put_value(f, &v->sub->f[j]);
	}
}

/* Render a list by what it holds: names as A|B, objects as [3:POLLIN ...],
 * numbers as {3 4}; the empty list as 0 for a set of flags, else {}. */
static void put_list(FILE *f, const struct field *v)
{
	const struct fields *l = v->sub;
	if (!l->n) {
		fputs(is_flag_set(v->key) ? "0" : "{}", f);
		return;
	}
	if (l->f[0].kind == F_STR) {
		put_names(f, l);
		return;
	}
	int objects = l->f[0].kind == F_OBJ;
	putc(objects ? '[' : '{', f);
	for (int i = 0; i < l->n; i++) {
		fputs(i ? " " : "", f);
		put_entry(f, &l->f[i]);
	}
	putc(objects ? ']' : '}', f);
}

/* Render one field's value as C would write it. */
void put_value(FILE *f, const struct field *v)
{
	switch (v->kind) {
	case F_INT: fprintf(f, "%lld", (long long)v->i); break;
	case F_STR: fputs(v->s, f); break;
	case F_NULL: fputs("NULL", f); break;
	case F_BOOL: fputs(v->i ? "true" : "false", f); break;
	case F_LIST: put_list(f, v); break;
	case F_OBJ:
		for (int i = 0; i < v->sub->n; i++) {
			const struct field *s = &v->sub->f[i];
			if (s->kind == F_BOOL && !s->i)
				continue;
			fprintf(f, "%s%s", i ? " " : "", s->key);
			if (s->kind != F_BOOL) {
				putc(' ', f);
				put_value(f, s);
			}
		}
		break;
	}
}

/* What a wait call's pid argument asks for (wait4's pid; waitid's idtype
 * and id, which the event gives as the same number), by its range. */
static const struct { long long lo, hi; const char *words; int shows_group; } wait_pid_words[] = {
	{ LLONG_MIN + 1, -2, N_("any child in group %lld"), 1 },   /* + 1: its opposite must fit */
	{ -1, -1, N_("any child"), 0 },
	{ 0, 0, N_("any child in my process group"), 0 },
	{ 1, LLONG_MAX, N_("that child"), 0 },
};

/* The calls whose argument reads with words beside it. */
static const struct { const char *call, *key; } explained_args[] = {
	{ "wait4", "pid" }, { "waitid", "pid" },
};

static void explain_wait_pid(FILE *f, const struct field *v)
{
	if (v->kind != F_INT)
		return;
	for (size_t i = 0; i < sizeof wait_pid_words / sizeof wait_pid_words[0]; i++) {
		if (v->i < wait_pid_words[i].lo || v->i > wait_pid_words[i].hi)
			continue;
		fputs(" (", f);
		if (wait_pid_words[i].shows_group)
			fprintf(f, _(wait_pid_words[i].words), -(long long)v->i);
		else
			fputs(_(wait_pid_words[i].words), f);
		fputs(")", f);
		return;
	}
}

static int is_explained(const char *call, const char *key)
{
	for (size_t i = 0; call && i < sizeof explained_args / sizeof explained_args[0]; i++)
		if (strcmp(explained_args[i].call, call) == 0 && strcmp(explained_args[i].key, key) == 0)
			return 1;
	return 0;
}

/* What the beginner's view leaves to --verbose in an argument: what the
 * C library adds that the program did not write (sigaction's SA_RESTORER,
 * for the return from a handler), and a handler's address in memory. */
static const struct { const char *call, *key, *hidden_name; } library_adds[] = {
	{ "rt_sigaction", "flags", "SA_RESTORER" },
};
#define ADDRESS_PREFIX "0x"
static const struct { const char *call, *key, *words; } address_words[] = {
	{ "rt_sigaction", "handler", N_("a function") },
};

/* A wait status (status=exited 0), in the user's language: the same
 * words as put_value's in English. 0 when it has another shape. */
static int put_wait_status(FILE *f, const struct field *v)
{
	const struct fields *st = v->kind == F_OBJ && strcmp(v->key, "status") == 0 ? v->sub : NULL;
	const char *sig = st ? fs_gets(st, "signaled") : NULL, *stop = st ? fs_gets(st, "stopped") : NULL;
	const struct field *exited = st ? fs_get(st, "exited") : NULL;
	if (exited && exited->kind == F_INT)
		/* TRANSLATORS: a wait status, as the timeline writes it: status=exited 0 */
		fprintf(f, _("exited %lld"), (long long)exited->i);
	else if (sig)
		fprintf(f, fs_geti(st, "core", 0) ? _("signaled %s core") : _("signaled %s"), sig);
	else if (stop)
		fprintf(f, _("stopped %s"), stop);
	else if (st && fs_get(st, "continued"))
		fputs(_("continued"), f);
	else
		return 0;
	return 1;
}

/* The value of call's argument v in the beginner's words; 0 when it reads
 * as it is. */
static int put_beginner_value(FILE *f, const char *call, const struct field *v)
{
	for (size_t i = 0; call && i < sizeof address_words / sizeof address_words[0]; i++)
		if (strcmp(address_words[i].call, call) == 0 && strcmp(address_words[i].key, v->key) == 0 &&
		    v->kind == F_STR && strncmp(v->s, ADDRESS_PREFIX, strlen(ADDRESS_PREFIX)) == 0) {
			fputs(_(address_words[i].words), f);
			return 1;
		}
	for (size_t i = 0; call && i < sizeof library_adds / sizeof library_adds[0]; i++) {
		if (strcmp(library_adds[i].call, call) != 0 || strcmp(library_adds[i].key, v->key) != 0 ||
		    v->kind != F_LIST)
			continue;
		int shown = 0;
		for (int j = 0; j < v->sub->n; j++) {
			const struct field *n = &v->sub->f[j];
			if (n->kind == F_STR && strcmp(n->s, library_adds[i].hidden_name) == 0)
				continue;
			fprintf(f, "%s%s", shown++ ? "|" : "", n->kind == F_STR ? n->s : "?");
		}
		if (!shown)
			putc('0', f);   /* a set of flags, empty: as C writes it */
		return 1;
	}
	return 0;
}

/* The keys that are the tracer's own words, not C's or the kernel's
 * (select's fds at or past nfds, which it never looks at): the timeline
 * says them in the user's language; the JSON keeps the key as it is. */
static const struct { const char *key, *words; } worded_keys[] = {
	/* TRANSLATORS: select()'s fds at or past nfds, which it never looks
	 * at, as the timeline names them: ignored={3} */
	{ "ignored", N_("ignored") },
};

static const char *key_words(const char *key)
{
	for (size_t i = 0; i < sizeof worded_keys / sizeof worded_keys[0]; i++)
		if (strcmp(worded_keys[i].key, key) == 0)
			return _(worded_keys[i].words);
	return key;
}

/* key=value pairs; an absent set (NULL) is left out of what came back. */
void put_call_args(FILE *f, const char *call, const struct fields *fs, const char *sep, int skip_null,
		   int verbose)
{
	int shown = 0;
	for (int i = 0; fs && i < fs->n; i++) {
		const struct field *v = &fs->f[i];
		if (skip_null && v->kind == F_NULL)
			continue;
		if (strcmp(v->key, "timeout_ns") == 0) {
			fprintf(f, "%stimeout=", shown++ ? sep : "");
			if (v->kind == F_NULL)
				fputs(_("NULL (wait forever)"), f);
			else
				fprintf(f, "%.3f s", (double)v->i / (double)NS_PER_S);
			continue;
		}
		fprintf(f, "%s%s=", shown++ ? sep : "", key_words(v->key));
		/* a wait status reads in words in both views: its words are
		 * the kernel's (WIFEXITED: exited), said in the user's language */
		if (!put_wait_status(f, v) && (verbose || !put_beginner_value(f, call, v)))
			put_value(f, v);
		if (is_explained(call, v->key))
			explain_wait_pid(f, v);
	}
}

void put_args(FILE *f, const struct fields *fs, const char *sep, int skip_null)
{
	put_call_args(f, NULL, fs, sep, skip_null, 1);
}
