/*
 * model_life.c - who made whom, and who is in which state: spawns (fork,
 * threads, orphans found, escapes), exec, and the states a live task goes
 * through (blocked, stopped). How tasks end and who reaps them is in
 * model_death.c.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "common/utf8.h"
#include "model/model_int.h"

const char *const tstate_name[] = {
	[T_NEW] = "new", [T_RUNNING] = "running", [T_BLOCKED] = "blocked",
	[T_STOPPED] = "stopped", [T_EXITED] = "exited", [T_ZOMBIE] = "zombie",
	[T_REAPED] = "reaped",
};

static const char *basename_of(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	return slash ? slash + 1 : path ? path : "?";
}

static void set_name(struct proc *p, const char *path)
{
	utf8_snprintf(p->name, sizeof p->name, "%s", basename_of(path));
}

/* A task went from one state to another. Leaving T_BLOCKED, the event
 * also says since when it was blocked, and in what call. */
void model_state_event(struct model *m, uint64_t t, pid_t pid, pid_t tid,
		       enum tstate from, enum tstate to, const struct task *k)
{
	struct event *e = model_event(m, EV_STATE, t, pid, tid);
	fs_str(&e->f, "from", tstate_name[from]);
	fs_str(&e->f, "to", tstate_name[to]);
	if (from == T_BLOCKED && k) {
		fs_str(&e->f, "call", k->blocked_call);
		fs_int(&e->f, "since", (int64_t)k->blocked_since);
	}
	model_emit(m);
}

static void emit_state(struct model *m, uint64_t t, pid_t pid, pid_t tid, enum tstate from, enum tstate to)
{
	model_state_event(m, t, pid, tid, from, to, NULL);
}

/* A task's state changes from one of the states in `from` (a bit per
 * enum tstate) to `to`; from any other state nothing happens. */
#define FROM(st) (1u << (st))
#define FROM_ANY_BUT(st) (~FROM(st))

static void change_state(struct model *m, uint64_t t, pid_t tid, unsigned from, enum tstate to)
{
	struct task *k = task_of(m, tid);
	if (!k || !(from & FROM(k->state)))
		return;
	model_state_event(m, t, k->pid, tid, k->state, to, k);
	k->state = to;
}

static struct task *new_task(struct model *m, uint64_t t, pid_t pid, pid_t tid)
{
	struct task *k = calloc(1, sizeof *k);
	if (!k)
		return NULL;
	k->tid = tid;
	k->pid = pid;
	k->state = T_RUNNING;
	idmap_put(&m->tasks, tid, k);
	emit_state(m, t, pid, tid, T_NEW, T_RUNNING);
	return k;
}

static struct proc *new_proc(struct model *m, pid_t pid, pid_t ppid)
{
	struct proc *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->pid = pid;
	p->ppid = ppid;
	p->spawned_by = ppid;
	p->state = T_RUNNING;
	p->live_threads = 1;
	idmap_put(&m->procs, pid, p);
	p->prev_all = m->last;
	if (m->last)
		m->last->next_all = p;
	else
		m->first = p;
	m->last = p;
	m->processes++;
	m->live_procs++;
	return p;
}

void model_root(struct model *m, uint64_t t, pid_t pid, const char *name, int attached)
{
	struct proc *p = new_proc(m, pid, attached ? -1 : 0);
	if (!p)
		return;
	set_name(p, name);
	p->call = "exec";
	m->root = pid;
	new_task(m, t, pid, pid);
}

void model_attach_thread(struct model *m, uint64_t t, pid_t pid, pid_t tid)
{
	struct proc *p = proc_of(m, pid);
	if (!p || task_of(m, tid))
		return;
	p->live_threads++;
	new_task(m, t, pid, tid);
}

/* untraced: NULL, or what became of a CLONE_UNTRACED (the event's
 * "untraced"); name: the child's program, NULL for its parent's. */
