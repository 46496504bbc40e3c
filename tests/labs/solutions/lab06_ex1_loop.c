/*
 * Lab 6, exercise 1, worked: the handler reaps every child that has exited
 * and never blocks: a waitpid(WNOHANG) loop. Checked with lab 7's tests
 * under lab 7's scenario. (tests/labs/test_lab06_sigchld_wait.py)
 */
#include "labkit.h"

static void on_sigchld(int signo)
{
	int saved = errno, status;

	(void)signo;
	while (waitpid(-1, &status, WNOHANG) > 0)       /* exercise 1 */
		;
	errno = saved;
}

int main(int argc, char **argv)
{
	const char *port = "0";
	struct sigaction sa;
	int i, n = 0;

	memset(&sa, 0, sizeof sa);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--restart") == 0)
			sa.sa_flags = SA_RESTART;
		else
			port = argv[i];
	}
	int listenfd = tcp_listen(port);

	sa.sa_handler = on_sigchld;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGCHLD, &sa, NULL) < 0)
		die("sigaction");

	for (;;) {
		int connfd = Accept(listenfd, NULL, NULL);
		if (connfd < 0 && errno == EINTR) {
			/* SIGCHLD interrupted accept(): nothing is wrong,
			 * the handler has run; just call accept() again. */
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
