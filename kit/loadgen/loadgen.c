/*
 * loadgen: the clients that drive a lab's echo server.
 *
 * The tracer starts it (untraced) once the server listens and waits for it
 * to exit: 0 when every expected echo came back intact, 1 otherwise with one
 * line on stderr saying what failed. It never hangs: every wait is bounded
 * by --timeout, and a watchdog thread ends it if something still blocks.
 *
 *   loadgen --port P [--host 127.0.0.1] [--udp] [--clients N] [--messages M]
 *           [--size B] [--mode together|one-by-one|concurrent]
 *           [--pause-ms X] [--leave together|one-by-one] [--crash K]
 *           [--slow K] [--late N] [--timeout S] [-v]
 *
 * Modes (how the N clients share time; each sends M messages of B bytes,
 * one at a time, and reads the whole echo back before the next):
 *   together     all connect, then all talk in rounds (everyone sends message
 *                k, then everyone reads its echo), then all hang up at the
 *                same instant: the server's children end together (lab 6).
 *                With --leave one-by-one they hang up in turn instead, each
 *                once the server has closed the one before (lab 3).
 *                With --slow K client K does not hang up with the others:
 *                it stays connected while --late N more clients come, talk
 *                and hang up, and hangs up last (lab 7: a child that still
 *                runs when the others' SIGCHLD is handled). The late
 *                clients come on the tracer's cue (SIGUSR1: the server has
 *                taken its first SIGCHLD), or after CUE_WAIT_MS without one.
 *   one-by-one   client 1 connects, talks, hangs up; then client 2 ...
 *   concurrent   all connect first, so every one is queued at the server
 *                before any talks (lab 1); then one thread per client, each
 *                on its own schedule.
 *
 * Hanging up is shutdown(SHUT_WR), which is what the server reads as end of
 * file, then waiting (briefly) for the server to close its side, then
 * close(). Waiting for the server's close means that when loadgen exits,
 * the server has finished with every client it was given.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

enum mode { TOGETHER, ONE_BY_ONE, CONCURRENT };
static const char *mode_name[] = { "together", "one-by-one", "concurrent" };

#define MAX_CLIENTS 1000        /* each one is an fd: stay under ulimit -n */
#define MAX_SIZE 4096           /* small, so no echo ever fills a buffer */
#define HANGUP_WAIT_MS 3000     /* how long to wait for the server's close */
/* The tracer's cue to the late clients; run by hand, nobody sends it. */
#define CUE_SIGNAL SIGUSR1
#define CUE_WAIT_MS 2000
/* How long the slow client waits for the late ones before it hangs up all
 * the same: a server that serves nobody until the slow client's child has
 * ended (it blocks in wait() inside its handler) must not hang the load;
 * the trace then shows the server blocked that long. */
#define SLOW_WAIT_MS 1000

static struct {
	struct sockaddr_in addr;
	const char *host;
	int port, udp, clients, messages, size, pause_ms, crash, timeout, verbose;
	int slow, late;
	int leave_in_turn;
	enum mode mode;
} opt = { .host = "127.0.0.1", .clients = 3, .messages = 2, .size = 32,
	  .mode = TOGETHER, .timeout = 20 };

struct client {
	int id;                 /* 1-based, as in --crash K */
	int fd;
	int crashed;            /* sent "crash\n" and saw the connection end */
	char msg[MAX_SIZE], echo[MAX_SIZE];
};

static struct timespec start;
static atomic_int echoes_ok;
static int expected;

/* Print one line and exit 1. Only the first failing thread gets to speak. */
static void fail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
static void fail(const char *fmt, ...)
{
	static pthread_mutex_t once = PTHREAD_MUTEX_INITIALIZER;
	char line[512];
	int n;
	va_list ap;

	pthread_mutex_lock(&once);      /* never unlocked: we are exiting */
	/* One write: if the tracer kills us mid-way (the server died), no
	 * half line is left in the student's terminal. */
	n = snprintf(line, sizeof line, "loadgen: ");
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof line - n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	if (write(2, line, n) < 0) {
		/* nowhere to report it */
	}
	exit(1);
}

