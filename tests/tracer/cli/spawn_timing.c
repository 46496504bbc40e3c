/* spawn_timing: makes processes with fork() and vfork() and threads with
 * pthread_create(), 3 of each, and times each call itself with
 * CLOCK_MONOTONIC around it: "fork PID NS", "vfork PID NS", "thread TID NS".
 * The trace's took_ns for each spawn is inside that span. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EACH 3

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void *note_tid(void *arg)
{
	*(pid_t *)arg = gettid();
	return NULL;
}

int main(void)
{
	for (int i = 0; i < EACH; i++) {
		long long t = now_ns();
		pid_t child = fork();
		long long took = now_ns() - t;
		if (child == 0)
			_exit(0);
		waitpid(child, NULL, 0);
		printf("fork %d %lld\n", child, took);

		t = now_ns();
		child = vfork();
		took = now_ns() - t;
		if (child == 0)
			_exit(0);
		waitpid(child, NULL, 0);
		printf("vfork %d %lld\n", child, took);

		pthread_t th;
		pid_t tid = 0;
		t = now_ns();
		if (pthread_create(&th, NULL, note_tid, &tid) != 0)
			return 1;
		took = now_ns() - t;
		pthread_join(th, NULL);
		printf("thread %d %lld\n", tid, took);
	}
	return 0;
}
