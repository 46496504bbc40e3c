/* thread_reaps: a child exits; a second thread (not main) reaps it with
 * waitid(P_PID, child, &si, WEXITED | WSTOPPED) and prints "reaper TID".
 * waitid's WSTOPPED is the bit wait4 calls WUNTRACED. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t child;

static void *reaper(void *arg)
{
	siginfo_t si;
	(void)arg;
	if (waitid(P_PID, (id_t)child, &si, WEXITED | WSTOPPED) == 0 && si.si_pid == child)
		printf("reaper %d\n", gettid());
	return NULL;
}

int main(void)
{
	pthread_t t;
	if ((child = fork()) == 0)
		_exit(3);
	usleep(20000);
	if (pthread_create(&t, NULL, reaper, NULL) != 0 || pthread_join(t, NULL) != 0)
		return 1;
	return 0;
}
