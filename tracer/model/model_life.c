/*
 * model_life.c - who made whom, who is in which state, and who reaped whom.
 *
 * The rules for zombies are those of shared/DESIGN.md:
 *   - a process is a zombie from its exit until its parent reaps it;
 *   - reaped by its parent's wait: normal, the lifetime is reported;
 *   - the parent ignores SIGCHLD or set SA_NOCLDWAIT: auto-reaped, no zombie;
 *   - its parent died first: adopted and reaped by the tracer, as init would;
 *   - it exited while its parent lived, and the parent died or the trace
 *     ended without reaping it: leaked. That is the bug the labs teach.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "model/model_int.h"

const char *const tstate_name[] = {
	[T_NEW] = "new", [T_RUNNING] = "running", [T_BLOCKED] = "blocked",
	[T_STOPPED] = "stopped", [T_EXITED] = "exited", [T_ZOMBIE] = "zombie",
	[T_REAPED] = "reaped",
};

/* How many children of one parent stay listed once reaped; the others
 * are only counted, so that a long run's memory stays flat. */
#define KEEP_CHILDREN 8
/* Children that did not simply exit 0 (killed, failed, adopted, escaped)
 * are kept longer: the summary lists them before the plain ones. Bounded
 * all the same, so that a loop of crashing children keeps memory flat. */
#define KEEP_NOTABLE_CHILDREN 64

static const char *basename_of(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	return slash ? slash + 1 : path ? path : "?";
}

static void set_name(struct proc *p, const char *path)
{
	strncpy(p->name, basename_of(path), sizeof p->name - 1);
	p->name[sizeof p->name - 1] = '\0';
}

/* A task went from one state to another. Leaving T_BLOCKED, the event
 * also says since when it was blocked, and in what call. */
static void emit_state_of(struct model *m, uint64_t t, pid_t pid, pid_t tid,
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
	emit_state_of(m, t, pid, tid, from, to, NULL);
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
	emit_state_of(m, t, k->pid, tid, k->state, to, k);
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
		  const char *name)
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
	size_t len = strnlen(name, sizeof cp->name - 1);   /* a name as it is, not a path */
	memcpy(cp->name, name, len);
	cp->name[len] = '\0';
	cp->depth = depth;
	cp->call = call;
	cp->escaped = untraced && strcmp(untraced, "escaped") == 0;
	new_task(m, t, child, child);
}

void model_spawn(struct model *m, uint64_t t, pid_t parent_tid, pid_t child,
		 int thread, const char *call, const char *syscall, const char *flags)
{
	spawn(m, t, parent_tid, child, thread, call, syscall, flags, NULL, NULL);
}

void model_spawn_untraced(struct model *m, uint64_t t, pid_t parent_tid, pid_t child,
			  int thread, const char *call, const char *syscall, const char *flags)
{
	spawn(m, t, parent_tid, child, thread, call, syscall, flags, "cleared", NULL);
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
		      "escaped", name);
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
		const char *path, const char *const *argv, int argc)
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
	model_emit(m);
}

/* Forget a reaped process nobody needs any more. */
static void prune(struct model *m, struct proc *p)
{
	struct proc *parent = proc_of(m, p->spawned_by);
	int notable = p->adopted || p->escaped ||
		      (p->exited && (WIFSIGNALED(p->exit_status) || WEXITSTATUS(p->exit_status) != 0));
	int keep = notable ? KEEP_NOTABLE_CHILDREN : KEEP_CHILDREN;
	if (p->leaked || p->kids || p->pid == m->root || !parent || parent->kids <= keep)
		return;
	if (p->prev_all)
		p->prev_all->next_all = p->next_all;
	else
		m->first = p->next_all;
	if (p->next_all)
		p->next_all->prev_all = p->prev_all;
	else
		m->last = p->prev_all;
	if (proc_of(m, p->pid) == p)
		idmap_del(&m->procs, p->pid);
	parent->kids--;
	parent->pruned++;
	free(p->thr);
	free(p->sig);
	free(p);
}

/* c is reaped by process `by`, in its thread `by_tid` (the one whose wait
 * did it), or by the kernel (auto) or the tracer (adopted). */
static void emit_reap(struct model *m, uint64_t t, struct proc *c, pid_t by, pid_t by_tid, const char *how)
{
	pid_t parent = c->ppid > 0 ? c->ppid : m->tracer_pid;
	struct event *e = model_event(m, EV_REAP, t, parent, by_tid ? by_tid : parent);
	fs_int(&e->f, "child", c->pid);
	fs_int(&e->f, "by", by);
	fs_str(&e->f, "how", how);
	fs_int(&e->f, "zombie_ns", c->state == T_ZOMBIE ? (int64_t)(t - c->t_exit) : 0);
	fs_bool(&e->f, "leaked", c->leaked);
	model_emit(m);
	if (c->state == T_ZOMBIE)
		m->zombies_now--;
	emit_state(m, t, c->pid, c->pid, c->state, T_REAPED);
	c->state = T_REAPED;
	prune(m, c);   /* c may be gone after this */
}

/* A process has died: its children are adopted by the tracer (the subreaper),
 * its unreaped zombies are leaked, and it becomes a zombie itself unless
 * somebody reaps it at once. */
