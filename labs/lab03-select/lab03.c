/*
 * lab03: I/O multiplexing with select(). One process, no fork, no thread,
 * yet it serves many clients at once: select() blocks until at least one
 * of the fds we name is ready, and tells us which. The work on a ready fd
 * then never blocks, so no client can hold up the others.
 */
#include "labkit.h"
#include <sys/select.h>

int main(int argc, char **argv)
{
	int listenfd = tcp_listen(argc > 1 ? argv[1] : "0");
	int maxfd = listenfd, nclients = 0, fd;
	fd_set all, ready;

	/* "all" is every fd we watch: the listening socket and each client.
	 * It grows when a client comes and shrinks when one goes. */
	FD_ZERO(&all);
	FD_SET(listenfd, &all);

	for (;;) {
		/* select() overwrites the set it is given with the ready
		 * ones, so hand it a copy. nfds is the highest fd + 1. */
		ready = all;
		if (select(maxfd + 1, &ready, NULL, NULL, NULL) < 0) {
			if (errno == EINTR)
				continue;
			die("select");
		}

		if (FD_ISSET(listenfd, &ready)) {
			/* Ready to accept: a client is waiting, so this
			 * accept() will not block. */
			fd = Accept(listenfd, NULL, NULL);
			if (fd >= FD_SETSIZE) {
				Close(fd);      /* an fd_set cannot hold it */
			} else if (fd >= 0) {
				FD_SET(fd, &all);
				if (fd > maxfd)
					maxfd = fd;
				say("fd %d joined: clients now %d, nfds = %d",
				    fd, ++nclients, maxfd + 1);
			}
		}

		for (fd = 0; fd <= maxfd; fd++) {
			if (fd == listenfd || !FD_ISSET(fd, &ready))
				continue;
			if (echo_once(fd) == 0) {       /* client gone */
				Close(fd);
				FD_CLR(fd, &all);
				while (maxfd > listenfd && !FD_ISSET(maxfd, &all))
					maxfd--;
				say("fd %d left: clients now %d, nfds = %d",
				    fd, --nclients, maxfd + 1);
			}
		}
	}
}
