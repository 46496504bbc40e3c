/* tree: a parent with two children and a grandchild that all sleep for a
 * long time, so that a test can stop the trace in the middle and check
 * that none of them survives it. Prints the pids, one per line. */
#include <stdio.h>
#include <unistd.h>

static void child(void)
{
	if (fork() == 0) {          /* a grandchild */
		printf("%d\n", getpid());
		fflush(stdout);
		pause();
		_exit(0);
	}
	pause();
	_exit(0);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("%d\n", getpid());
	for (int i = 0; i < 2; i++) {
		pid_t pid = fork();
		if (pid == 0)
			child();
		printf("%d\n", pid);
	}
	pause();
	return 0;
}
