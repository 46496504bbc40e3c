/*
 * lab02: non-blocking I/O. One process keeps every socket in O_NONBLOCK
 * mode and polls them all in a loop: accept() and read() never wait, they
 * return -1 with errno EAGAIN when there is nothing yet, and we try again
 * on the next pass. We count those EAGAINs: each is a trip into the kernel
 * that did no work. That waste is what select() (lab 3) removes.
 */
#include "labkit.h"
#include <time.h>

#define MAXCLIENTS 64

/* The lesson's one call: turn on O_NONBLOCK, keeping the other flags. */
static void set_nonblocking(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		die("fcntl");
}

int main(int argc, char **argv)
{
	int listenfd = tcp_listen(argc > 1 ? argv[1] : "0");
	int client[MAXCLIENTS], nclients = 0, seen = 0, i;
	long eagain_accept = 0, eagain_read = 0;

	set_nonblocking(listenfd);
	for (;;) {
		int fd = Accept(listenfd, NULL, NULL);
		if (fd >= 0 && nclients == MAXCLIENTS) {
			Close(fd);      /* full: turn it away */
		} else if (fd >= 0) {
			/* On Linux an accepted socket does NOT inherit
			 * O_NONBLOCK from the listening one: set it again. */
			set_nonblocking(fd);
			client[nclients++] = fd;
			say("client %d: connected", ++seen);
		} else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			eagain_accept++;        /* nobody is connecting */
		}

		for (i = 0; i < nclients; i++) {
			ssize_t n = echo_once(client[i]);
			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
				eagain_read++;  /* this client sent nothing */
			} else if (n == 0) {
				/* Said before the close: once the last client
				 * sees it, the lab is over and we are stopped. */
				say("a client left; EAGAIN so far: accept %ld, "
				    "read %ld", eagain_accept, eagain_read);
				Close(client[i]);
				client[i--] = client[--nclients]; /* fill the hole */
			}
		}

		/* A true busy loop spins here at 100% CPU, with thousands of
		 * EAGAINs a second. We nap 10 ms per pass so the trace stays
		 * readable; the lesson (calls that find nothing) is the same. */
		nanosleep(&(struct timespec){ 0, 10 * 1000000 }, NULL);
	}
}
