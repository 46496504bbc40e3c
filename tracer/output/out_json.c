/*
 * out_json.c - the JSON Lines renderer (docs/trace-format.md).
 *
 * Generic over fields: a new event type or argument needs no change here.
 * event/json_read.c reads these lines back into the same fields.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "output/output.h"

struct json_sink {
	struct sink sink;
	FILE *f;
};

static void put_string(FILE *f, const char *s)
{
	putc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
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

static void put_fields(FILE *f, const struct fields *fs, int keyed, int first);

static void put_value(FILE *f, const struct field *v)
{
	switch (v->kind) {
	case F_INT: fprintf(f, "%lld", (long long)v->i); break;
	case F_STR: put_string(f, v->s); break;
	case F_NULL: fputs("null", f); break;
	case F_BOOL: fputs(v->i ? "true" : "false", f); break;
	case F_OBJ: putc('{', f); put_fields(f, v->sub, 1, 1); putc('}', f); break;
	case F_LIST: putc('[', f); put_fields(f, v->sub, 0, 1); putc(']', f); break;
	}
}

static void put_fields(FILE *f, const struct fields *fs, int keyed, int first)
{
	for (int i = 0; fs && i < fs->n; i++) {
		if (!first || i)
			putc(',', f);
		if (keyed) {
			put_string(f, fs->f[i].key);
			putc(':', f);
		}
		put_value(f, &fs->f[i]);
	}
}

void json_put_object(FILE *f, const struct fields *fs)
{
	putc('{', f);
	put_fields(f, fs, 1, 1);
	putc('}', f);
}

static void json_event(struct sink *s, const struct event *ev)
{
	FILE *f = ((struct json_sink *)s)->f;
	fprintf(f, "{\"type\":\"%s\",\"t\":%llu,\"pid\":%d,\"tid\":%d", ev_type_name[ev->type],
		(unsigned long long)ev->t, ev->pid, ev->tid);
	put_fields(f, &ev->f, 1, 0);
	fputs("}\n", f);
}

static void json_finish(struct sink *s) { fflush(((struct json_sink *)s)->f); }
static void json_free(struct sink *s) { free(s); }

struct sink *json_sink_new(FILE *f)
{
	struct json_sink *j = calloc(1, sizeof *j);
	if (!j)
		return NULL;
	j->f = f;
	j->sink.event = json_event;
	j->sink.finish = json_finish;
	j->sink.free = json_free;
	return &j->sink;
}
