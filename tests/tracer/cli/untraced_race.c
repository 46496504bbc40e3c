/* untraced_race MODE N: N children that escape the trace all the same.
 * The main thread calls clone3 with CLONE_UNTRACED while a second thread
 * keeps writing the flag back into the struct clone_args: the tracer takes
 * the flag out at the call's entry, and the other thread puts it back
 * before the kernel reads the struct. Each child looks at TracerPid in
 * /proc/self/status (0: nobody traces it) and tells the parent through a
 * pipe; a traced one exits at once and is reaped, and the parent tries
 * again (at most TRIES_MAX times in all). An escaped one prints
 * "escaped PID PPID", then:
 *   exit   it exits 5; the parent reaps it and prints "reaped PID 5";
 *   sleep  it calls setsid() and sleeps 60 s; once all N are made, the
 *          parent waits for them;
 *   leave  the same, but the parent exits once all N are made. */
#define _GNU_SOURCE
#include <linux/sched.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define TRIES_MAX 5000
#define ESCAPED_CODE 5
#define SLEEP_S 60

static struct clone_args ca;
static volatile int done;

/* Put CLONE_UNTRACED back, again and again, until the parent is done. */
static void *rewrite(void *arg)
{
	(void)arg;
	while (!done)
		__atomic_store_n(&ca.flags, (unsigned long long)CLONE_UNTRACED, __ATOMIC_RELAXED);
	return NULL;
}

static long tracer_pid(void)
{
	char line[256];
	long t = -1;
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "TracerPid: %ld", &t) == 1)
			break;
	if (f)
		fclose(f);
	return t;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "exit";
	int n = argc > 2 ? atoi(argv[2]) : 1, escaped = 0, tries = 0;
	setvbuf(stdout, NULL, _IONBF, 0);
	ca.flags = CLONE_UNTRACED;
	ca.exit_signal = SIGCHLD;
	pthread_t th;
	if (pthread_create(&th, NULL, rewrite, NULL) != 0)
		return 1;
	while (escaped < n && tries++ < TRIES_MAX) {
		int p[2];
		if (pipe(p) < 0)
			return 1;
		pid_t pid = (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
		if (pid < 0) {
			perror("untraced_race: clone3");
			return 1;
		}
		if (pid == 0) {
			char untraced = tracer_pid() == 0;
			if (untraced)
				printf("escaped %d %d\n", getpid(), getppid());
			if (write(p[1], &untraced, 1) != 1 || !untraced)
				_exit(0);
			if (strcmp(mode, "exit") == 0)
				_exit(ESCAPED_CODE);
			setsid();
			sleep(SLEEP_S);
			_exit(0);
		}
		char untraced = 0;
		if (read(p[0], &untraced, 1) != 1)
			untraced = 0;
		close(p[0]);
		close(p[1]);
		if (untraced)
			escaped++;
		if (!untraced || strcmp(mode, "exit") == 0) {
			int st;
			if (waitpid(pid, &st, 0) == pid && untraced)
				printf("reaped %d %d\n", pid, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		}
	}
	done = 1;
	pthread_join(th, NULL);
	printf("tries %d escaped %d\n", tries, escaped);
	if (strcmp(mode, "sleep") == 0)
		while (wait(NULL) > 0)
			;
	return 0;
}
