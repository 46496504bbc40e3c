/*
 * stops.h - the handlers of each kind of ptrace stop, called by loop.c.
 * Each one reads the stop, tells the model, emits events, and resumes.
 */
#ifndef TRACELAB_STOPS_H
#define TRACELAB_STOPS_H

#include <stdint.h>
#include <sys/types.h>
#include "core/loop.h"

/* syscall_stops.c */
void stop_syscall_entry(struct tracer *tr, pid_t tid, long nr, const uint64_t *args, uint64_t t);
void stop_syscall_return(struct tracer *tr, pid_t tid, int64_t ret, uint64_t t);
/* A signal with this action reached tid: end the call it interrupted. */
void stop_settle_interrupted(struct tracer *tr, pid_t tid, int sig, const char *action, uint64_t t);

/* A thread's death was reported: finish a pthread_join that waited for it. */
void stop_thread_gone(struct tracer *tr, pid_t thread, uint64_t t);

/* process_events.c */
void stop_spawn(struct tracer *tr, pid_t tid, uint64_t t);
void stop_exec(struct tracer *tr, pid_t tid, uint64_t t);
void stop_death(struct tracer *tr, pid_t tid, int status, uint64_t t);

#endif
