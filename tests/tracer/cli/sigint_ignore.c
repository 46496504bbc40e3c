/* sigint_ignore: ignores SIGINT (SIG_IGN) and sleeps forever, and so does
 * the child it forks; only SIGKILL ends them. Prints its pid and the
 * child's, one per line, then "ready". */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	signal(SIGINT, SIG_IGN);   /* inherited by the child */
	pid_t child = fork();
	if (child == 0)
		for (;;)
			pause();
	printf("%d\n%d\nready\n", getpid(), child);
	fflush(stdout);
	for (;;)
		pause();
}
