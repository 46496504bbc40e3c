/*
 * loadgen.h - what every file of the load generator shares, and runtime.c
 * holds: the options as parsed, failing, the clock, naps. The clients'
 * own functions are in clients.h, for the driver (loadgen.c).
 */
#ifndef LOADGEN_H
#define LOADGEN_H

#include <signal.h>
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
extern struct options opt;      /* the defaults, then as parse() read them */

/* A sentence in the student's language (kit_lang.h; po/labs/, the labs'
 * catalog, holds the load generator's sentences too). */
#define _(msgid) kit_lang_text(KIT_LANG_LABS_DOMAIN, msgid)

/* Print one line and exit 1, its format in the student's language. Only
 * the first failing thread gets to speak. */
void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void clock_start(void);         /* the start, which the times below count from */
long elapsed_ms(void);          /* since the start */
int ms_left(void);              /* until --timeout */
void nap(int ms);

#endif
