/*
 * lab01: blocking I/O. An iterative echo server: one process, one thread,
 * one client at a time.
 *
 * accept() blocks until a client comes; read() blocks until that client
 * sends something. While we sit in read() for client 1, client 2 has
 * connected (the kernel finished its handshake and queued it) but nobody
 * calls accept() for it: it waits until client 1 hangs up.
 */
#include "labkit.h"

int main(int argc, char **argv)
{
	int listenfd = tcp_listen(argc > 1 ? argv[1] : "0");
	int n = 0;

	for (;;) {
		int connfd = Accept(listenfd, NULL, NULL);     /* blocks */
		if (connfd < 0)
			continue;
		say("client %d: serving it; anyone else waits in the queue", ++n);

		/* Each read() blocks until data comes or the client hangs up
		 * (0); nothing else can happen in this process meanwhile. */
		while (echo_once(connfd) > 0)
			;
		Close(connfd);
		say("client %d: done, next", n);
	}
}
