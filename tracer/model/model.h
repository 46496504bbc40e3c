/*
 * model.h - the processes and threads of a trace, and their states.
 *
 * Plain C with no ptrace in it: the loop tells the model what the kernel
 * reported (a spawn, an exec, a death, a wait that returned a child, a
 * sigaction), and the model works out the rest (zombies, reaps, orphans,
 * lifetimes) and emits it as events. Its structures are its own (see
 * model_int.h): other files ask through the functions below. tests/unit
 * drives it with made-up event sequences.
 */
#ifndef TRACELAB_MODEL_H
#define TRACELAB_MODEL_H

#include <stdint.h>
#include <sys/types.h>
#include "common/names.h"
#include "event/event.h"

struct model;

enum tstate { T_NEW, T_RUNNING, T_BLOCKED, T_STOPPED, T_EXITED, T_ZOMBIE, T_REAPED };
extern const char *const tstate_name[];

/* What a process set for a signal with sigaction() or signal(). */
enum disp { D_DFL, D_IGN, D_HANDLER };
extern const char *const disp_name[];   /* "default", "ignore", "handler" */

/* What a delivered signal does to its receiver (its "action" in the trace). */
enum sig_action { ACT_HANDLER, ACT_IGNORE, ACT_CONTINUE, ACT_STOP, ACT_KILL, ACT_CORE,
		  ACT_DISCARD /* a stop signal dropped: the receiver's group is orphaned */ };
extern const char *const sig_action_name[];
/* Does the action end the process? */
#define ACT_FATAL(a) ((a) == ACT_KILL || (a) == ACT_CORE)

struct model *model_new(struct stream *out, pid_t tracer_pid);
void model_free(struct model *m);

/* ---- what the loop tells the model ---- */

/* The first traced process: its parent is the tracer, or (attached) a
 * process outside the trace. */
void model_root(struct model *m, uint64_t t, pid_t pid, const char *name, int attached);
/* A thread found when attaching to a running process. */
void model_attach_thread(struct model *m, uint64_t t, pid_t pid, pid_t tid);
/* parent_tid created child (a process, or a thread of the same process). */
/* took_ns: how long the spawning call took until now (--time-spawns), or -1. */
void model_spawn(struct model *m, uint64_t t, pid_t parent_tid, pid_t child,
		 int thread, const char *call, const char *syscall, const char *flags, int64_t took_ns);
/* The same for a call that asked for CLONE_UNTRACED (in flags), which the
 * tracer took out so that the child is traced all the same. */
void model_spawn_untraced(struct model *m, uint64_t t, pid_t parent_tid, pid_t child,
			  int thread, const char *call, const char *syscall, const char *flags,
			  int64_t took_ns);
/* A process whose creator died before the kernel reported its fork, and
 * which has already been re-parented to the tracer: known from now on as
 * an orphan the tracer adopted (spawn event from the tracer's pid, syscall
 * "unreported"). */
void model_orphan(struct model *m, uint64_t t, pid_t pid, const char *name);
/* A process (or a thread) that escaped the trace (made untraced), found
 * now as a child of task parent_tid (a thread: in parent_tid's process),
 * or, a process, as the tracer's orphan (parent_tid 0, or a task gone);
 * it is traced from now on. Its spawn says syscall "unreported", untraced
 * "escaped"; name: its program (NULL: its parent's). */
void model_escaped(struct model *m, uint64_t t, pid_t parent_tid, pid_t child, const char *name,
		   int thread);
/* child was made with CLONE_PARENT: its parent is its creator's parent,
 * who gets its SIGCHLD and reaps it (the creator stays its creator). */
void model_clone_parent(struct model *m, pid_t child);
/* The thread tid's pthread_t lives just below handle (seen at clone3). */
void model_thread_handle(struct model *m, pid_t pid, pid_t tid, uint64_t handle);
/* pthread_join / pthread_detach on thread tid of process pid. */
void model_thread_joined(struct model *m, pid_t pid, pid_t tid);
void model_thread_detached(struct model *m, pid_t pid, pid_t tid);
/* The preloaded hook says the program's own code starts in tid's process
 * (the dynamic loader is done): a "start" event, and from now on its
 * library calls are reported, until its next exec. */
void model_started(struct model *m, uint64_t t, pid_t tid);
/* tid ran execve; old_tid != tid when a non-main thread did it. */
/* dynamic: the program has a dynamic loader (1), is statically linked (0),
 * or nobody knows (-1). */
void model_exec(struct model *m, uint64_t t, pid_t tid, pid_t old_tid,
		const char *path, const char *const *argv, int argc, int dynamic);
/* pid's parent has died, though its death is not reported yet: pid now
 * belongs to the tracer, which reaps it with the report of its exit. */
void model_reparent(struct model *m, pid_t pid);
/* Process pid, dead, used user_us and sys_us of CPU with the children
 * it reaped (wait4's rusage, the kernel's RUSAGE_BOTH); before its
 * model_death, which says its own share. */
