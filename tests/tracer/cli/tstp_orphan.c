/* tstp_orphan: SIGTSTP with its default action, to two children.
 * The first calls setsid(): its group is orphaned (its parent is in
 * another session), so the kernel drops the signal and the child goes on:
 * it prints "orphan PID went on". The second calls setpgid(0, 0): its
 * parent is in another group of the same session, so it stops; the parent
 * sees it stopped (waitpid WUNTRACED), prints "stopped PID", continues it. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	int st;
	pid_t orphan = fork();
	if (orphan == 0) {
		setsid();
		kill(getpid(), SIGTSTP);
		printf("orphan %d went on\n", (int)getpid());
		_exit(0);
	}
	waitpid(orphan, &st, 0);
	pid_t grouped = fork();
	if (grouped == 0) {
		setpgid(0, 0);
		kill(getpid(), SIGTSTP);
		_exit(0);
	}
	if (waitpid(grouped, &st, WUNTRACED) == grouped && WIFSTOPPED(st))
		printf("stopped %d\n", (int)grouped);
	kill(grouped, SIGCONT);
	waitpid(grouped, &st, 0);
	return 0;
}
