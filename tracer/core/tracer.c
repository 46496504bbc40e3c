/*
 * tracer.c - what every part of the core shares: the clock, the events
 * the core builds itself, and how a task is seized.
 */
#include <sys/ptrace.h>
#include <time.h>
#include "core/tracer.h"

uint64_t tracer_now(const struct tracer *tr)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec - tr->t0;
}

struct event *tracer_event(struct tracer *tr, enum ev_type type, uint64_t t, pid_t pid, pid_t tid)
{
	arena_reset(&tr->arena);
	event_init(&tr->ev, &tr->arena, type, t, pid, tid);
	return &tr->ev;
}

void tracer_emit(struct tracer *tr)
{
	model_mark_handler(tr->m, &tr->ev);
	stream_emit(tr->out, &tr->ev);
}

int tracer_seize_found(pid_t tid)
{
	return ptrace(PTRACE_SEIZE, tid, 0, TRACE_OPTIONS | PTRACE_O_EXITKILL) == 0 ? 0 : -1;
}
