/*
 * loadgen.h - what the load generator's two files share: the options,
 * one client's state, the clients' functions (clients.c), and the
 * driver's helpers they use (loadgen.c): failing, time left, naps.
 */
#ifndef LOADGEN_H
#define LOADGEN_H

#include <signal.h>
#include <stdatomic.h>
#include <netinet/in.h>
#include "../lib/kit_lang.h"

#define MAX_SIZE 4096           /* small, so no echo ever fills a buffer */
/* The tracer's cue to the late clients; run by hand, nobody sends it. */
#define CUE_SIGNAL SIGUSR1

enum mode { TOGETHER, ONE_BY_ONE, CONCURRENT };

struct options {
	struct sockaddr_in addr;
	const char *host;
	int port, udp, clients, messages, size, pause_ms, crash, timeout, verbose;
	int slow, late;
	int leave_in_turn;
	enum mode mode;
};
extern struct options opt;      /* loadgen.c: as parsed */

struct client {
	int id;                 /* 1-based, as in --crash K */
	int fd;
	int crashed;            /* sent "crash\n" and saw the connection end */
	char msg[MAX_SIZE], echo[MAX_SIZE];
};

extern atomic_int echoes_ok;    /* intact echoes so far, of every client */

/* loadgen.c */
/* A sentence in the student's language (kit_lang.h; po/labs/, the labs'
 * catalog, holds the load generator's sentences too). */
#define _(msgid) kit_lang_text(KIT_LANG_LABS_DOMAIN, msgid)

/* Print one line and exit 1, its format in the student's language. Only
 * the first failing thread gets to speak. */
void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
long elapsed_ms(void);          /* since the start */
int ms_left(void);              /* until --timeout */
void nap(int ms);

/* clients.c */
void client_open(struct client *c);        /* socket and connect */
void client_send(struct client *c, int k); /* message k */
void client_recv(struct client *c, int k); /* its echo, checked */
/* The --crash client's only message: its connection must end, unechoed. */
void client_crash(struct client *c);
/* After shutdown(SHUT_WR): wait briefly for the server's close, close. */
void client_close(struct client *c);
/* A whole client's life, for one-by-one and concurrent (a thread's). */
void *client_run(void *arg);
/* --slow and --late, once the others have hung up: the late clients come
 * on the cue, while slow holds its connection; then slow hangs up. */
void run_late(struct client *slow);

#endif
