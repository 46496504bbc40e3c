/* spawn_report: forks a child that says "child getpid PID", then creates a
 * thread that says "thread gettid TID", and says "pthread_create returned
 * N" and "fork returned PID" itself. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static void *say_tid(void *arg)
{
	(void)arg;
	printf("thread gettid %d\n", gettid());
	fflush(stdout);
	return NULL;
}

int main(void)
{
	fflush(stdout);
	pid_t child = fork();
	if (child < 0)
		return 1;
	if (child == 0) {
		printf("child getpid %d\n", getpid());
		fflush(stdout);
		_exit(0);
	}
	waitpid(child, NULL, 0);
	printf("fork returned %d\n", child);
	pthread_t thread;
	int r = pthread_create(&thread, NULL, say_tid, NULL);
	if (r == 0)
		pthread_join(thread, NULL);
	printf("pthread_create returned %d\n", r);
	return 0;
}