static void spawn(struct model *m, uint64_t t, pid_t parent_tid, pid_t child, int thread,
		  const char *call, const char *syscall, const char *flags, const char *untraced,
		  const char *name, int64_t took_ns)
{
	struct task *pt = task_of(m, parent_tid);
	if (!pt || task_of(m, child))
		return;
	struct proc *pp = proc_of(m, pt->pid);
	int depth = pp ? pp->depth + !thread : 0;
	if (!name)
		name = pp ? pp->name : "?";

	struct event *e = model_event(m, EV_SPAWN, t, pt->pid, parent_tid);
	fs_int(&e->f, "child", child);
	fs_str(&e->f, "kind", thread ? "thread" : "process");
	fs_str(&e->f, "call", call);
	fs_str(&e->f, "syscall", syscall);
	fs_names(&e->f, "flags", flags ? flags : "");
	fs_str(&e->f, "name", name);
	fs_int(&e->f, "depth", depth);
	if (untraced)
		fs_str(&e->f, "untraced", untraced);
	if (took_ns >= 0)
		fs_int(&e->f, "took_ns", took_ns);
	model_emit(m);
	m->escaped += untraced && strcmp(untraced, "escaped") == 0;

	if (thread) {
		if (pp) {
			pp->nthreads++;
			pp->live_threads++;
			threads_add(pp, child);
		}
		m->threads++;
		new_task(m, t, pt->pid, child);
		return;
	}
	struct proc *cp = new_proc(m, child, pt->pid);
	if (!cp)
		return;
	if (pp) {
		signals_inherit(cp, pp);   /* fork copies dispositions */
		cp->hooked = pp->hooked;   /* and the program, hook and all */
		pp->kids++;
	}
	utf8_snprintf(cp->name, sizeof cp->name, "%s", name);   /* a name as it is, not a path */
	cp->depth = depth;
	cp->call = call;
	cp->escaped = untraced && strcmp(untraced, "escaped") == 0;
	new_task(m, t, child, child);
}

void model_spawn(struct model *m, uint64_t t, pid_t parent_tid, pid_t child,
		 int thread, const char *call, const char *syscall, const char *flags, int64_t took_ns)
{
	spawn(m, t, parent_tid, child, thread, call, syscall, flags, NULL, NULL, took_ns);
}

void model_spawn_untraced(struct model *m, uint64_t t, pid_t parent_tid, pid_t child,
			  int thread, const char *call, const char *syscall, const char *flags,
			  int64_t took_ns)
{
	spawn(m, t, parent_tid, child, thread, call, syscall, flags, "cleared", NULL, took_ns);
}

/* A process known only now, already the tracer's (see model_orphan). */
static void adopt(struct model *m, uint64_t t, pid_t pid, const char *name, const char *call,
		  const char *untraced)
{
	if (task_of(m, pid))
		return;
	struct proc *p = new_proc(m, pid, 0);   /* the tracer's now, as init's would be */
	if (!p)
		return;
	set_name(p, name);
	p->adopted = 1;
	p->spawned_by = 0;
	p->call = call;
	p->depth = 1;
	p->escaped = untraced != NULL;
	struct event *e = model_event(m, EV_SPAWN, t, m->tracer_pid, m->tracer_pid);
	fs_int(&e->f, "child", pid);
	fs_str(&e->f, "kind", "process");
	fs_str(&e->f, "call", call);
	fs_str(&e->f, "syscall", "unreported");
	fs_names(&e->f, "flags", "");
	fs_str(&e->f, "name", p->name);
	fs_int(&e->f, "depth", p->depth);
	if (untraced)
		fs_str(&e->f, "untraced", untraced);
	model_emit(m);
	m->escaped += untraced != NULL;
	new_task(m, t, pid, pid);
}

void model_orphan(struct model *m, uint64_t t, pid_t pid, const char *name)
{
	adopt(m, t, pid, name, "fork", NULL);
}

