/* wait_pids: four children that exit at once, reaped by four waitpid
 * calls, one per kind of pid argument, in this order: pid > 0 (the first
 * child), -1, 0, and minus the process group. Says "pgrp N" and, for each
 * call, "waitpid PIDARG = RESULT". */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILDREN 4

int main(void)
{
	pid_t kids[CHILDREN];
	for (int i = 0; i < CHILDREN; i++) {
		if ((kids[i] = fork()) < 0)
			return 1;
		if (kids[i] == 0)
			_exit(0);
	}
	pid_t args[CHILDREN] = { kids[0], -1, 0, -getpgrp() };
	printf("pgrp %d\n", getpgrp());
	for (int i = 0; i < CHILDREN; i++)
		printf("waitpid %d = %d\n", args[i], waitpid(args[i], NULL, 0));
	return 0;
}
