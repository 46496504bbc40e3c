/*
 * Lab 7, exercise 5, worked: waitpid's first argument -getpgrp(): any child in group getpgrp().
 * (tests/labs/test_lab07_waitpid_loop.py)
 */
#include "labkit.h"

static void on_sigchld(int signo)
{
	int saved = errno, status;
	pid_t pid;

	(void)signo;
	/* > 0: reaped one, look for more; 0: the rest still run;
	 * -1 (ECHILD): no children left. */
	while ((pid = waitpid(-getpgrp(), &status, WNOHANG)) > 0)      /* exercise 5 */
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
		if (connfd < 0 && errno == EINTR) {
			say("accept() interrupted by a signal (EINTR): again");
			continue;
		}
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
