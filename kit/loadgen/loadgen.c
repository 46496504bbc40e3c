/*
 * loadgen: the clients that drive a lab's echo server.
 *
 * The tracer starts it (untraced) once the server listens and waits for it
 * to exit: 0 when every expected echo came back intact, 1 otherwise with one
 * line on stderr saying what failed. It never hangs: every wait is bounded
 * by --timeout, and a watchdog thread ends it if something still blocks.
 * The default timeout is 20 s, and 1 s more for every 25 clients past 500:
 * a thousand clients under the tracer, on a busy machine, need the time.
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
 *                taken its first SIGCHLD), or after CUE_WAIT_MS without one
 *                (clients.c).
 *   one-by-one   client 1 connects, talks, hangs up; then client 2 ...
 *   concurrent   all connect first, so every one is queued at the server
 *                before any talks (lab 1); then one thread per client, each
 *                on its own schedule.
 *
 * Hanging up is shutdown(SHUT_WR), which is what the server reads as end of
 * file, then waiting (briefly) for the server to close its side, then
 * close(). Waiting for the server's close means that when loadgen exits,
 * the server has finished with every client it was given.
 *
 * This file parses the options and drives the clients; what one client
 * does (and the slow and late ones) is in clients.c; what both lean on
 * (the options as parsed, the clock, naps, failing) is in runtime.c.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include "loadgen.h"
#include "clients.h"

static const char *mode_name[] = { "together", "one-by-one", "concurrent" };

#define MAX_CLIENTS 1000        /* each one is an fd: stay under ulimit -n */
#define TIMEOUT_S 20            /* the default --timeout */
#define TIMEOUT_FREE_CLIENTS 500 /* past these, each ... */
#define CLIENTS_PER_EXTRA_S 25  /* ... clients add a second to it */

static int expected;

/* Where the catalogs are when ./trace does not say (TRACELAB_LOCALEDIR). */
#ifndef LABKIT_LOCALEDIR
#define LABKIT_LOCALEDIR NULL
#endif

/* The load generator's messages locale (kit_lang.h says why it lives here). */
locale_t kit_lang_locale;

/* Set-up: the language and its catalog, before main (as the labs do). */
__attribute__((constructor)) static void choose_language(void)
{
	kit_lang_init(KIT_LANG_LABS_DOMAIN, LABKIT_LOCALEDIR);
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
	fprintf(stderr, "%s loadgen --port P [--host 127.0.0.1] [--udp] "
		"[--clients N] [--messages M] [--size B]\n"
		"               [--mode together|one-by-one|concurrent] "
		"[--pause-ms X] [--leave together|one-by-one]\n"
		"               [--crash K] [--slow K] [--late N] [--timeout S] [-v]\n",
		_("usage:"));
	exit(1);
}

/* A whole number in [lo, hi], or a usage error naming the option. */
static int number(const char *name, const char *s, int lo, int hi)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, _("loadgen: --%s wants a number from %d to %d, "
				  "not '%s'\n"), name, lo, hi, s);
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
	if (opt.timeout == 0)
		opt.timeout = TIMEOUT_S + (opt.clients > TIMEOUT_FREE_CLIENTS
			? (opt.clients - TIMEOUT_FREE_CLIENTS) / CLIENTS_PER_EXTRA_S : 0);
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
	clock_start();
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
		printf(_("loadgen: %s %s, %d clients x %d messages x %d bytes: "
			 "%d/%d echoes ok in %.3f s%s\n"), opt.udp ? "udp" : "tcp",
		       mode_name[opt.mode], opt.clients, opt.messages, opt.size,
		       atomic_load(&echoes_ok), expected, elapsed_ms() / 1000.0,
		       opt.crash ? _(" (the crash client's connection ended, "
				     "as expected)") : "");
	free(cl);
	return 0;
}