void model_cpu(struct model *m, pid_t pid, int64_t user_us, int64_t sys_us);
/* The kernel reported tid dead (a wait status with WIFEXITED/WIFSIGNALED). */
void model_death(struct model *m, uint64_t t, pid_t tid, int status);
/* Thread tid was ended by thread exec_by's exec (the kernel reports it as
 * exit(0)): it is neither an exit nor a thread left unjoined. */
void model_ended_by_exec(struct model *m, uint64_t t, pid_t tid, pid_t exec_by);
/* The tracer let go of tid (Ctrl-C after -p): it lives on, untraced. */
void model_detach(struct model *m, pid_t tid);
/* tid has slept in call since t (known when the call ends or the task
 * dies in it); tid woke at t. The state event that ends the spell says
 * since when, and in what call: call must outlive the model (a constant). */
void model_block(struct model *m, uint64_t t, pid_t tid, const char *call);
void model_unblock(struct model *m, uint64_t t, pid_t tid);
/* tid stopped (group stop) or was continued. */
void model_stopped(struct model *m, uint64_t t, pid_t tid);
void model_continued(struct model *m, uint64_t t, pid_t tid);
/* A wait call by tid returned child with status; options as passed. */
void model_waited(struct model *m, uint64_t t, pid_t tid, pid_t child, int status, int options);
/* Process pid set the disposition of sig. */
void model_sigaction(struct model *m, pid_t pid, int sig, enum disp kind, uint32_t flags);
/* A signal was delivered to tid (counted for the summary). */
void model_delivered(struct model *m, pid_t tid, int sig);
/* tid entered a signal handler, or returned from one (rt_sigreturn). */
void model_handler(struct model *m, pid_t tid, int delta);
/* The tracer is killing the tree: what dies now is no leak of the program's. */
void model_ending(struct model *m);
/* The trace is over: anything still a zombie is leaked. */
void model_end(struct model *m);

/* ---- what the loop and the lab runner ask ---- */

/* The process of a live traced task, or 0 when tid is not traced. */
pid_t model_pid_of(const struct model *m, pid_t tid);
/* Live traced tasks (threads included) and processes. */
int model_live_tasks(const struct model *m);
int model_live_processes(const struct model *m);
/* Call fn for every live task / every live process. fn may not change the model. */
void model_each_task(const struct model *m, void (*fn)(pid_t tid, void *ctx), void *ctx);
void model_each_live_process(const struct model *m, void (*fn)(pid_t pid, void *ctx), void *ctx);
/* The parent of pid as the model knows it: 0 for the tracer, -1 when
 * outside the trace or unknown. */
pid_t model_parent(const struct model *m, pid_t pid);
/* Has pid's death been reported? */
int model_has_exited(const struct model *m, pid_t pid);
enum tstate model_state(const struct model *m, pid_t pid);
/* The thread of process pid whose pthread_t is the value pthread, or 0. */
pid_t model_thread_by_pthread(const struct model *m, pid_t pid, uint64_t pthread);
/* Does pid's program have the preloaded hook (model_started)? */
int model_has_hook(const struct model *m, pid_t pid);
/* What pid will do with sig, and whether its handler asked for SA_RESTART. */
enum sig_action model_sig_action(const struct model *m, pid_t pid, int sig);
int model_sig_restarts(const struct model *m, pid_t pid, int sig);
/* What pid's sigaction() set for sig: SIG_DFL, SIG_IGN or a handler. */
enum disp model_sig_disp(const struct model *m, pid_t pid, int sig);
/* Does the kernel reap pid's children itself (its SIGCHLD is SIG_IGN or
 * has SA_NOCLDWAIT), so that they are never zombies? */
int model_auto_reaps(const struct model *m, pid_t pid);
/* How many signal handlers tid is running now (nested: more than one). */
int model_in_handler(const struct model *m, pid_t tid);
/* Add "in_handler" to an event of a task that is running a signal
 * handler now (the events of its handler's calls). */
void model_mark_handler(const struct model *m, struct event *e);
/* Call fn for each child of pid that is a zombie now. fn may not change the model. */
void model_each_zombie_child(const struct model *m, pid_t pid, void (*fn)(pid_t child, void *ctx), void *ctx);
/* The wait status pid exited with (once it has). */
int model_exit_status(const struct model *m, pid_t pid);
/* Children of pid that have not exited yet. */
int model_live_children(const struct model *m, pid_t pid);
/* Live threads of process pid, its main thread included. */
int model_live_threads(const struct model *m, pid_t pid);
/* Is pid done with its work for now: no live child, no SIGCHLD on its
 * way, no handler running, no thread but main? (The lab runner stops a
 * server only then, so that no lesson is cut short.) */
int model_quiet(const struct model *m, pid_t pid);

/* ---- the end ---- */

/* Add what the summary says of the processes to fs: processes, threads,
 * signals (every kind), zombies, never_joined (null without the hook
 * that sees joins), and the tree. See docs/trace-format.md. */
void model_summarize(const struct model *m, struct fields *fs, int joins_seen);

#endif
