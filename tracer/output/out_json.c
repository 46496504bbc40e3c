/*
 * out_json.c - the JSON Lines renderer (docs/trace-format.md).
 *
 * Generic over fields: a new event type or argument needs no change here.
 * event/json_read.c reads these lines back into the same fields.
 *
 * Each event is one line, made whole in memory and written in whole lines
 * only, at most PIPE_BUF bytes at a time where lines allow, and at the
 * latest WRITE_AFTER_NS after they were made (checked at the end of each
 * ptrace stop, stream_flush): a reader never sees half a record, even on a
 * stdout the traced program writes to as well, and a tracer killed with
 * SIGKILL leaves whole lines behind. Every line is valid UTF-8.
 */
#include <errno.h>
#include <limits.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "output/output.h"

struct json_sink {
	struct sink sink;
	int fd;
	FILE *lines;         /* the lines not written yet, in memory */
	char *buf;
	size_t len;
	int *failed;         /* where the errno of a failed write goes */
	uint64_t last_write; /* CLOCK_MONOTONIC, ns */
};

/* Whole lines wait in memory until one write of them would pass PIPE_BUF
 * (a pipe takes a write of up to PIPE_BUF bytes whole, never mixed with
 * another writer's), or until they have waited WRITE_AFTER_NS: whole
 * lines, soon, and few write(2)s (one per stop would cost W2 a third). */
#define WRITE_AFTER_NS 20000000ull

static uint64_t clock_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

#define REPLACEMENT "\xef\xbf\xbd"   /* U+FFFD in UTF-8 */

int utf8_len(const unsigned char *s)
{
	int n = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3
		: (s[0] & 0xf8) == 0xf0 ? 4 : 0;
	for (int i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((n == 2 && s[0] < 0xc2) || (n == 3 && s[0] == 0xe0 && s[1] < 0xa0) ||
	    (n == 3 && s[0] == 0xed && s[1] >= 0xa0) ||              /* a surrogate */
	    (n == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || s[0] > 0xf4 || (s[0] == 0xf4 && s[1] >= 0x90))))
		return 0;                                                /* overlong, or past U+10FFFF */
	return n;
}

/* A string as JSON; a byte that is not UTF-8 (a program's argv may hold
 * any bytes) is written as U+FFFD, one for each such byte. What needs no
 * escape is written in runs, one fwrite each (a 20,000-fork trace has
 * millions of strings). */
void json_put_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str, *run = s;
	putc('"', f);
	while (*s) {
		int plain = *s >= 0x20 && *s < 0x7f && *s != '"' && *s != '\\';
		int n = plain ? 1 : utf8_len(s);
		if (plain || n > 1) {   /* goes out as it is */
			s += n;
			continue;
		}
		fwrite(run, 1, (size_t)(s - run), f);
		unsigned char ch = *s++;
		if (n == 0)
			fputs(REPLACEMENT, f);
		else if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", f);
		else if (ch == '\t')
			fputs("\\t", f);
		else
			fprintf(f, "\\u%04x", ch);
		run = s;
	}
	fwrite(run, 1, (size_t)(s - run), f);
	putc('"', f);
}

static void put_fields(FILE *f, const struct fields *fs, int keyed, int first);

static void put_value(FILE *f, const struct field *v)
{
	switch (v->kind) {
	case F_INT: fprintf(f, "%lld", (long long)v->i); break;
	case F_STR: json_put_string(f, v->s); break;
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
			json_put_string(f, fs->f[i].key);
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

void json_put_event(FILE *f, const struct event *ev)
{
	fprintf(f, "{\"type\":\"%s\",\"t\":%llu,\"pid\":%d,\"tid\":%d", ev_type_name[ev->type],
		(unsigned long long)ev->t, ev->pid, ev->tid);
	put_fields(f, &ev->f, 1, 0);
	putc('}', f);
}

/* write(2) all of it; the errno, or 0. */
static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? errno : EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Write the first n bytes held (whole lines), and keep the rest. */
static void write_held(struct json_sink *j, size_t n)
{
	size_t rest = j->len - n;
	char *keep = rest ? malloc(rest) : NULL;
	if (rest && !keep) {
		*j->failed = ENOMEM;
		return;
	}
	if (rest)
		memcpy(keep, j->buf + n, rest);
	if (n)
		*j->failed = write_all(j->fd, j->buf, n);
	rewind(j->lines);
	if (rest)
		fwrite(keep, 1, rest, j->lines);
	fflush(j->lines);
	free(keep);
	j->last_write = clock_ns();
}

static void json_event(struct sink *s, const struct event *ev)
{
	struct json_sink *j = (struct json_sink *)s;
	if (*j->failed)
		return;   /* said once, at the end */
	size_t before = j->len;
	json_put_event(j->lines, ev);
	putc('\n', j->lines);
	if (fflush(j->lines) != 0)
		*j->failed = ENOMEM;
	else if (j->len > PIPE_BUF && before > 0)
		write_held(j, before);   /* the lines before this one fit in one pipe write */
}

/* The end of a ptrace stop: write what has waited long enough. */
static void json_flush(struct sink *s)
{
	struct json_sink *j = (struct json_sink *)s;
	if (!*j->failed && j->len && clock_ns() - j->last_write >= WRITE_AFTER_NS)
		write_held(j, j->len);
}

static void json_finish(struct sink *s)
{
	struct json_sink *j = (struct json_sink *)s;
	if (!*j->failed && j->len)
		write_held(j, j->len);
}

static void json_free(struct sink *s)
{
	struct json_sink *j = (struct json_sink *)s;
	fclose(j->lines);
	free(j->buf);
	free(j);
}

struct sink *json_sink_new(FILE *f, int *failed)
{
	struct json_sink *j = calloc(1, sizeof *j);
	if (!j || !(j->lines = open_memstream(&j->buf, &j->len))) {
		free(j);
		return NULL;
	}
	fflush(f);   /* nothing else writes through f: its fd is ours */
	j->fd = fileno(f);
	j->failed = failed;
	j->sink.event = json_event;
	j->sink.flush = json_flush;
	j->sink.finish = json_finish;
	j->sink.free = json_free;
	return &j->sink;
}
