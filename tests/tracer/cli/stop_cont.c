/* stop_cont: a child stops itself with SIGSTOP; the parent sees it stopped
 * (waitpid with WUNTRACED), says "stopped PID", sends SIGCONT and reaps it. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	pid_t child = fork();
	if (child < 0)
		return 1;
	if (child == 0) {
		raise(SIGSTOP);
		_exit(0);
	}
	int status;
	if (waitpid(child, &status, WUNTRACED) != child || !WIFSTOPPED(status))
		return 1;
	printf("stopped %d\n", child);
	fflush(stdout);
	if (kill(child, SIGCONT) != 0 || waitpid(child, &status, 0) != child)
		return 1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
