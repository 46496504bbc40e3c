/*
 * model_int.h - the model's own structures, shared by the files of
 * model/ and by nobody else (other files use model.h).
 */
#ifndef TRACELAB_MODEL_INT_H
#define TRACELAB_MODEL_INT_H

#include <limits.h>
#include "common/idmap.h"
#include "model/model.h"

/* What a process set for one signal. */
struct sigdisp {
	uint8_t kind;     /* enum disp */
	uint32_t flags;   /* SA_* */
};

/* A thread as the summary remembers it, after it is gone too. */
struct thread_rec {
	pid_t tid;
	uint64_t handle;          /* where its pthread_t points near (clone3's parent_tid) */
	uint8_t joined, detached, exited;
};

struct proc {
	pid_t pid, ppid;          /* ppid 0: the tracer is the parent; -1: outside the trace */
	pid_t spawned_by;         /* the pid that created it (ppid may change) */
	enum tstate state;        /* T_RUNNING, T_ZOMBIE or T_REAPED */
	int depth;                /* in the tree, for indentation */
	int adopted;              /* its parent died; the tracer adopted it */
	int escaped;              /* made untraced; traced only once found (model_escaped) */
	int leaked;               /* exited while its parent lived, never reaped */
	int exit_status;          /* the raw wait status, once exited */
	int exited;
	int exec_seen;            /* it has run execve at least once */
	int hooked;               /* its program has the preloaded hook (it said so at its start) */
	uint64_t t_exit;
	char name[NAME_MAX + 1];  /* basename of argv[0]: a file's name, never longer */
	const char *call;         /* fork, vfork, posix_spawn, ... */
	struct sigdisp *sig;      /* [SIG_SLOTS]; NULL while every signal is SIG_DFL */
	int nthreads;             /* threads created, main thread not counted */
	int live_threads;         /* main thread included */
	int sigchld_pending;      /* a child died; its SIGCHLD is not delivered yet */
	struct thread_rec *thr;   /* threads not yet forgotten (model_threads.c) */
	int nthr, capthr;
	struct proc *next_all, *prev_all;  /* every process kept, in creation order */
	int kids;                 /* children of it still kept in that list */
	/* CPU time (model_cpu.c), in us: what the kernel said at its death
	 * (its own and its reaped children's), and those children's share */
	int cpu_known;
	int64_t cpu_user_us, cpu_sys_us;
	int64_t kids_user_us, kids_sys_us;
	int pruned;               /* children reaped and forgotten (see prune) */
};

struct task {
	pid_t tid, pid;
	enum tstate state;
	int in_handler;           /* signal handlers running, nested */
	/* while state is T_BLOCKED: since when, and in what call; said by the
	 * event that ends the spell (see model_block) */
	uint64_t blocked_since;
	const char *blocked_call;
};

struct model {
	struct idmap tasks;       /* tid -> struct task, live ones only */
	struct idmap procs;       /* pid -> struct proc, those kept */
	struct proc *first, *last;
	struct stream *out;
	pid_t tracer_pid;
	pid_t root;
	int live_procs;           /* processes not yet exited */
	/* counts for the summary */
	int processes, threads;
	int escaped;              /* processes and threads made untraced, found later */
	int zombies_now, zombies_max, zombies_transient, zombies_auto, zombies_adopted;
	int signals[SIG_SLOTS];
	int ending;               /* the tracer is killing the tree: no new leaks */
	/* the event being built */
	struct event ev;
	struct arena arena;
};

struct task *task_of(const struct model *m, pid_t tid);
struct proc *proc_of(const struct model *m, pid_t pid);
/* Start an event in m->ev; emit it with model_emit. */
struct event *model_event(struct model *m, enum ev_type type, uint64_t t, pid_t pid, pid_t tid);
void model_emit(struct model *m);

/* model_life.c: a task went from one state to another; leaving
 * T_BLOCKED, k (the task, or NULL) says since when and in what call. */
void model_state_event(struct model *m, uint64_t t, pid_t pid, pid_t tid,
		       enum tstate from, enum tstate to, const struct task *k);
/* model_cpu.c */
void cpu_reaped(struct proc *by, const struct proc *child);
void cpu_fields(const struct proc *p, struct fields *fs);
/* model_threads.c */
void threads_add(struct proc *p, pid_t tid);
void threads_exited(struct proc *p, pid_t tid);
/* model_signals.c */
void signals_inherit(struct proc *child, const struct proc *parent);
void signals_exec(struct proc *p);
int signals_auto_reap(const struct proc *parent);
int signals_ignored(const struct proc *p, int sig);

#endif
