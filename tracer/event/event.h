/*
 * event.h - the one event stream.
 *
 * The loop and the model describe what happened as events; renderers (the
 * text timeline, JSON Lines, the summary) subscribe to the stream. Nothing
 * is decided twice: a renderer only formats what an event already says.
 */
#ifndef TRACELAB_EVENT_H
#define TRACELAB_EVENT_H

#include <stdint.h>
#include <sys/types.h>
#include "event/fields.h"

enum ev_type {
	EV_TRACE, EV_SYSCALL, EV_SPAWN, EV_EXEC, EV_SIGNAL, EV_EXIT,
	EV_STATE, EV_REAP, EV_LIBCALL, EV_LAB, EV_SUMMARY,
};

extern const char *const ev_type_name[];

struct event {
	enum ev_type type;
	uint64_t t;        /* ns since the trace started */
	pid_t pid, tid;
	struct fields f;   /* what the type carries, see docs/trace-format.md */
};

struct model;

/* A renderer: called for every event, in order, and once at the end. */
struct sink {
	void (*event)(struct sink *s, const struct event *ev, const struct model *m);
	void (*finish)(struct sink *s, const struct model *m);
	struct sink *next;
};

/* The stream: where the loop and the model send events. */
struct stream {
	struct sink *sinks;
	const struct model *model;
};

void stream_add(struct stream *st, struct sink *s);
void stream_emit(struct stream *st, const struct event *ev);
void stream_finish(struct stream *st);

#endif
