/* held_detach: waits for a line on stdin (the tracer has attached), then
 * forks a child that exits at once and one that sleeps 30 s, and pauses.
 * Its SIGCHLD handler prints "caught SIGCHLD"; on SIGTERM it kills the
 * sleeper and exits. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static pid_t sleeper;

static void on_chld(int sig) { (void)sig; write(1, "caught SIGCHLD\n", 15); }
static void on_term(int sig) { (void)sig; kill(sleeper, SIGKILL); _exit(0); }

int main(void)
{
	char line[16];
	signal(SIGCHLD, on_chld);
	signal(SIGTERM, on_term);
	if (!fgets(line, sizeof line, stdin))
		return 1;
	if ((sleeper = fork()) == 0) {
		sleep(30);
		_exit(0);
	}
	if (fork() == 0)
		_exit(0);
	for (;;)
		pause();
}
