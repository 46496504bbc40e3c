/* diag_thread_crash: one of three threads dereferences NULL; the kernel
 * kills the whole process with SIGSEGV. It prints "crash TID" first, the
 * oracle of the trace's thread-crashed-process. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *idle(void *arg)
{
	(void)arg;
	pause();
	return NULL;
}

static void *crash(void *arg)
{
	printf("crash %d\n", (int)gettid());
	fflush(stdout);
	*(volatile int *)arg = 1;   /* arg is NULL */
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, idle, NULL);
	usleep(20000);
	pthread_create(&b, NULL, crash, NULL);
	pthread_join(b, NULL);
	return 0;
}