static void process_died(struct model *m, uint64_t t, struct proc *p, int status)
{
	p->exited = 1;
	p->exit_status = status;
	p->t_exit = t;
	m->live_procs--;
	for (struct proc *c = m->first; c; c = c->next_all) {
		if (c->ppid != p->pid || c->state == T_REAPED)
			continue;
		if (c->state == T_ZOMBIE && !m->ending)
			c->leaked = 1;
		else if (c->state != T_ZOMBIE)
			c->adopted = 1;
		c->ppid = 0;
	}
	if (p->ppid < 0)
		return;   /* attached: its parent is outside the trace */
	struct proc *parent = p->ppid ? proc_of(m, p->ppid) : NULL;
	/* The kernel sends no SIGCHLD at all to a parent that ignores it. */
	if (parent && !signals_ignored(parent, SIGCHLD))
		parent->sigchld_pending = 1;
	if (!p->ppid) {
		/* Our own child: the wait that told us also reaped it. */
		if (p->adopted) {
			m->zombies_adopted++;
			emit_reap(m, t, p, m->tracer_pid, 0, "adopted");
		} else {
			emit_state(m, t, p->pid, p->pid, T_EXITED, T_REAPED);
			p->state = T_REAPED;
		}
	} else if (signals_auto_reap(parent)) {
		m->zombies_auto++;
		emit_reap(m, t, p, p->ppid, 0, "auto");
	} else {
		emit_state(m, t, p->pid, p->pid, T_EXITED, T_ZOMBIE);
		p->state = T_ZOMBIE;
		if (++m->zombies_now > m->zombies_max)
			m->zombies_max = m->zombies_now;
	}
}

void model_reparent(struct model *m, pid_t pid)
{
	struct proc *p = proc_of(m, pid);
	if (p && p->ppid > 0 && p->state == T_RUNNING) {
		p->ppid = 0;
		p->adopted = 1;
	}
}

/* tid is dead: of status, or (exec_by) ended by that thread's exec. */
static void task_died(struct model *m, uint64_t t, pid_t tid, int status, pid_t exec_by)
{
	struct task *k = idmap_del(&m->tasks, tid);
	if (!k) {
		/* No live task: a zombie whose parent died is reported to us again
		 * when it is re-parented to the tracer, and we reap it. */
		struct proc *p = proc_of(m, tid);
		if (p && p->state == T_ZOMBIE)
			emit_reap(m, t, p, m->tracer_pid, 0, "adopted");
		return;
	}
	struct proc *p = proc_of(m, k->pid);
	int whole = tid == k->pid;

	struct event *e = model_event(m, EV_EXIT, t, k->pid, tid);
	if (exec_by) {
		/* The kernel says exit(0); the thread never called exit. */
		fs_null(&e->f, "code");
		fs_null(&e->f, "signal");
		fs_bool(&e->f, "core", 0);
		fs_int(&e->f, "exec_by", exec_by);
	} else if (WIFEXITED(status)) {
		fs_int(&e->f, "code", WEXITSTATUS(status));
		fs_null(&e->f, "signal");
		fs_bool(&e->f, "core", 0);
	} else {
		fs_null(&e->f, "code");
		fs_str(&e->f, "signal", sig_name(WTERMSIG(status)));
		fs_bool(&e->f, "core", WCOREDUMP(status));
	}
	fs_bool(&e->f, "process", whole);
	if (whole)
		cpu_fields(p, &e->f);
	model_emit(m);

	emit_state_of(m, t, k->pid, tid, k->state, T_EXITED, k);
	free(k);
	if (!p)
		return;
	p->live_threads--;
	if (whole) {
		process_died(m, t, p, status);
		return;
	}
	if (exec_by)
		model_thread_detached(m, p->pid, tid);   /* nobody could join it: its program is gone */
	threads_exited(p, tid);
}

void model_death(struct model *m, uint64_t t, pid_t tid, int status)
{
	task_died(m, t, tid, status, 0);
}

void model_ended_by_exec(struct model *m, uint64_t t, pid_t tid, pid_t exec_by)
{
	task_died(m, t, tid, 0, exec_by);
}

void model_detach(struct model *m, pid_t tid)
{
	struct task *k = idmap_del(&m->tasks, tid);
	struct proc *p = k ? proc_of(m, k->pid) : NULL;
	if (p)
		p->live_threads--;
	free(k);
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

void model_waited(struct model *m, uint64_t t, pid_t tid, pid_t child, int status, int options)
{
	if (child <= 0 || (options & WNOWAIT))
		return;
	if (!WIFEXITED(status) && !WIFSIGNALED(status))
		return;  /* a stopped or continued report reaps nothing */
	struct proc *c = proc_of(m, child);
	struct task *k = task_of(m, tid);
	if (!c || c->state != T_ZOMBIE)
		return;
	m->zombies_transient++;
	cpu_reaped(proc_of(m, k ? k->pid : tid), c);
	emit_reap(m, t, c, k ? k->pid : tid, tid, "wait");
}

void model_ending(struct model *m) { m->ending = 1; }

void model_end(struct model *m)
{
	for (struct proc *p = m->first; p; p = p->next_all)
		if (p->state == T_ZOMBIE)
			p->leaked = 1;
}
