/*
 * diagnose_int.h - what the two halves of the diagnose sink share, and
 * nobody else: the counts kept per process (struct pstat), which
 * diagnose.c gathers and diagnose_facts.c writes as the summary's "facts".
 */
#ifndef TRACELAB_DIAGNOSE_INT_H
#define TRACELAB_DIAGNOSE_INT_H

#include <stdint.h>
#include <sys/types.h>
#include "event/event.h"

#define NAME_MAX_LEN 24
#define CALLS_MAX_LEN 48

/* What one process did, as far as the diagnoses care. */
struct pstat {
	pid_t pid, parent;
	uint64_t t_start;
	int children_made, children_exited, threads_made;
	int sigchld, handler_runs, run_reaps, max_run_reaps;
	int reaped, reaped_in_handler, leaked;
	int joined, detached, sigio, eintr_calls;
	int accepted, mux_waits;         /* accept() that gave a client; select/poll/epoll_wait */
	int64_t blocked_ns;              /* its main thread's time asleep in calls */
	int eagain;
	char eagain_calls[CALLS_MAX_LEN];  /* "accept,read": those that failed so */
	char eintr_call[NAME_MAX_LEN];   /* "" unless its last such call failed with EINTR */
	int nfds, nfds_fd;               /* the first select that ignored an fd (nfds_fd >= 0) */
	pid_t self_sig_tid;              /* the last thread that sent itself a signal */
	char self_sig[NAME_MAX_LEN];     /* (tgkill or tkill), and which */
	pid_t crash_tid;
	char crash_sig[NAME_MAX_LEN];
	int exited, by_itself, judged;
	int64_t cpu_us;                  /* -1: not known */
};

/* Add the "facts" object to fs: the counts of root, the traced command's
 * process (NULL: not seen, the object stays empty). calls_seen: as given
 * to diagnose_sink_new. summary: the summary's fields, read for its
 * "never_joined" list. */
void diagnose_put_facts(const struct pstat *root, int calls_seen, const struct fields *summary,
			struct fields *fs);

#endif
