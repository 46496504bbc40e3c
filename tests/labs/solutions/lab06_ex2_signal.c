/*
 * Lab 6, exercise 2, worked: the handler installed with signal() instead of
 * sigaction(); glibc's signal() sets SA_RESTART, so accept() is restarted.
 * (tests/labs/test_lab06_sigchld_wait.py)
 */
#include "labkit.h"

static void on_sigchld(int signo)
{
	int saved = errno, status;

	(void)signo;
	wait(&status);          /* ONE child, however many have exited */
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

	if (signal(SIGCHLD, on_sigchld) == SIG_ERR)      /* exercise 2 */
		die("signal");

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
