/*
 * text_int.h - what the files of the text timeline share, and nothing
 * else includes: the sink's state, the colours, and the two halves of a
 * line (text_layout.c lays out the columns, text_events.c says what an
 * event did).
 */
#ifndef TRACELAB_TEXT_INT_H
#define TRACELAB_TEXT_INT_H

#include <stdio.h>
#include "common/idmap.h"
#include "common/lang.h"
#include "event/event.h"

/* Who a pid is, as the events said. */
struct who {
	int depth;
	int loading;       /* the dynamic loader runs: the program's code has not started */
	char name[32];
};

struct text_sink {
	struct sink sink;
	FILE *out;               /* where the lines go */
	FILE *f;                 /* what an event did, in words, before it is laid out */
	char *body;              /* f's buffer (open_memstream) */
	size_t body_len;
	FILE *line;              /* the laid-out line, until it goes to out whole */
	char *line_buf;          /* line's buffer (open_memstream) */
	size_t line_len;
	int color;
	int numbered;            /* prefix each line with its event's index; never wrap */
	int verbose;             /* the expert's view: every call, the kernel's names */
	struct idmap who;        /* pid -> struct who, until it is reaped */
	pid_t tracer_pid;
	pid_t root;              /* kept to the end: the lab's lines name it */
	int hook;                /* the header says the hook marks where programs start */
	int prints_here;         /* the tracer started the program: its output is beside the timeline */
	long seq;                /* the index of the current event in the stream */
};

enum paint { C_OFF, C_DIM, C_SIGNAL, C_BAD, C_GOOD, C_NOTE };
/* The escape that starts colour c, or "" without colours. */
const char *on(const struct text_sink *t, enum paint c);

#define NS_PER_MS 1000000ull
#define NS_PER_US 1000ull
void put_duration(FILE *f, uint64_t ns);
/* The same in buf, for a sentence that puts it where its language wants
 * it: printf(_("<blocked %s>"), duration_text(buf, sizeof buf, ns)). */
#define DURATION_TEXT_MAX 32
const char *duration_text(char *buf, size_t size, uint64_t ns);

/* text_layout.c: the line that carries one event, from the columns (when,
 * who, the program) to its end; the words are what t->f holds. */
void text_line(struct text_sink *t, long seq, uint64_t when, pid_t pid, pid_t tid, int64_t in_handler);

/* text_events.c: what one event did, in words, written to t->f. */
void text_body(struct text_sink *t, const struct event *ev);
/* fork() returns twice: the words of the child's side, or 0 when the
 * spawn has no second line. */
int text_child_side(struct text_sink *t, const struct event *ev);

/* text_legend.c: the line at the top of a lab's timeline. */
void text_legend_pointer(FILE *f, int verbose);

#endif
