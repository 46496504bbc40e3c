/*
 * model.h - the processes and threads of a trace, and their states.
 *
 * Plain C with no ptrace in it: the loop tells the model what the kernel
 * reported (a spawn, an exec, a death, a wait that returned a child, a
 * sigaction), and the model works out the rest (zombies, reaps, orphans,
 * lifetimes) and emits it as events. tests/unit drives it with made-up
 * event sequences.
 */
#ifndef TRACELAB_MODEL_H
#define TRACELAB_MODEL_H

#include <stdint.h>
#include <sys/types.h>
#include "event/event.h"
#include "common/idmap.h"

enum tstate { T_NEW, T_RUNNING, T_BLOCKED, T_STOPPED, T_EXITED, T_ZOMBIE, T_REAPED };
extern const char *const tstate_name[];

/* What a process does with a signal, as far as the model needs to know. */
enum disp { D_DFL, D_IGN, D_HANDLER };
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
	pid_t pid, ppid;          /* ppid 0: the tracer is the parent */
	pid_t spawned_by;         /* the pid that created it (ppid may change) */
	enum tstate state;        /* T_RUNNING, T_ZOMBIE or T_REAPED */
	int depth;                /* in the tree, for indentation */
	int adopted;              /* its parent died; the tracer adopted it */
	int leaked;               /* exited while its parent lived, never reaped */
	int exit_status;          /* the raw wait status, once exited */
	int exited;
	int exec_seen;            /* it has run execve at least once */
	uint64_t t_exit;
	char name[32];            /* basename of argv[0] */
	const char *call;         /* fork, vfork, posix_spawn, ... */
	struct sigdisp *sig;      /* [65]; NULL while every signal is SIG_DFL */
	int nthreads;             /* threads created, main thread not counted */
	int live_threads;         /* main thread included */
	int sigchld_pending;      /* a child died; its SIGCHLD is not delivered yet */
	struct thread_rec *thr;   /* every thread it created */
	int nthr, capthr;
	struct proc *next_all, *prev_all;  /* every process kept, in creation order */
	int kids;                 /* children of it still kept in that list */
	int pruned;               /* children reaped and forgotten (see prune) */
};

struct task {
	pid_t tid, pid;
	enum tstate state;
	const char *blocked_in;   /* the call it is blocked in */
	int in_handler;           /* signal handlers running, nested */
};

struct model {
	struct idmap tasks;       /* tid -> struct task, live ones only */
	struct idmap procs;       /* pid -> struct proc, all */
	struct proc *first, *last;
	struct stream *out;
	pid_t tracer_pid;
	pid_t root;
	/* counts for the summary */
	int processes, threads;
	int zombies_now, zombies_max, zombies_transient, zombies_auto, zombies_adopted;
	int signals[65];
	int ending;               /* the tracer is killing the tree: no new leaks */
};

struct model *model_new(struct stream *out, pid_t tracer_pid);
void model_free(struct model *m);

struct task *model_task(const struct model *m, pid_t tid);
struct proc *model_proc(const struct model *m, pid_t pid);

/* The first traced process: its parent is the tracer (or unknown, attached). */
void model_root(struct model *m, uint64_t t, pid_t pid, const char *name);
/* A thread found when attaching to a running process. */
void model_attach_thread(struct model *m, uint64_t t, pid_t pid, pid_t tid);

/* parent_tid created child (a process, or a thread of the same process). */
void model_spawn(struct model *m, uint64_t t, pid_t parent_tid, pid_t child,
		 int thread, const char *call, const char *syscall, const char *flags);

/* The thread tid's pthread_t lives just below handle (seen at clone3). */
void model_thread_handle(struct model *m, pid_t pid, pid_t tid, uint64_t handle);
/* The thread whose pthread_t is the value pthread, or 0. */
pid_t model_thread_by_pthread(const struct model *m, pid_t pid, uint64_t pthread);
/* pthread_join / pthread_detach on thread tid of process pid. */
void model_thread_joined(struct model *m, pid_t pid, pid_t tid);
void model_thread_detached(struct model *m, pid_t pid, pid_t tid);
void model_thread_exited(struct model *m, pid_t pid, pid_t tid);
/* Threads of pid never joined nor detached: up to max tids, returns the count. */
int model_never_joined(const struct model *m, pid_t pid, int *tids, int max);

/* tid ran execve; old_tid != tid when a non-main thread did it. */
void model_exec(struct model *m, uint64_t t, pid_t tid, pid_t old_tid,
		const char *path, const char *const *argv, int argc);

/* pid's parent has died, though its death is not reported yet: pid now
 * belongs to the tracer, which reaps it with the report of its exit. */
void model_reparent(struct model *m, pid_t pid);

/* The kernel reported tid dead (a wait status with WIFEXITED/WIFSIGNALED). */
void model_death(struct model *m, uint64_t t, pid_t tid, int status);

/* The tracer let go of tid (Ctrl-C after -p): it lives on, untraced. */
void model_detach(struct model *m, pid_t tid);

/* tid entered or left a call that may block. */
void model_block(struct model *m, uint64_t t, pid_t tid, const char *call);
void model_unblock(struct model *m, uint64_t t, pid_t tid);

/* tid stopped (group stop) or was continued. */
void model_stopped(struct model *m, uint64_t t, pid_t tid);
void model_continued(struct model *m, uint64_t t, pid_t tid);

/* A wait call by tid returned child with status; options as passed. */
void model_waited(struct model *m, uint64_t t, pid_t tid, pid_t child, int status, int options);

/* Process pid set the disposition of sig. */
void model_sigaction(struct model *m, pid_t pid, int sig, enum disp kind, uint32_t flags);
/* What pid will do with sig: "handler", "ignore", "default", "stop", "kill", "core". */
const char *model_sig_action(const struct model *m, pid_t pid, int sig);
const struct sigdisp *model_sig(const struct model *m, pid_t pid, int sig);
/* A signal was delivered to tid (counted for the summary). */
void model_delivered(struct model *m, pid_t tid, int sig);
/* tid entered a signal handler, or returned from one (rt_sigreturn). */
void model_handler(struct model *m, pid_t tid, int delta);
/* Children of pid that have not exited yet. */
int model_live_children(const struct model *m, pid_t pid);

/* The trace is over: anything still a zombie is leaked. */
void model_end(struct model *m, uint64_t t);

/* Emit an event of the model's own making (also used by the loop). */
void model_emit(struct model *m, struct event *ev);

#endif
