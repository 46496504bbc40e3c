/* killed_forking US: main forks children without end (each _exits at
 * once, and is reaped) while a second thread SIGKILLs the whole process
 * after US microseconds: often between a clone and the report of it, so
 * that a new child outlives a parent whose fork the kernel never reports. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void *killer(void *arg)
{
	usleep((useconds_t)(long)arg);
	kill(getpid(), SIGKILL);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	long us = argc > 1 ? atol(argv[1]) : 2000;
	if (pthread_create(&t, NULL, killer, (void *)us) != 0)
		return 1;
	for (;;) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
}
