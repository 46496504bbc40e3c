/*
 * join_values: what pthread_join hands back, reported by the program
 * itself, for the tracer's join lines to be checked against. Four threads,
 * joined one at a time: one returns a number, one passes it to
 * pthread_exit, one returns an address (joined with retval NULL: the
 * program does not look), one is canceled. Each prints its tid; main
 * prints what each join gave it: "joined TID VALUE" (VALUE in hex for the
 * address, "canceled" for the canceled one).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

enum { NUMBER, EXIT_CALL, ADDRESS, CANCELED, NKINDS };
#define NUMBER_VALUE 42L
#define EXIT_VALUE 7L

static pid_t tids[NKINDS];
static char somewhere[1];

static void *worker(void *arg)
{
	long kind = (long)arg;
	tids[kind] = gettid();
	if (kind == EXIT_CALL)
		pthread_exit((void *)EXIT_VALUE);
	if (kind == CANCELED)
		for (;;)
			pause();        /* a cancellation point: pthread_cancel acts here */
	return kind == NUMBER ? (void *)NUMBER_VALUE : (void *)somewhere;
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	for (long kind = 0; kind < NKINDS; kind++) {
		pthread_t t;
		void *value = NULL;
		if (pthread_create(&t, NULL, worker, (void *)kind) != 0)
			return 1;
		if (kind == CANCELED) {
			while (!__atomic_load_n(&tids[kind], __ATOMIC_SEQ_CST))
				usleep(1000);
			pthread_cancel(t);
		}
		if (pthread_join(t, kind == ADDRESS ? NULL : &value) != 0)
			return 1;
		if (kind == ADDRESS)
			printf("joined %d %#lx\n", (int)tids[kind], (unsigned long)somewhere);
		else if (value == PTHREAD_CANCELED)
			printf("joined %d canceled\n", (int)tids[kind]);
		else
			printf("joined %d %ld\n", (int)tids[kind], (long)value);
	}
	return 0;
}
