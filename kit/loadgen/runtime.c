/*
 * runtime.c - what every part of the load generator leans on, and which
 * calls nothing of theirs: the options as parsed (loadgen.c fills them),
 * the clock since the start and the time left until --timeout, naps that
 * a signal does not cut short, and failing with one line on stderr.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "loadgen.h"

/* The defaults, until parse() (loadgen.c) reads the command line. */
struct options opt = { .host = "127.0.0.1", .clients = 3, .messages = 2, .size = 32,
		       .mode = TOGETHER, .timeout = 0 };

static struct timespec start;   /* clock_start(): the run's time zero */

void fail(const char *fmt, ...)
{
	static pthread_mutex_t once = PTHREAD_MUTEX_INITIALIZER;
	char line[512];
	int n;
	va_list ap;

	pthread_mutex_lock(&once);      /* never unlocked: we are exiting */
	/* One write: if the tracer kills us mid-way (the server died), no
	 * half line is left in the student's terminal. */
	n = snprintf(line, sizeof line, "loadgen: ");
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof line - n - 1, _(fmt), ap);
	va_end(ap);
	if (n > (int)sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	if (write(2, line, n) < 0) {
		/* nowhere to report it */
	}
	exit(1);
}

void clock_start(void)
{
	clock_gettime(CLOCK_MONOTONIC, &start);
}

long elapsed_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start.tv_sec) * 1000 +
	       (now.tv_nsec - start.tv_nsec) / 1000000;
}

int ms_left(void)
{
	long left = opt.timeout * 1000L - elapsed_ms();

	return left > 0 ? (int)left : 0;
}

void nap(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}
