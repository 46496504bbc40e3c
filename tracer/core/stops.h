/*
 * stops.h - the handlers of each kind of ptrace stop, called by loop.c.
 *
 * A handler reads the stop, tells the model, emits events, and returns
 * what should happen to the stopped task. It never resumes a task itself:
 * the loop makes the one ptrace restart call per stop (and resumes the
 * tasks a handler released from park.h).
 */
#ifndef TRACELAB_STOPS_H
#define TRACELAB_STOPS_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include "core/tracer.h"

enum next_how {
	NEXT_GO,            /* run on (to the next traced call) */
	NEXT_TO_RETURN,     /* run on, and stop at this call's return */
	NEXT_STAY_STOPPED,  /* a group stop: stay stopped, but report SIGCONT */
	NEXT_PARKED,        /* kept stopped on purpose: park.h has it */
	NEXT_GONE,          /* nothing to resume: it died */
	NEXT_LET_GO,        /* detach from it (Ctrl-C after -p) */
};

struct next {
	enum next_how how;
	int sig;            /* the signal to deliver as it goes on (0: none) */
};

#define GO ((struct next){ NEXT_GO, 0 })
#define GO_WITH(s) ((struct next){ NEXT_GO, (s) })

/* syscall_stops.c */
struct call;
struct next stop_syscall_entry(struct tracer *tr, pid_t tid, long nr, const uint64_t *args, uint64_t t);
struct next stop_syscall_return(struct tracer *tr, pid_t tid, int64_t ret, uint64_t t);
/* A signal with this action reached tid: end the call it interrupted. */
void settle_interrupted(struct tracer *tr, pid_t tid, int sig, enum sig_action action, uint64_t t);
/* A signal that interrupted tid's call is not delivered (hold.c): the
 * kernel restarts the call, which the timeline shows as one call. */
void keep_interrupted_call(struct tracer *tr, pid_t tid, uint64_t t);
/* tid's call (if any) will never return: it died ("killed" by a signal;
 * "exited": its process ended), another thread's exec ended it ("exec"),
 * or the tracer let go of it ("detached"). Say so, with what it was. */
void end_calls(struct tracer *tr, pid_t tid, const char *why, uint64_t t);
/* The same for every call still in flight. */
void end_all_calls(struct tracer *tr, const char *why, uint64_t t);
/* Free every call still in flight, unsaid. */
void forget_all_calls(struct tracer *tr);

/* sleep.c: did the task sleep in its call (the kernel's counts)? */
void sleep_count_entry(struct tracer *tr, struct call *c);
void sleep_check(struct call *c);
/* sleep_check for every call in flight in process pid (0: in all), while
 * the tasks are still there to ask: before they are killed. */
void sleep_check_process(struct tracer *tr, pid_t pid);

/* exec_stops.c: an exec under way (see its top). */
int is_exec_call(long nr);
struct next stop_exec_entry(struct tracer *tr, pid_t tid);
/* The thread of pid whose exec is under way, or 0. */
pid_t exec_under_way(const struct tracer *tr, pid_t pid);
/* The exec's event came; a thread it ended was reported; it failed in
 * thread tid (its return); the trace is over. */
void exec_done(struct tracer *tr, pid_t pid);
void exec_ended_thread(struct tracer *tr, pid_t pid);
void exec_failed(struct tracer *tr, pid_t tid);
void exec_forget_all(struct tracer *tr);

/* foreign_calls.c: calls of another architecture (see its top). */
int is_foreign_call(uint32_t arch, long nr);
struct next stop_foreign_call(struct tracer *tr, pid_t tid, uint32_t arch, long nr, uint64_t t);
void foreign_forget(struct tracer *tr, pid_t pid);

/* libcalls.c: the preloaded hook's reports of library calls. */
int is_libcall_marker(long nr, const uint64_t *args);
struct next stop_libcall(struct tracer *tr, pid_t tid, const uint64_t *args, uint64_t t);
/* A thread's death was reported: finish a pthread_join that waited for it. */
void libcall_thread_gone(struct tracer *tr, pid_t thread, uint64_t t);

/* process_events.c */
struct next stop_spawn(struct tracer *tr, pid_t tid, uint64_t t);
struct next stop_exec(struct tracer *tr, pid_t tid, uint64_t t);
struct rusage;
/* A death that wait4 reported; ru: what it said of the CPU time (or NULL). */
struct next stop_death(struct tracer *tr, pid_t tid, int status, const struct rusage *ru, uint64_t t);

/* signal_stops.c and delivery.c */
struct next stop_signal(struct tracer *tr, pid_t tid, int sig, uint64_t t);
struct next stop_group(struct tracer *tr, pid_t tid, int sig, uint64_t t);
/* A signal reaches tid: emit it and tell the model. */
void signal_delivered(struct tracer *tr, pid_t tid, const siginfo_t *si, uint64_t t);

/* untraced.c: a clone asking for CLONE_UNTRACED is made to trace its child. */
int untraced_filter_rules(void *seccomp_ctx);   /* the filter's rules for it */
int is_clone_entry(long nr, const uint64_t *args);
struct next stop_clone_entry(struct tracer *tr, pid_t tid, long nr, const uint64_t *args);
/* A call of another architecture: the same for the i386 clone and clone3. */
struct next untraced_foreign_entry(struct tracer *tr, pid_t tid, uint32_t arch, long nr);
/* At tid's fork/clone event: CLONE_UNTRACED if its call nr asked for it
 * (the tracer took it out), else 0. */
uint64_t untraced_asked(const struct tracer *tr, pid_t tid, long nr);
/* tid's call returned: put the program's flags back. */
void untraced_return(struct tracer *tr, pid_t tid);
void untraced_gone(struct tracer *tr, pid_t tid);   /* tid died */
void untraced_free(struct tracer *tr);

/* spawn_time.c: how long each spawn took (see its top). */
int spawn_time_filter_rules(void *ctx);
int is_spawn_call(long nr);
void spawn_time_entry(struct tracer *tr, pid_t tid);
/* The CPU time tid ran from its spawning call's entry to its fork event
 * (now), in ns, or -1 when its entry was not seen. */
int64_t spawn_time_took(struct tracer *tr, pid_t tid);
void spawn_time_gone(struct tracer *tr, pid_t tid);   /* tid died */

/* hold.c: the race arranger (see its top). */
/* At a SIGCHLD's delivery stop: 1 when it is held (the task goes on
 * without it); 0 when it is delivered, with *si as it must be delivered. */
int hold_sigchld(struct tracer *tr, pid_t tid, pid_t pid, siginfo_t *si, uint64_t t);
/* tid stopped (a call, a fork): its process is not quiet. */
void hold_activity(struct tracer *tr, pid_t tid, uint64_t t);
/* A child of parent exited; process pid ended (a held SIGCHLD is dropped). */
void hold_child_exited(struct tracer *tr, pid_t parent, uint64_t t);
void hold_process_ended(struct tracer *tr, pid_t pid, uint64_t t);
/* Between stops: send the held SIGCHLDs whose time has come. */
void hold_tick(struct tracer *tr, uint64_t t);
/* Detaching: every held SIGCHLD goes with its task. */
void hold_detach(struct tracer *tr, uint64_t t);
void hold_free(struct tracer *tr);

#endif
