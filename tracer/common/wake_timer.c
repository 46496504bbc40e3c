/*
 * wake_timer.c - a timer whose signal wakes the loop (wake_timer.h).
 */
#include <signal.h>
#include <string.h>
#include "common/wake_timer.h"

#define NS_PER_SEC 1000000000ull

static struct timespec ns_to_ts(uint64_t ns)
{
	return (struct timespec){ (time_t)(ns / NS_PER_SEC), (long)(ns % NS_PER_SEC) };
}

int wake_timer_make(struct wake_timer *w, int sig, void (*handler)(int))
{
	if (w->made)
		return 1;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;   /* no SA_RESTART: waitpid must return */
	sigaction(sig, &sa, NULL);
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = sig };
	w->made = timer_create(CLOCK_MONOTONIC, &sev, &w->id) == 0;
	return w->made;
}

int wake_timer_set(struct wake_timer *w, uint64_t first_ns, uint64_t every_ns)
{
	struct itimerspec its = { .it_value = ns_to_ts(first_ns), .it_interval = ns_to_ts(every_ns) };
	return w->made && timer_settime(w->id, 0, &its, NULL) == 0;
}

void wake_timer_delete(struct wake_timer *w)
{
	if (!w->made)
		return;
	timer_delete(w->id);
	w->made = 0;
}
