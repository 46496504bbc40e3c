/*
 * clients.h - one client of the load generator (clients.c), as the driver
 * (loadgen.c) uses it: its state, what it does, and the echoes counted.
 */
#ifndef CLIENTS_H
#define CLIENTS_H

#include <stdatomic.h>
#include "loadgen.h"

struct client {
	int id;                 /* 1-based, as in --crash K */
	int fd;
	int crashed;            /* sent "crash\n" and saw the connection end */
	char msg[MAX_SIZE], echo[MAX_SIZE];
};

extern atomic_int echoes_ok;    /* intact echoes so far, of every client */

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
