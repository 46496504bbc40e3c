/*
 * lab.h - `./trace lab3`: find a lab, read its scenario (lab.conf), run
 * its server under the tracer, and drive it with the load generator.
 */
#ifndef TRACELAB_LAB_H
#define TRACELAB_LAB_H

#include <stdint.h>
#include <sys/types.h>

struct tracer;

struct lab {
	char dir[4096 + 512];        /* labs/lab03-select */
	char name[256];       /* lab03-select */
	char variant[64];     /* the [section] of lab.conf chosen, or "" */
	char variants[256];   /* all of them, for messages */
	char program[4096 + 1100];    /* the server binary */
	char *argv[32];       /* the server's argv, NULL-terminated */
	char *load[32];       /* the load generator's argv */
	char ready[16];       /* "listen" or "bind" */
	int stop_sig;         /* 0: the server ends by itself */
	int classes;
	int hold_sigchld;
	pid_t loadgen;        /* running load generator, or 0 */
	int ready_seen;
	int stop_pending;     /* the load is done; stop the server once it settles */
	uint64_t stop_deadline;
	uint64_t loadgen_deadline;   /* kill it then, if the server is gone */
	int port;
	char strings[2048];   /* argv words point in here */
};

/* Does word name a lab rather than a command ("lab3", "lab03-select")? */
int lab_is_name(const char *word);
/* Find and read a lab: 0, or 2 after printing one line saying what to do. */
int lab_load(struct lab *lab, const char *name, const char *variant);
/* ./trace --list */
int lab_list(void);
/* The root directory of the kit (where ./trace lives). */
const char *kit_root(void);

/* From the loop: */
void lab_ready(struct tracer *tr, pid_t pid, const char *call, int fd, uint64_t t);
int lab_owns(struct tracer *tr, pid_t pid, int status, uint64_t t);
void lab_check_stop(struct tracer *tr, uint64_t t);
void lab_root_gone(struct tracer *tr, uint64_t t);
void lab_kill(struct tracer *tr);

#endif
