/* w2_threads: benchmark workload W2 - pthread_create + pthread_join of a
 * thread that returns at once, N times (argv[1], default 5000). Stresses
 * thread (clone) creation and exit as seen by a tracer. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *body(void *arg)
{
	return arg;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 5000;
	if (n <= 0) {
		fprintf(stderr, "usage: %s [count>0]\n", argv[0]);
		return 2;
	}
	for (long i = 0; i < n; i++) {
		pthread_t t;
		void *ret;
		int e = pthread_create(&t, NULL, body, (void *)i);
		if (e) {
			fprintf(stderr, "w2_threads: pthread_create: %s\n", strerror(e));
			return 1;
		}
		e = pthread_join(t, &ret);
		if (e || ret != (void *)i) {
			fprintf(stderr, "w2_threads: pthread_join: %s\n", strerror(e));
			return 1;
		}
	}
	return 0;
}