/* Made untraced, so by a clone: which call, and with what flags, is not known. */
#define ESCAPED_CALL "clone"

void model_escaped(struct model *m, uint64_t t, pid_t parent_tid, pid_t child, const char *name, int thread)
{
	if (parent_tid && task_of(m, parent_tid))
		spawn(m, t, parent_tid, child, thread, ESCAPED_CALL, "unreported", "",
		      "escaped", name, -1);
	else if (!thread)
		adopt(m, t, child, name ? name : "?", ESCAPED_CALL, "escaped");
}

void model_clone_parent(struct model *m, pid_t child)
{
	struct proc *c = proc_of(m, child), *creator = c ? proc_of(m, c->spawned_by) : NULL;
	if (c && creator && c->state == T_RUNNING)
		c->ppid = creator->ppid;
}

/* system() is posix_spawn() of "sh -c": the same clone3 to the kernel;
 * the exec that follows tells them apart. */
static int runs_shell_command(const char *const *argv, int argc)
{
	return argc >= 2 && strcmp(argv[1], "-c") == 0 &&
	       (strcmp(argv[0], "sh") == 0 || strcmp(argv[0], "/bin/sh") == 0);
}

void model_exec(struct model *m, uint64_t t, pid_t tid, pid_t old_tid,
		const char *path, const char *const *argv, int argc, int dynamic)
{
	struct task *k = task_of(m, tid);
	struct proc *p = proc_of(m, k ? k->pid : tid);
	if (!p)
		return;
	if (old_tid && old_tid != tid) {
		/* A thread that was not the main one ran execve: it takes over the
		 * pid, the old main thread is gone without an exit of its own. */
		struct task *old = idmap_del(&m->tasks, old_tid);
		if (old) {
			free(old);
			p->live_threads--;
		}
		/* The main thread's record goes on as the thread that exec'd:
		 * whatever the old main thread slept in, it sleeps no more. */
		change_state(m, t, tid, FROM(T_BLOCKED), T_RUNNING);
		model_thread_detached(m, p->pid, old_tid);   /* it lives on as the main thread */
		threads_exited(p, old_tid);
	}
	signals_exec(p);
	p->hooked = 0;   /* until the new program's hook says it starts */
	set_name(p, path);
	if (p->call && strcmp(p->call, "posix_spawn") == 0 && !p->exec_seen &&
	    runs_shell_command(argv, argc))
		p->call = "system";
	p->exec_seen = 1;

	struct event *e = model_event(m, EV_EXEC, t, p->pid, tid);
	fs_str(&e->f, "path", path ? path : "?");
	fs_strs(&e->f, "argv", argv, argc);
	if (old_tid && old_tid != tid)
		fs_int(&e->f, "old_tid", old_tid);
	fs_str(&e->f, "name", p->name);
	if (dynamic >= 0)
		fs_bool(&e->f, "dynamic", dynamic);
	model_emit(m);
}

/* Whether a task slept is known only when its call ends (sleep.c), so
 * entering T_BLOCKED emits nothing: the event that leaves it says since
 * when, and the events stay in time order. */
void model_block(struct model *m, uint64_t t, pid_t tid, const char *call)
{
	struct task *k = task_of(m, tid);
	if (!k || k->state != T_RUNNING)
		return;
	k->state = T_BLOCKED;
	k->blocked_since = t;
	k->blocked_call = call;
}

void model_unblock(struct model *m, uint64_t t, pid_t tid)
{
	change_state(m, t, tid, FROM(T_BLOCKED), T_RUNNING);
}

void model_stopped(struct model *m, uint64_t t, pid_t tid)
{
	change_state(m, t, tid, FROM_ANY_BUT(T_STOPPED), T_STOPPED);
}

void model_continued(struct model *m, uint64_t t, pid_t tid)
{
	change_state(m, t, tid, FROM(T_STOPPED), T_RUNNING);
}
