/*
 * lab11: poll() and epoll, for many clients at once (100 and more).
 *
 * Like select() (lab 3), one process waits for whichever fd is ready, but
 * without select's limits:
 *   poll   takes an array of {fd, events} of any length, and no fd number
 *          limit; still, every call hands the whole list to the kernel.
 *   epoll  keeps the list inside the kernel (epoll_ctl adds and removes);
 *          epoll_wait returns only the ready fds, so its cost does not
 *          grow with the clients who are idle.
 * Usage: lab11 PORT poll|epoll
 */
#include "labkit.h"
#include <poll.h>
#include <sys/epoll.h>

#define MAXFDS 4096

static int nclients, peak;

static void joined(void)
{
	if (++nclients > peak)
		peak = nclients;
}

static void left(void)
{
	if (--nclients == 0)
		say("all clients gone; %d were connected at once at most", peak);
}

static void serve_poll(int listenfd)
{
	static struct pollfd fds[MAXFDS];
	int i, n = 1, fd;

	fds[0] = (struct pollfd){ .fd = listenfd, .events = POLLIN };
	for (;;) {
		if (poll(fds, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		/* revents says which fds are ready; the others we skip. */
		for (i = 1; i < n; i++) {
			if (!fds[i].revents)
				continue;
			if (echo_once(fds[i].fd) == 0) {
				left();  /* before the close: the last ends the lab */
				Close(fds[i].fd);
				fds[i--] = fds[--n];    /* last one fills the hole */
			}
		}
		if ((fds[0].revents & POLLIN) &&
		    (fd = Accept(listenfd, NULL, NULL)) >= 0) {
			if (n == MAXFDS) {
				Close(fd);
				continue;
			}
			fds[n++] = (struct pollfd){ .fd = fd, .events = POLLIN };
			joined();
		}
	}
}

static void serve_epoll(int listenfd)
{
	struct epoll_event ev, ready[64];
	int i, n, fd, ep = epoll_create1(0);

	if (ep < 0)
		die("epoll_create1");
	ev = (struct epoll_event){ .events = EPOLLIN, .data.fd = listenfd };
	if (epoll_ctl(ep, EPOLL_CTL_ADD, listenfd, &ev) < 0)
		die("epoll_ctl");
	for (;;) {
		if ((n = epoll_wait(ep, ready, 64, -1)) < 0) {
			if (errno == EINTR)
				continue;
			die("epoll_wait");
		}
		for (i = 0; i < n; i++) {
			fd = ready[i].data.fd;
			if (fd == listenfd) {
				if ((fd = Accept(listenfd, NULL, NULL)) < 0)
					continue;
				ev = (struct epoll_event){ .events = EPOLLIN, .data.fd = fd };
				if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
					die("epoll_ctl");
				joined();
			} else if (echo_once(fd) == 0) {
				/* Closing the fd would also take it out of the
				 * interest list; the explicit DEL says so. */
				if (epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL) < 0)
					die("epoll_ctl");
				left();         /* before the close, as above */
				Close(fd);
			}
		}
	}
}

int main(int argc, char **argv)
{
	if (argc < 3 || (strcmp(argv[2], "poll") && strcmp(argv[2], "epoll")))
		fatal("usage: lab11 PORT poll|epoll");
	int listenfd = tcp_listen(argv[1]);

	if (strcmp(argv[2], "poll") == 0)
		serve_poll(listenfd);
	else
		serve_epoll(listenfd);
	return 0;
}
