/*
 * {{PROGRAM}}: {{TITLE}}.
 *
 * Scaffolded by `make new-lab NAME={{NAME}}`: a server that echoes one
 * client at a time, to start from. Replace it with the lab's lesson, and
 * say here, in a few lines, what the student will see in ./trace {{SHORT}}
 * and why.
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
		say("client %d connected", ++n);
		while (echo_once(connfd) > 0)
			;
		Close(connfd);
	}
}
