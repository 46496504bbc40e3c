/*
 * tracer.c - what every part of the core shares: the clock, the events
 * the core builds itself, and killing the whole traced tree.
 */
#include <signal.h>
#include <time.h>
#include "core/stops.h"

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

void tracer_emit(struct tracer *tr) { stream_emit(tr->out, &tr->ev); }

static void kill_one(pid_t pid, void *ctx) { (void)ctx; kill(pid, SIGKILL); }

void tracer_kill_tree(struct tracer *tr)
{
	tr->killing = 1;
	sleep_check_process(tr, 0);   /* ask now: once killed, they cannot say */
	model_ending(tr->m);   /* what dies now dies of the kill, not of a bug */
	escapes_find(tr, tracer_now(tr));   /* and dies with the tree */
	model_each_live_process(tr->m, kill_one, NULL);
	park_each(&tr->parking, kill_one, NULL);   /* new children not yet known */
	if (tr->hooks.kill)
		tr->hooks.kill(tr->hooks.ctx);
}

