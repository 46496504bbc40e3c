/*
 * Lab 7, exercise 5, worked: waitpid's first argument > 0, one given
 * child: the server keeps its children's pids and the handler asks after
 * each one still running. (tests/labs/test_lab07_waitpid_loop.py)
 */
#include "labkit.h"

#define MAX_KIDS 64
static volatile pid_t kids[MAX_KIDS];  /* 0: none, or reaped */

static void on_sigchld(int signo)
{
	int saved = errno, status, i;

	(void)signo;
	for (i = 0; i < MAX_KIDS; i++)          /* exercise 5: pid > 0 */
		if (kids[i] > 0 && waitpid(kids[i], &status, WNOHANG) == kids[i])
			kids[i] = 0;
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
		if (n < MAX_KIDS)
			kids[n] = pid;
		say("client %d: served by child %d", ++n, (int)pid);
	}
}
