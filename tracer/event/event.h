/*
 * event.h - the one event stream.
 *
 * The loop and the model describe what happened as events; renderers (the
 * text timeline, JSON Lines, the summary) and the lab runner subscribe to
 * the stream. An event says everything a renderer needs: a renderer only
 * formats what events already say, so that a trace read back from JSON
 * Lines (./trace --replay) renders exactly as it did live.
 */
#ifndef TRACELAB_EVENT_H
#define TRACELAB_EVENT_H

#include <stdint.h>
#include <sys/types.h>
#include "event/fields.h"

/* The JSON Lines format's version (docs/trace-format.md): a change that
 * renames or removes a field raises it. */
#define TRACE_FORMAT_VERSION 1
/* Event times are in nanoseconds. */
#define NS_PER_S 1000000000ull

enum ev_type {
	EV_TRACE, EV_SYSCALL, EV_SPAWN, EV_EXEC, EV_SIGNAL, EV_EXIT,
	EV_STATE, EV_REAP, EV_LIBCALL, EV_LAB, EV_NOTE, EV_START, EV_SUMMARY, EV_HOLD,
	EV_NTYPES
};

extern const char *const ev_type_name[EV_NTYPES];
/* The type named name ("syscall"), or -1. */
int ev_type_of(const char *name);

struct event {
	enum ev_type type;
	uint64_t t;        /* ns since the trace started */
	pid_t pid, tid;
	struct fields f;   /* what the type carries, see docs/trace-format.md */
};

/* Start an event whose fields live in a (reset by the caller). */
void event_init(struct event *e, struct arena *a, enum ev_type type, uint64_t t,
		pid_t pid, pid_t tid);

/* A subscriber: called for every event, in order, and once at the end.
 * flush: the events so far belong together (one ptrace stop's): a sink
 * that batches its writes writes them now. */
struct sink {
	void (*event)(struct sink *s, const struct event *ev);
	void (*flush)(struct sink *s);
	void (*finish)(struct sink *s);
	void (*free)(struct sink *s);
	struct sink *next;
};

struct stream {
	struct sink *sinks;
};

void stream_add(struct stream *st, struct sink *s);   /* s may be NULL (no memory): ignored */
void stream_emit(struct stream *st, const struct event *ev);
void stream_flush(struct stream *st);
void stream_finish(struct stream *st);   /* flushes first */
void stream_free(struct stream *st);

#endif
