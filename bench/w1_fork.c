/* w1_fork: benchmark workload W1 - fork a child that _exits at once and
 * waitpid for it, N times (argv[1], default 5000). Stresses process
 * creation/exit/reaping, i.e. the tracer's fork-following path. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 5000;
	if (n <= 0) {
		fprintf(stderr, "usage: %s [count>0]\n", argv[0]);
		return 2;
	}
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("w1_fork: fork");
			return 1;
		}
		if (pid == 0)
			_exit(0);
		int st;
		pid_t r;
		while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
			;
		if (r != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "w1_fork: child %d failed (st=%#x)\n", (int)pid, st);
			return 1;
		}
	}
	return 0;
}
