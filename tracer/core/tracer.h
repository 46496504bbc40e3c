/*
 * tracer.h - the tracer's state while it runs, shared by the files of
 * core/ (the loop and its stop handlers) and by nobody else.
 */
#ifndef TRACELAB_TRACER_H
#define TRACELAB_TRACER_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include "common/idmap.h"
#include "core/cgroup_join.h"
#include "core/ctrl_c.h"
#include "core/run_as.h"
#include "core/loop.h"
#include "core/park.h"
#include "event/event.h"
#include "model/model.h"

struct lab_words;

struct tracer {
	struct model *m;
	struct stream *out;
	struct arena arena;        /* for the events the core builds itself */
	struct event ev;
	uint64_t t0;               /* CLOCK_MONOTONIC at the start, in ns */
	int classes;
	int seccomp;               /* 0 when attached: every syscall stops */
	int attached;
	pid_t root;
	struct idmap calls;        /* tid -> struct call waiting for its return */
	struct idmap interrupted;  /* tid -> struct call ended by -ERESTART*, until the signal */
	struct idmap execing;      /* pid -> the tid whose exec is under way (exec_stops.c) */
	struct idmap foreign_noted; /* pids said to make calls of another architecture */
	struct parking parking;    /* tasks kept stopped on purpose (park.h) */
	struct idmap untraced;     /* tid -> its clone whose CLONE_UNTRACED was taken out (untraced.c) */
	uint64_t escapes_next;     /* when escapes.c looks for untraced processes next */
	struct idmap clone3_makers; /* tid -> its pid: it called clone3, so a child may have escaped
				      (untraced.c keeps it, escapes.c reads it) */
	int untraceable_killed;    /* processes found untraced that could not be traced: killed */
	struct idmap holds;        /* pid -> its SIGCHLD hold (hold.c) */
	struct wake_timer hold_timer; /* wakes the loop when a held SIGCHLD may go */
	int hold_sigchld;
	int time_spawns;           /* --time-spawns: each spawn says how long it took (spawn_time.c) */
	struct idmap spawn_entries; /* tid -> when its spawning call entered, plus one (spawn_time.c) */
	int show_calls;            /* a renderer shows syscall lines (not -q alone) */
	int max_procs, max_mem_mb; /* limits for untrusted programs (0: none) */
	struct run_as run_as;      /* --user: whom the started program runs as */
	struct cgroups cgroups;    /* --cgroup: where the started program runs */
	const char *limit;         /* which limit ended the trace, or NULL */
	struct loop_hooks hooks;   /* the lab runner beside the loop, if any */
	/* for the header, the first event */
	char *const *argv;         /* the command (NULL when attached) */
	const char *lab_name;      /* the lab, or NULL */
	const char *lab_lesson;    /* its lab.conf's lesson, or NULL */
	const struct lab_words *lab_words;   /* its lesson and questions in other languages */
	int nlab_words;
	const struct prediction *predictions;   /* --predict: the answers given */
	int npredictions;
	const char *preload;       /* the hook to preload (CLS_HOOK), or NULL */
	int root_status;           /* the root's wait status */
	int root_done;
	int killing;               /* the tree is being killed */
	int kill_wanted;           /* a limit was passed where the tree cannot be killed: the loop does it */
	int detaching;
	int timed_out;
	struct ctrl_c ctrl_c;      /* Ctrl-C, SIGTERM, SIGHUP: what came, what was done */
	int lost;                  /* stops the tracer could not read */
};

/* How every traced task is seized: stops for fork, clone, exec, seccomp. */
#define TRACE_OPTIONS (PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | \
		       PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACESECCOMP)

/* Seize a task of the started command's tree found running untraced
 * (escapes.c), as the command was: 0, or -1 with errno. */
int tracer_seize_found(pid_t tid);
/* ns since the trace started. */
uint64_t tracer_now(const struct tracer *tr);
/* Start an event of the core's own (its fields live in tr->arena); emit it. */
struct event *tracer_event(struct tracer *tr, enum ev_type type, uint64_t t, pid_t pid, pid_t tid);
void tracer_emit(struct tracer *tr);
/* The root's pid is known: emit the header (the first event) and tell
 * the model (header.c). name: the root's program. */
void tracer_started(struct tracer *tr, const char *name);
/* SIGKILL every traced process (and the lab's helpers): kill_tree.c. */
void tracer_kill_tree(struct tracer *tr);

/* escapes.c: processes that escaped the trace, found in /proc, traced from then on. */
void escapes_find(struct tracer *tr, uint64_t t);
/* From the loop: after each stop (a look now and then), and before it
 * waits (a look when no traced task is left). */
void escapes_tick(struct tracer *tr, uint64_t t);
void escapes_before_wait(struct tracer *tr);
/* Process pid enters a wait call (a look if its threads called clone3). */
void escapes_before_reap(struct tracer *tr, pid_t pid, uint64_t t);

#endif