static long elapsed_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start.tv_sec) * 1000 +
	       (now.tv_nsec - start.tv_nsec) / 1000000;
}

static int ms_left(void)
{
	long left = opt.timeout * 1000L - elapsed_ms();

	return left > 0 ? (int)left : 0;
}

static void nap(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The backstop: whatever is still blocked (a connect to a full queue, a
 * write to a stuck server) ends here. */
static void *watchdog(void *arg)
{
	(void)arg;
	nap(opt.timeout * 1000 + 500);
	fail("timed out after %d s (%d of %d echoes back)", opt.timeout,
	     atomic_load(&echoes_ok), expected);
}

/* Wait until fd is readable; 0 if the time ran out first. */
static int wait_readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n;

	while ((n = poll(&p, 1, ms)) < 0 && errno == EINTR)
		;
	if (n < 0)
		fail("poll: %s", strerror(errno));
	return n;
}

static void client_open(struct client *c)
{
	c->fd = socket(AF_INET, opt.udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (c->fd < 0)
		fail("client %d: socket: %s", c->id, strerror(errno));
	/* For UDP, connect only names the peer: send() goes there and
	 * recv() hears nothing but the server. */
	if (connect(c->fd, (struct sockaddr *)&opt.addr, sizeof opt.addr) < 0)
		fail("client %d: connect to %s:%d: %s", c->id, opt.host,
		     opt.port, strerror(errno));
}

static void send_all(struct client *c, const char *buf, int n, int k)
{
	while (n > 0) {
		ssize_t w = send(c->fd, buf, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			fail("client %d: sending message %d: %s", c->id, k,
			     strerror(errno));
		buf += w;
		n -= w;
	}
}

/* Message k of client c: readable text that no other message repeats. */
static void client_send(struct client *c, int k)
{
	int i, n = snprintf(c->msg, sizeof c->msg, "client %d message %d ",
			    c->id, k);

	for (i = n; i < opt.size; i++)
		c->msg[i] = 'a' + (c->id + k + i) % 26;
	c->msg[opt.size - 1] = '\n';
	send_all(c, c->msg, opt.size, k);
}

static void client_recv(struct client *c, int k)
{
	int got = 0;

	while (got < opt.size) {
		ssize_t n;

		if (!wait_readable(c->fd, ms_left()))
			fail("client %d: no echo of message %d within %d s",
			     c->id, k, opt.timeout);
		n = recv(c->fd, c->echo + got, sizeof c->echo - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			fail("client %d: waiting for echo %d: %s", c->id, k,
			     strerror(errno));
		if (n == 0)
			fail("client %d: server closed the connection before "
			     "echoing message %d", c->id, k);
		got += n;
		if (opt.udp)
			break;  /* a datagram comes back whole or not at all */
	}
	if (got != opt.size || memcmp(c->echo, c->msg, opt.size) != 0)
		fail("client %d: echo of message %d differs from what was sent",
		     c->id, k);
	atomic_fetch_add(&echoes_ok, 1);
}

/* The crash client's only message: the server's handler must die on it,
 * so the connection ends (EOF or reset) and no echo ever comes. */
static void client_crash(struct client *c)
{
	char buf[64];
	ssize_t n;

	send_all(c, "crash\n", 6, 1);
	if (!wait_readable(c->fd, ms_left()))
		fail("client %d: sent \"crash\" but the connection stayed open "
		     "for %d s", c->id, opt.timeout);
	n = recv(c->fd, buf, sizeof buf, 0);
	if (n > 0)
		fail("client %d: sent \"crash\" and got an echo: the server's "
		     "handler did not crash", c->id);
	c->crashed = 1;
}

static void client_talk(struct client *c, int k)
{
	if (k == 1 && c->id == opt.crash) {
		client_crash(c);
		return;
	}
	if (c->crashed)
		return;
	client_send(c, k);
	client_recv(c, k);
}

/* Second half of hanging up, after shutdown(SHUT_WR): give the server a
 * moment to close its side too, then close ours. Not an error if it
 * does not. */
static void client_close(struct client *c)
{
	char buf[256];
	int ms = ms_left() < HANGUP_WAIT_MS ? ms_left() : HANGUP_WAIT_MS;

	if (!opt.udp && !c->crashed)
		while (wait_readable(c->fd, ms) && recv(c->fd, buf, sizeof buf, 0) > 0)
			;
	close(c->fd);
}

/* A whole client's life, for one-by-one and concurrent. */
static void *client_run(void *arg)
{
	struct client *c = arg;
	int k;

	if (c->fd < 0)
		client_open(c);
	for (k = 1; k <= opt.messages && !c->crashed; k++) {
		if (k > 1 && opt.pause_ms)
			nap(opt.pause_ms);
		client_talk(c, k);
	}
	if (!opt.udp)
		shutdown(c->fd, SHUT_WR);
	client_close(c);
	return NULL;
}

/* Wait for the tracer's cue (CUE_SIGNAL, blocked in every thread since
 * main), at most CUE_WAIT_MS. */
static void wait_for_cue(void)
{
	struct timespec ts = { CUE_WAIT_MS / 1000, (CUE_WAIT_MS % 1000) * 1000000L };
	sigset_t cue;

	sigemptyset(&cue);
	sigaddset(&cue, CUE_SIGNAL);
	while (sigtimedwait(&cue, NULL, &ts) < 0 && errno == EINTR)
		;
}

static struct {
	pthread_mutex_t lock;
	pthread_cond_t done;
	int late_done;
} slow_wait = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };

/* The slow client: hang up once the late clients are done, or after
 * SLOW_WAIT_MS if the server does not serve them meanwhile. */
static void *slow_hangup(void *arg)
{
	struct client *c = arg;
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += SLOW_WAIT_MS / 1000;
	until.tv_nsec += (SLOW_WAIT_MS % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&slow_wait.lock);
	while (!slow_wait.late_done &&
	       pthread_cond_timedwait(&slow_wait.done, &slow_wait.lock, &until) == 0)
		;
	pthread_mutex_unlock(&slow_wait.lock);
	shutdown(c->fd, SHUT_WR);
	client_close(c);
	return NULL;
}

/* --slow and --late: the others have hung up; the late clients come on
 * the cue, one after another, while the slow client still holds its
 * connection; then the slow client hangs up. */
static void run_late(struct client *slow)
{
	struct client *late = calloc(opt.late ? opt.late : 1, sizeof *late);
	pthread_t t;
	int i, err;

	if (!late)
		fail("out of memory");
	wait_for_cue();
	if ((err = pthread_create(&t, NULL, slow_hangup, slow)))
		fail("pthread_create: %s", strerror(err));
	for (i = 0; i < opt.late; i++) {
		late[i].id = opt.clients + i + 1;
		late[i].fd = -1;
		client_run(&late[i]);
	}
	pthread_mutex_lock(&slow_wait.lock);
	slow_wait.late_done = 1;
	pthread_cond_signal(&slow_wait.done);
	pthread_mutex_unlock(&slow_wait.lock);
	pthread_join(t, NULL);
	free(late);
}

static void run_together(struct client *cl)
{
	int i, k;

	for (i = 0; i < opt.clients; i++)
		client_open(&cl[i]);
	for (k = 1; k <= opt.messages; k++) {
		if (k > 1 && opt.pause_ms)
			nap(opt.pause_ms);
		for (i = 0; i < opt.clients; i++) {
			if (k == 1 && cl[i].id == opt.crash)
				continue;       /* it talks below, alone */
			if (!cl[i].crashed)
				client_send(&cl[i], k);
		}
		for (i = 0; i < opt.clients; i++) {
			if (k == 1 && cl[i].id == opt.crash)
				client_crash(&cl[i]);
			else if (!cl[i].crashed)
				client_recv(&cl[i], k);
		}
	}
	if (opt.leave_in_turn && !opt.udp) {
		/* One at a time: client_close waits for the server's close, so
		 * the server has dropped each before it sees the next EOF. */
		for (i = 0; i < opt.clients; i++) {
			shutdown(cl[i].fd, SHUT_WR);
			client_close(&cl[i]);
		}
		return;
	}
	/* Everyone (but the slow client) hangs up at the same instant:
	 * nothing between these calls but the loop, so the server sees all
	 * the EOFs at once. */
	if (!opt.udp)
		for (i = 0; i < opt.clients; i++)
			if (cl[i].id != opt.slow)
				shutdown(cl[i].fd, SHUT_WR);
	for (i = 0; i < opt.clients; i++)
		if (cl[i].id != opt.slow)
			client_close(&cl[i]);
	if (opt.slow)
		run_late(&cl[opt.slow - 1]);
}

static void run_concurrent(struct client *cl)
{
	pthread_t *t = calloc(opt.clients, sizeof *t);
	int i, err;

	if (!t)
		fail("out of memory");
	/* Connect everyone before anyone talks: the kernel completes each
	 * handshake and queues the connection whether or not the server calls
	 * accept(), so a server busy with client 1 has the others waiting. */
	for (i = 0; i < opt.clients; i++)
		client_open(&cl[i]);
	for (i = 0; i < opt.clients; i++)
		if ((err = pthread_create(&t[i], NULL, client_run, &cl[i])))
			fail("pthread_create: %s", strerror(err));
	for (i = 0; i < opt.clients; i++)
		pthread_join(t[i], NULL);
	free(t);
}

static void usage(void)
{
	fprintf(stderr, "usage: loadgen --port P [--host 127.0.0.1] [--udp] "
		"[--clients N] [--messages M] [--size B]\n"
		"               [--mode together|one-by-one|concurrent] "
		"[--pause-ms X] [--leave together|one-by-one]\n"
		"               [--crash K] [--slow K] [--late N] [--timeout S] [-v]\n");
	exit(1);
}

/* A whole number in [lo, hi], or a usage error naming the option. */
static int number(const char *name, const char *s, int lo, int hi)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "loadgen: --%s wants a number from %d to %d, "
			"not '%s'\n", name, lo, hi, s);
		exit(1);
	}
	return (int)v;
}

