/* forkhold N: fork up to N children that stay alive (each waits in
 * pause()); when a fork fails it prints "fork failed after K: ERR". Then
 * it kills and reaps them all and exits 0. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100, made = 0;
	pid_t *kids = calloc((size_t)n, sizeof *kids);
	if (!kids)
		return 1;
	for (; made < n; made++) {
		pid_t pid = fork();
		if (pid < 0) {
			printf("fork failed after %d: %s\n", made, errno == EAGAIN ? "EAGAIN" : strerror(errno));
			break;
		}
		if (pid == 0) {
			pause();
			_exit(0);
		}
		kids[made] = pid;
	}
	fflush(stdout);
	for (int i = 0; i < made; i++)
		kill(kids[i], SIGKILL);
	for (int i = 0; i < made; i++)
		waitpid(kids[i], NULL, 0);
	return 0;
}
