/*
 * lab04: signal-driven I/O. A UDP echo server that never waits in
 * read(): it asks the kernel to send it SIGIO whenever a datagram arrives
 * (fcntl F_SETOWN + O_ASYNC), and the SIGIO handler does the reading.
 * The main program just sleeps until a signal comes.
 *
 * Signals do not queue: three datagrams arriving close together may bring
 * one SIGIO. So the handler reads until the socket is empty (EAGAIN),
 * which is why the socket is also O_NONBLOCK.
 *
 * Arranged for the lesson: between two SIGIOs the main program works for
 * BUSY_MS with SIGIO blocked, and each round of datagrams (sent 50 ms
 * after the previous echoes, lab.conf) arrives during that work, so the
 * three of a round always share one SIGIO.
 */
#include "labkit.h"
#include <time.h>

#define BUSY_MS 200

static int sockfd;
static volatile sig_atomic_t nsigio, nechoed;

static void on_sigio(int signo)
{
	int saved = errno;      /* the interrupted code may be using errno */
	char buf[4096];
	struct sockaddr_in from;
	socklen_t len;
	ssize_t n;

	(void)signo;
	nsigio++;
	for (;;) {
		len = sizeof from;
		n = recvfrom(sockfd, buf, sizeof buf, 0,
			     (struct sockaddr *)&from, &len);
		if (n < 0)
			break;  /* EAGAIN: no more datagrams for now */
		sendto(sockfd, buf, n, 0, (struct sockaddr *)&from, len);
		nechoed++;
	}
	errno = saved;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t sigio, old;
	int flags;

	sockfd = Socket(AF_INET, SOCK_DGRAM, 0);

	/* Everything is set up before bind(): until the socket has an
	 * address no datagram can reach it, so none can arrive before the
	 * kernel knows to send SIGIO for it (and lie unread, unannounced).
	 * The handler first: SIGIO's default action kills the process. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigio;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGIO, &sa, NULL) < 0)
		die("sigaction");

	/* Keep SIGIO blocked except inside sigsuspend(), so a SIGIO cannot
	 * slip in between printing and going back to sleep. */
	sigemptyset(&sigio);
	sigaddset(&sigio, SIGIO);
	if (sigprocmask(SIG_BLOCK, &sigio, &old) < 0)
		die("sigprocmask");

	/* Send SIGIO to this process (F_SETOWN) when the socket has data
	 * (O_ASYNC); never block in it (O_NONBLOCK). */
	if (fcntl(sockfd, F_SETOWN, getpid()) < 0)
		die("fcntl F_SETOWN");
	flags = fcntl(sockfd, F_GETFL);
	if (flags < 0 || fcntl(sockfd, F_SETFL, flags | O_ASYNC | O_NONBLOCK) < 0)
		die("fcntl F_SETFL");

	/* Now clients can reach us: each datagram that arrives raises SIGIO. */
	udp_bind_fd(sockfd, argc > 1 ? argv[1] : "0");

	for (;;) {
		/* Other work (a nap stands for it), with SIGIO blocked: the
		 * datagrams that arrive meanwhile only set its pending bit. */
		say("busy for %d ms, SIGIO blocked", BUSY_MS);
		nanosleep(&(struct timespec){ 0, BUSY_MS * 1000000L }, NULL);
		/* Atomically unblock SIGIO and sleep; returns after the
		 * handler has run, with SIGIO blocked again. */
		sigsuspend(&old);
		say("SIGIO #%d: %d datagrams echoed so far",
		    (int)nsigio, (int)nechoed);
	}
}
