/*
 * clients.c - one client of the load generator, over TCP or UDP: it
 * connects, sends its lines (or datagrams), reads each echo back and
 * checks it, crashes the server's handler on purpose (--crash), and hangs
 * up; and the slow client that stays while the late ones come (--slow,
 * --late). loadgen.c parses the options and drives the clients; runtime.c
 * holds the options, the clock and fail().
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include "clients.h"

#define HANGUP_WAIT_MS 3000     /* how long to wait for the server's close */
#define CUE_WAIT_MS 2000        /* how long the late clients wait for the cue */
/* How long the slow client waits for the late ones before it hangs up all
 * the same: a server that serves nobody until the slow client's child has
 * ended (it blocks in wait() inside its handler) must not hang the load;
 * the trace then shows the server blocked that long. */
#define SLOW_WAIT_MS 1000

atomic_int echoes_ok;

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

void client_open(struct client *c)
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
void client_send(struct client *c, int k)
{
	int i, n = snprintf(c->msg, sizeof c->msg, "client %d message %d ",
			    c->id, k);

	for (i = n; i < opt.size; i++)
		c->msg[i] = 'a' + (c->id + k + i) % 26;
	c->msg[opt.size - 1] = '\n';
	send_all(c, c->msg, opt.size, k);
}

void client_recv(struct client *c, int k)
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
void client_crash(struct client *c)
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
void client_close(struct client *c)
{
	char buf[256];
	int ms = ms_left() < HANGUP_WAIT_MS ? ms_left() : HANGUP_WAIT_MS;

	if (!opt.udp && !c->crashed)
		while (wait_readable(c->fd, ms) && recv(c->fd, buf, sizeof buf, 0) > 0)
			;
	close(c->fd);
}

/* A whole client's life, for one-by-one and concurrent. */
void *client_run(void *arg)
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
void run_late(struct client *slow)
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
