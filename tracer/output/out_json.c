/*
 * out_json.c - the JSON Lines renderer (docs/trace-format.md).
 *
 * Generic over fields: a new event type or argument needs no change here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/names.h"
#include "output/output.h"

struct json_sink {
	struct sink sink;
	FILE *f;
};

static void put_string(FILE *f, const char *s, size_t n)
{
	putc('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", f);
		else if (ch == '\t')
			fputs("\\t", f);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\u%04x", ch);
		else
			putc(ch, f);
	}
	putc('"', f);
}

/* "A|B" -> ["A","B"]; sep splits; "" -> [] */
static void put_list(FILE *f, const char *s, char sep, int nonempty)
{
	putc('[', f);
	while (s && (*s || nonempty)) {
		size_t n = strcspn(s, (char[]){ sep, 0 });
		put_string(f, s, n);
		nonempty = 0;
		if (!s[n])
			break;
		putc(',', f);
		s += n + 1;
		nonempty = 1;
	}
	putc(']', f);
}

static void put_fields(FILE *f, const struct fields *fs, int first);

static void put_value(FILE *f, const struct field *v)
{
	char buf[512];
	switch (v->kind) {
	case F_INT: fprintf(f, "%lld", (long long)v->i); break;
	case F_HEX: fprintf(f, "\"%#llx\"", (unsigned long long)v->i); break;
	case F_STR: put_string(f, v->s, strlen(v->s)); break;
	case F_NAMES: put_list(f, v->s, '|', 0); break;
	case F_STRS: put_list(f, v->s, '\x1f', v->count > 0); break;
	case F_NULL: fputs("null", f); break;
	case F_BOOL: fputs(v->i ? "true" : "false", f); break;
	case F_OBJ: putc('{', f); put_fields(f, v->obj, 1); putc('}', f); break;
	case F_INTS:
		putc('[', f);
		for (int i = 0; i < v->count; i++)
			fprintf(f, "%s%d", i ? "," : "", v->ints[i]);
		putc(']', f);
		break;
	case F_PAIRS:
		putc('[', f);
		for (int i = 0; i < v->count; i++) {
			fprintf(f, "%s{\"%s\":%d,\"%s\":", i ? "," : "", v->k1, v->ints[2 * i], v->k2);
			put_list(f, flags_name(v->tab, (unsigned)v->ints[2 * i + 1], buf, sizeof buf), '|', 0);
			putc('}', f);
		}
		putc(']', f);
		break;
	}
}

static void put_fields(FILE *f, const struct fields *fs, int first)
{
	for (int i = 0; fs && i < fs->n; i++) {
		if (!first || i)
			putc(',', f);
		fprintf(f, "\"%s\":", fs->f[i].key);
		put_value(f, &fs->f[i]);
	}
}

static void json_event(struct sink *s, const struct event *ev, const struct model *m)
{
	(void)m;
	FILE *f = ((struct json_sink *)s)->f;
	fprintf(f, "{\"type\":\"%s\",\"t\":%llu,\"pid\":%d,\"tid\":%d", ev_type_name[ev->type],
		(unsigned long long)ev->t, ev->pid, ev->tid);
	put_fields(f, &ev->f, 0);
	fputs("}\n", f);
}

static void json_finish(struct sink *s, const struct model *m)
{
	(void)m;
	fflush(((struct json_sink *)s)->f);
}

struct sink *json_sink_new(FILE *f)
{
	struct json_sink *j = calloc(1, sizeof *j);
	if (!j)
		return NULL;
	j->f = f;
	j->sink.event = json_event;
	j->sink.finish = json_finish;
	return &j->sink;
}
