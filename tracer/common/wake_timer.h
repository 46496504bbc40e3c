/*
 * wake_timer.h - a timer whose signal wakes the loop.
 *
 * The loop sleeps in waitpid(); a deadline that comes while nothing else
 * happens (the end of Ctrl-C's grace, a lab's time to stop its server)
 * must wake it. The timer's signal gets a handler installed without
 * SA_RESTART, so that waitpid() returns EINTR when it fires.
 */
#ifndef TRACELAB_WAKE_TIMER_H
#define TRACELAB_WAKE_TIMER_H

#include <stdint.h>
#include <time.h>

struct wake_timer {
	timer_t id;
	int made;
};

/* Install handler for sig (no SA_RESTART) and make the timer (once:
 * again on a made timer does nothing). 1 if the timer exists. */
int wake_timer_make(struct wake_timer *w, int sig, void (*handler)(int));
/* Fire first_ns from now, then every every_ns (0: once). 1 if set. */
int wake_timer_set(struct wake_timer *w, uint64_t first_ns, uint64_t every_ns);
/* Delete the timer, if made. */
void wake_timer_delete(struct wake_timer *w);

#endif
