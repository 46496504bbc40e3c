/*
 * Lab 7, exercise 4, worked: the wrong fix, a loop on wait(). It reaps
 * every child that has exited, then blocks inside the handler until the
 * slow client's child ends, while the late client waits to be accepted.
 * (tests/labs/test_lab07_waitpid_loop.py)
 */
#include "labkit.h"

static void on_sigchld(int signo)
{
	int saved = errno, status;

	(void)signo;
	while (wait(&status) > 0)       /* exercise 4: blocks while a child runs */
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
