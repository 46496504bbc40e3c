/*
 * event.c - the event types' names, and the fan-out of each event to
 * every subscriber.
 */
#include <string.h>
#include "event/event.h"

const char *const ev_type_name[EV_NTYPES] = {
	[EV_TRACE] = "trace", [EV_SYSCALL] = "syscall", [EV_SPAWN] = "spawn",
	[EV_EXEC] = "exec", [EV_SIGNAL] = "signal", [EV_EXIT] = "exit",
	[EV_STATE] = "state", [EV_REAP] = "reap", [EV_LIBCALL] = "libcall",
	[EV_LAB] = "lab", [EV_NOTE] = "note", [EV_START] = "start", [EV_SUMMARY] = "summary",
	[EV_HOLD] = "hold",
};

int ev_type_of(const char *name)
{
	for (int i = 0; i < EV_NTYPES; i++)
		if (strcmp(ev_type_name[i], name) == 0)
			return i;
	return -1;
}

void event_init(struct event *e, struct arena *a, enum ev_type type, uint64_t t,
		pid_t pid, pid_t tid)
{
	e->type = type;
	e->t = t;
	e->pid = pid;
	e->tid = tid;
	fields_init(&e->f, a);
}

void stream_add(struct stream *st, struct sink *s)
{
	if (!s)
		return;
	struct sink **p = &st->sinks;
	while (*p)
		p = &(*p)->next;
	s->next = NULL;
	*p = s;
}

void stream_emit(struct stream *st, const struct event *ev)
{
	for (struct sink *s = st ? st->sinks : NULL; s; s = s->next)
		if (s->event)
			s->event(s, ev);
}

void stream_flush(struct stream *st)
{
	for (struct sink *s = st ? st->sinks : NULL; s; s = s->next)
		if (s->flush)
			s->flush(s);
}

void stream_finish(struct stream *st)
{
	stream_flush(st);
	for (struct sink *s = st->sinks; s; s = s->next)
		if (s->finish)
			s->finish(s);
}

void stream_free(struct stream *st)
{
	for (struct sink *s = st->sinks, *next; s; s = next) {
		next = s->next;
		if (s->free)
			s->free(s);
	}
	st->sinks = NULL;
}
