/*
 * lab06: catching SIGCHLD and calling wait() in the handler, as the
 * course notes first suggest. It is not enough.
 *
 * Each child that exits sends its parent SIGCHLD, but signals do not
 * queue: if several children exit together, SIGCHLD is pending once and
 * the handler runs once. It calls wait() once, reaps one child, and the
 * other n-1 stay zombies. (Lab 7 fixes the handler.)
 *
 * Second lesson: a signal that arrives while we block in accept() makes
 * accept() fail with EINTR, unless the handler was installed with
 * SA_RESTART (run "lab06 PORT --restart"), which makes the kernel restart
 * it. (signal() in glibc sets SA_RESTART for you; we use sigaction() to
 * choose.)
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
