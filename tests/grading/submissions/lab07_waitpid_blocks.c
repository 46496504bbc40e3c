/*
 * A wrong lab 7 for the grading tests: the SIGCHLD handler loops on
 * waitpid(-1, &status, 0), without WNOHANG. It reaps every child that has
 * exited, and then blocks inside the handler until the next child exits
 * (or returns -1 ECHILD when none is left): while a child still runs, the
 * server serves nobody.
 */
#include "labkit.h"

static void on_sigchld(int signo)
{
	int saved = errno, status;

	(void)signo;
	while (waitpid(-1, &status, 0) > 0)     /* no WNOHANG: it blocks */
		;
	errno = saved;
}

int main(int argc, char **argv)
{
	int listenfd = tcp_listen(argc > 1 ? argv[1] : "0");
	struct sigaction sa;
	int n = 0;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigchld;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGCHLD, &sa, NULL) < 0)
		die("sigaction");

	for (;;) {
		int connfd = Accept(listenfd, NULL, NULL);
		if (connfd < 0)
			continue;
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			Close(listenfd);
			while (echo_once(connfd) > 0)
				;
			exit(0);
		}
		Close(connfd);
		say("client %d: served by child %d", ++n, (int)pid);
	}
}
