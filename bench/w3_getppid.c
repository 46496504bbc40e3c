/* w3_getppid: benchmark workload W3 - many cheap syscalls the tracer does
 * not care about (getppid via syscall(), so libc cannot cache it), with a
 * few forks spread evenly through them. Measures what a tracer costs on
 * syscalls it should let run unstopped (seccomp filtering).
 * Usage: w3_getppid [calls=500000] [forks=200] */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int fork_one(void)
{
	pid_t pid = fork();
	if (pid < 0) {
		perror("w3_getppid: fork");
		return -1;
	}
	if (pid == 0)
		_exit(0);
	int st;
	pid_t r;
	while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	if (r != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "w3_getppid: child %d failed\n", (int)pid);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long calls = argc > 1 ? strtol(argv[1], NULL, 10) : 500000;
	long forks = argc > 2 ? strtol(argv[2], NULL, 10) : 200;
	if (calls < 0 || forks < 0) {
		fprintf(stderr, "usage: %s [calls] [forks]\n", argv[0]);
		return 2;
	}
	long k = 0; /* forks done so far; fork k happens before call k*calls/forks */
	for (long i = 0; i < calls; i++) {
		while (k < forks && i == k * calls / forks) {
			if (fork_one() < 0)
				return 1;
			k++;
		}
		if (syscall(SYS_getppid) < 0) { /* cannot fail; keeps the call honest */
			perror("w3_getppid: getppid");
			return 1;
		}
	}
	for (; k < forks; k++)
		if (fork_one() < 0)
			return 1;
	return 0;
}
