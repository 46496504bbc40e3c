/* diag_thread_crash [segv|abort|sibling|process]: one of three threads
 * dies of a signal whose default action dumps core, and the kernel kills
 * the whole process with it. segv (the default): the thread dereferences
 * NULL; abort: it calls abort(), which sends itself SIGABRT. Both are its
 * own crash; the program prints "crash TID" first, the oracle of the
 * trace's thread-crashed-process. sibling: another thread of the process
 * sends it SIGABRT with tgkill(); process: a child process does; neither
 * is a crash of the thread's own. It prints "sender PID" (the pid the
 * kernel reports as the sender) and "victim TID". */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *mode;
static int ready[2];    /* the idle thread writes its tid here */

static void *idle(void *arg)
{
	(void)arg;
	pid_t tid = gettid();
	if (write(ready[1], &tid, sizeof tid) != sizeof tid)
		_exit(2);
	for (;;)
		pause();
	return NULL;
}

/* Send victim, a thread of process tgid, SIGABRT from here. */
static void kill_victim(pid_t tgid, pid_t victim)
{
	printf("victim %d\nsender %d\n", (int)victim, (int)getpid());
	fflush(stdout);
	syscall(SYS_tgkill, tgid, victim, SIGABRT);
}

static void *crash(void *arg)
{
	pid_t victim;
	if (read(ready[0], &victim, sizeof victim) != sizeof victim)
		_exit(2);
	if (strcmp(mode, "sibling") == 0) {
		kill_victim(getpid(), victim);
	} else if (strcmp(mode, "process") == 0) {
		pid_t tgid = getpid();
		if (fork() == 0) {
			kill_victim(tgid, victim);
			_exit(0);
		}
	} else {
		printf("crash %d\n", (int)gettid());
		fflush(stdout);
		if (strcmp(mode, "abort") == 0)
			abort();
		*(volatile int *)arg = 1;   /* arg is NULL */
	}
	for (;;)
		pause();   /* until the signal kills the process */
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t a, b;
	mode = argc > 1 ? argv[1] : "segv";
	if (pipe(ready) < 0)
		return 2;
	pthread_create(&a, NULL, idle, NULL);
	pthread_create(&b, NULL, crash, NULL);
	pthread_join(b, NULL);
	return 0;
}
