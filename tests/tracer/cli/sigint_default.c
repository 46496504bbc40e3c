/* sigint_default: a child with no SIGINT handler waits in pause(); its
 * parent ignores SIGINT, waits for the child and says how it ended:
 * "child PID killed by signal N" or "child PID exited N", then exits 0.
 * The child prints "ready" once it waits. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int status;
	signal(SIGINT, SIG_IGN);   /* before the fork: the parent never dies of it */
	pid_t child = fork();
	if (child == 0) {
		signal(SIGINT, SIG_DFL);
		printf("ready\n");
		fflush(stdout);
		pause();
		return 0;
	}
	if (waitpid(child, &status, 0) != child)
		return 1;
	if (WIFSIGNALED(status))
		printf("child %d killed by signal %d\n", child, WTERMSIG(status));
	else
		printf("child %d exited %d\n", child, WEXITSTATUS(status));
	return 0;
}