static void parse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "host", required_argument, NULL, 'H' },
		{ "udp", no_argument, NULL, 'u' },
		{ "clients", required_argument, NULL, 'n' },
		{ "messages", required_argument, NULL, 'm' },
		{ "size", required_argument, NULL, 's' },
		{ "mode", required_argument, NULL, 'M' },
		{ "pause-ms", required_argument, NULL, 'P' },
		{ "leave", required_argument, NULL, 'L' },
		{ "crash", required_argument, NULL, 'c' },
		{ "slow", required_argument, NULL, 'S' },
		{ "late", required_argument, NULL, 'l' },
		{ "timeout", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "v", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p': opt.port = number("port", optarg, 1, 65535); break;
		case 'H': opt.host = optarg; break;
		case 'u': opt.udp = 1; break;
		case 'n': opt.clients = number("clients", optarg, 1, MAX_CLIENTS); break;
		case 'm': opt.messages = number("messages", optarg, 1, 1000000); break;
		case 's': opt.size = number("size", optarg, 1, MAX_SIZE); break;
		case 'P': opt.pause_ms = number("pause-ms", optarg, 0, 3600000); break;
		case 'c': opt.crash = number("crash", optarg, 1, MAX_CLIENTS); break;
		case 'S': opt.slow = number("slow", optarg, 1, MAX_CLIENTS); break;
		case 'l': opt.late = number("late", optarg, 1, MAX_CLIENTS); break;
		case 't': opt.timeout = number("timeout", optarg, 1, 86400); break;
		case 'v': opt.verbose = 1; break;
		case 'L':
			if (strcmp(optarg, "together") == 0)
				opt.leave_in_turn = 0;
			else if (strcmp(optarg, "one-by-one") == 0)
				opt.leave_in_turn = 1;
			else
				usage();
			break;
		case 'M':
			if (strcmp(optarg, "together") == 0)
				opt.mode = TOGETHER;
			else if (strcmp(optarg, "one-by-one") == 0)
				opt.mode = ONE_BY_ONE;
			else if (strcmp(optarg, "concurrent") == 0)
				opt.mode = CONCURRENT;
			else
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind != argc || opt.port == 0)
		usage();
	if (opt.crash > opt.clients)
		fail("--crash %d: there are only %d clients", opt.crash, opt.clients);
	if (opt.crash && opt.udp)
		fail("--crash works with TCP only");
	if (opt.slow > opt.clients)
		fail("--slow %d: there are only %d clients", opt.slow, opt.clients);
	if ((opt.slow || opt.late) && (opt.udp || opt.mode != TOGETHER || opt.leave_in_turn ||
				       !opt.slow || opt.slow == opt.crash))
		fail("--slow K and --late N go together, with --mode together over TCP, "
		     "and the slow client cannot be the crash client");
	/* Loopback only: this tool never talks to another machine. */
	memset(&opt.addr, 0, sizeof opt.addr);
	opt.addr.sin_family = AF_INET;
	opt.addr.sin_port = htons(opt.port);
	if (strcmp(opt.host, "localhost") == 0)
		opt.host = "127.0.0.1";
	if (inet_pton(AF_INET, opt.host, &opt.addr.sin_addr) != 1 ||
	    (ntohl(opt.addr.sin_addr.s_addr) >> 24) != 127)
		fail("--host %s: give a loopback address (127.x.x.x)", opt.host);
}

