/*
 * picture_text.c - the words the picture keeps: each event's timeline
 * line, as the text renderer wrote it (numbered, so that each line says
 * which event it is), the names (calls, signals, programs) that many
 * elements share, kept once, and the words that end a reaped task's label.
 */
#include <stdlib.h>
#include <string.h>
#include "common/lang.h"
#include "output/picture.h"

/* FNV-1a: a slot in the table of names. */
static unsigned name_hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

const char *picture_intern(struct picture *p, const char *s)
{
	if (!s)
		return NULL;
	if (2 * (p->ninterned + 1) > p->capinterned) {   /* keep it at most half full */
		unsigned ncap = p->capinterned ? 2 * p->capinterned : 256;
		char **t = calloc(ncap, sizeof *t);
		if (!t) {
			p->failed = 1;
			return "?";
		}
		for (unsigned i = 0; i < p->capinterned; i++)
			if (p->interned[i]) {
				unsigned j = name_hash(p->interned[i]) & (ncap - 1);
				while (t[j])
					j = (j + 1) & (ncap - 1);
				t[j] = p->interned[i];
			}
		free(p->interned);
		p->interned = t;
		p->capinterned = ncap;
	}
	unsigned j = name_hash(s) & (p->capinterned - 1);
	for (; p->interned[j]; j = (j + 1) & (p->capinterned - 1))
		if (strcmp(p->interned[j], s) == 0)
			return p->interned[j];
	if (!(p->interned[j] = strdup(s))) {
		p->failed = 1;
		return "?";
	}
	p->ninterned++;
	return p->interned[j];
}

const char *picture_line(const struct picture *p, long line)
{
	if (line < 0 || line >= p->nlines || !p->line_at[line])
		return NULL;
	return p->linebuf + p->line_at[line] - 1;
}

/* Keep a line (n bytes at s) as event seq's. */
static void put_line(struct picture *p, long seq, const char *s, size_t n)
{
	if (p->linebuf_len + n + 1 > p->linebuf_cap) {
		size_t ncap = p->linebuf_cap ? p->linebuf_cap * 2 : 1 << 16;
		while (ncap < p->linebuf_len + n + 1)
			ncap *= 2;
		char *q = realloc(p->linebuf, ncap);
		if (!q) {
			p->failed = 1;
			return;
		}
		p->linebuf = q;
		p->linebuf_cap = ncap;
	}
	memcpy(p->linebuf + p->linebuf_len, s, n);
	p->linebuf[p->linebuf_len + n] = '\0';
	p->line_at[seq] = p->linebuf_len + 1;
	p->linebuf_len += n + 1;
}

/* The line the text renderer wrote for this event: "INDEX\tLINE\n"
 * (then, for a fork, the child's side, "\tLINE\n", which is not kept). */
void picture_keep_line(struct picture *p)
{
	fflush(p->text_f);
	const char *s = p->text_buf + p->text_used, *end = p->text_buf + p->text_len;
	if (p->seq >= p->caplines) {
		long ncap = p->caplines ? p->caplines * 2 : 1024;
		size_t *q = realloc(p->line_at, (size_t)ncap * sizeof *q);
		if (!q) {
			p->failed = 1;
			return;
		}
		memset(q + p->caplines, 0, (size_t)(ncap - p->caplines) * sizeof *q);
		p->line_at = q;
		p->caplines = ncap;
	}
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			break;
		const char *tab = memchr(s, '\t', (size_t)(nl - s));
		if (tab && tab > s && strtol(s, NULL, 10) == p->seq && !p->line_at[p->seq]) {
			const char *w = tab + 1;
			while (*w == ' ')
				w++;
			put_line(p, p->seq, w, (size_t)(nl - w));
		}
		s = nl + 1;
	}
	p->nlines = p->seq + 1;
	p->text_used = p->text_len;
	if (p->text_used > (1u << 20)) {   /* all read: start the buffer again */
		rewind(p->text_f);
		fflush(p->text_f);
		p->text_used = p->text_len = 0;
	}
}

/* How a reap ends a task's words, by how ("leaked": not reaped); and a
 * group's (picture_lanes.c), which says the reaper once, above. */
const struct reap_words reap_words[] = {
	/* TRANSLATORS: after "exited 0" in the picture's tree; %d: the reaper's pid */
	{ "wait", N_(", reaped by %d"), N_(", reaped") },
	{ "auto", N_(", reaped by the kernel (no zombie)"), N_(", reaped by the kernel (no zombie)") },
	{ "adopted", N_(", orphan reaped by the tracer"), N_(", orphan reaped by the tracer") },
	{ "leaked", N_(", LEAKED zombie"), N_(", LEAKED zombie") },
	{ NULL, NULL, NULL },
};
