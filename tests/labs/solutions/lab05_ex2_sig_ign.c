/*
 * Lab 5, exercise 2, worked: SIGCHLD set to SIG_IGN at the start of main.
 * The kernel reaps each child itself as it exits: no zombie, and no exit
 * status for the server either. (tests/labs/test_lab05_fork_per_client.py)
 */
#include "labkit.h"

int main(int argc, char **argv)
{
	int listenfd = tcp_listen(argc > 1 ? argv[1] : "0");
	int n = 0;

	signal(SIGCHLD, SIG_IGN);       /* exercise 2 */

	for (;;) {
		int connfd = Accept(listenfd, NULL, NULL);
		if (connfd < 0)
			continue;

		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			/* Child: a copy of the parent, with both sockets.
			 * It needs only its client's. */
			Close(listenfd);
			while (echo_once(connfd) > 0)
				;
			exit(0);        /* -> zombie until someone waits */
		}

		/* Parent: the child has its own copy of connfd; close ours,
		 * or the connection never really closes. */
		Close(connfd);
		say("client %d: served by child %d", ++n, (int)pid);
	}
}
