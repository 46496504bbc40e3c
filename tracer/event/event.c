/*
 * event.c - fan each event out to every renderer that subscribed.
 */
#include "event/event.h"

const char *const ev_type_name[] = {
	[EV_TRACE] = "trace", [EV_SYSCALL] = "syscall", [EV_SPAWN] = "spawn",
	[EV_EXEC] = "exec", [EV_SIGNAL] = "signal", [EV_EXIT] = "exit",
	[EV_STATE] = "state", [EV_REAP] = "reap", [EV_LIBCALL] = "libcall",
	[EV_LAB] = "lab", [EV_SUMMARY] = "summary",
};

void stream_add(struct stream *st, struct sink *s)
{
	struct sink **p = &st->sinks;
	while (*p)
		p = &(*p)->next;
	s->next = NULL;
	*p = s;
}

void stream_emit(struct stream *st, const struct event *ev)
{
	for (struct sink *s = st->sinks; s; s = s->next)
		if (s->event)
			s->event(s, ev, st->model);
}

void stream_finish(struct stream *st)
{
	for (struct sink *s = st->sinks; s; s = s->next)
		if (s->finish)
			s->finish(s, st->model);
}