int main(int argc, char **argv)
{
	struct client *cl;
	pthread_t dog;
	sigset_t cue;
	int i, err;

	parse(argc, argv);
	expected = (opt.clients + opt.late - (opt.crash ? 1 : 0)) * opt.messages;
	clock_gettime(CLOCK_MONOTONIC, &start);
	/* The cue waits, pending, for wait_for_cue: blocked before any
	 * thread starts, so that no thread takes it. */
	sigemptyset(&cue);
	sigaddset(&cue, CUE_SIGNAL);
	pthread_sigmask(SIG_BLOCK, &cue, NULL);
	if ((err = pthread_create(&dog, NULL, watchdog, NULL)))
		fail("pthread_create: %s", strerror(err));
	pthread_detach(dog);

	cl = calloc(opt.clients, sizeof *cl);
	if (!cl)
		fail("out of memory");
	for (i = 0; i < opt.clients; i++) {
		cl[i].id = i + 1;
		cl[i].fd = -1;          /* not connected yet */
	}

	if (opt.mode == TOGETHER)
		run_together(cl);
	else if (opt.mode == ONE_BY_ONE)
		for (i = 0; i < opt.clients; i++)
			client_run(&cl[i]);
	else
		run_concurrent(cl);

	if (atomic_load(&echoes_ok) != expected)        /* cannot happen */
		fail("%d of %d echoes back", atomic_load(&echoes_ok), expected);
	if (opt.verbose)
		printf("loadgen: %s %s, %d clients x %d messages x %d bytes: "
		       "%d/%d echoes ok in %.3f s%s\n", opt.udp ? "udp" : "tcp",
		       mode_name[opt.mode], opt.clients, opt.messages, opt.size,
		       atomic_load(&echoes_ok), expected, elapsed_ms() / 1000.0,
		       opt.crash ? " (the crash client's connection ended, "
				   "as expected)" : "");
	free(cl);
	return 0;
}
