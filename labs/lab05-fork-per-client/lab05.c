/*
 * lab05: one child process per client, with fork().
 *
 * The parent only accepts; each client gets a child that echoes and exits.
 * The bug this lab shows: the parent never waits for its children and
 * does nothing about SIGCHLD. A child that exits stays in the process
 * table as a zombie (ps: <defunct>) holding its exit status until its
 * parent collects it, and this parent never does: one zombie per client.
 */
#include "labkit.h"

int main(int argc, char **argv)
{
	int listenfd = tcp_listen(argc > 1 ? argv[1] : "0");
	int n = 0;

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
