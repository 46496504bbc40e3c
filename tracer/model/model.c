/*
 * model.c - who made whom, who is in which state, and who reaped whom.
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
#include "model/model.h"
#include "common/names.h"

const char *const tstate_name[] = {
	[T_NEW] = "new", [T_RUNNING] = "running", [T_BLOCKED] = "blocked",
	[T_STOPPED] = "stopped", [T_EXITED] = "exited", [T_ZOMBIE] = "zombie",
	[T_REAPED] = "reaped",
};

/* Events are built here one at a time and handed to the stream at once. */
static struct event ev;
static struct arena ev_arena;

static struct event *ev_begin(enum ev_type type, uint64_t t, pid_t pid, pid_t tid)
{
	ev.type = type;
	ev.t = t;
	ev.pid = pid;
	ev.tid = tid;
	fields_clear(&ev.f);
	arena_reset(&ev_arena);
	return &ev;
}

void model_emit(struct model *m, struct event *e)
{
	if (m->out)
		stream_emit(m->out, e);
}

struct model *model_new(struct stream *out, pid_t tracer_pid)
{
	struct model *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->out = out;
	m->tracer_pid = tracer_pid;
	if (out)
		out->model = m;
	return m;
}

void model_free(struct model *m)
{
	if (!m)
		return;
	idmap_each(&m->tasks, i)
		free(m->tasks.slots[i].val);
	for (struct proc *p = m->first, *next; p; p = next) {
		next = p->next_all;
		free(p->thr);
		free(p->sig);
		free(p);
	}
	idmap_free(&m->tasks);
	idmap_free(&m->procs);
	free(m);
}

struct task *model_task(const struct model *m, pid_t tid) { return idmap_get(&m->tasks, tid); }
struct proc *model_proc(const struct model *m, pid_t pid) { return idmap_get(&m->procs, pid); }

static void set_name(struct proc *p, const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	const char *base = slash ? slash + 1 : path ? path : "?";
	strncpy(p->name, base, sizeof p->name - 1);
	p->name[sizeof p->name - 1] = '\0';
}

static void emit_state(struct model *m, uint64_t t, pid_t pid, pid_t tid,
		       enum tstate from, enum tstate to, const char *call)
{
	struct event *e = ev_begin(EV_STATE, t, pid, tid);
	fs_str(&e->f, &ev_arena, "from", tstate_name[from]);
	fs_str(&e->f, &ev_arena, "to", tstate_name[to]);
	if (call)
		fs_str(&e->f, &ev_arena, "call", call);
	model_emit(m, e);
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
	emit_state(m, t, pid, tid, T_NEW, T_RUNNING, NULL);
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
	return p;
}

void model_root(struct model *m, uint64_t t, pid_t pid, const char *name)
{
	struct proc *p = new_proc(m, pid, 0);
	if (!p)
		return;
	set_name(p, name);
	p->call = "exec";
	m->root = pid;
	new_task(m, t, pid, pid);
}

void model_attach_thread(struct model *m, uint64_t t, pid_t pid, pid_t tid)
{
	struct proc *p = model_proc(m, pid);
	if (!p || model_task(m, tid))
		return;
	p->live_threads++;
	new_task(m, t, pid, tid);
}

void model_spawn(struct model *m, uint64_t t, pid_t parent_tid, pid_t child,
		 int thread, const char *call, const char *syscall, const char *flags)
{
	struct task *pt = model_task(m, parent_tid);
	if (!pt || model_task(m, child))
		return;
	struct proc *pp = model_proc(m, pt->pid);

	struct event *e = ev_begin(EV_SPAWN, t, pt->pid, parent_tid);
	fs_int(&e->f, "child", child);
	fs_str(&e->f, &ev_arena, "kind", thread ? "thread" : "process");
	fs_str(&e->f, &ev_arena, "call", call);
	fs_str(&e->f, &ev_arena, "syscall", syscall);
	fs_names(&e->f, &ev_arena, "flags", flags ? flags : "");
	model_emit(m, e);

	if (thread) {
		if (pp) {
			pp->nthreads++;
			pp->live_threads++;
			if (pp->nthr == pp->capthr) {
				int cap = pp->capthr ? pp->capthr * 2 : 16;
				struct thread_rec *bigger = realloc(pp->thr, sizeof *bigger * (size_t)cap);
				if (bigger) {
					pp->thr = bigger;
					pp->capthr = cap;
				}
			}
			if (pp->nthr < pp->capthr)
				pp->thr[pp->nthr++] = (struct thread_rec){ .tid = child };
		}
		m->threads++;
		new_task(m, t, pt->pid, child);
		return;
	}
	struct proc *cp = new_proc(m, child, pt->pid);
	if (!cp)
		return;
	if (pp) {
		if (pp->sig && (cp->sig = malloc(65 * sizeof *cp->sig)))
			memcpy(cp->sig, pp->sig, 65 * sizeof *cp->sig);  /* fork copies dispositions */
		memcpy(cp->name, pp->name, sizeof cp->name);
		cp->depth = pp->depth + 1;
	}
	cp->call = call;
	if (pp)
		pp->kids++;
	new_task(m, t, child, child);
}

void model_exec(struct model *m, uint64_t t, pid_t tid, pid_t old_tid,
		const char *path, const char *const *argv, int argc)
{
	struct task *k = model_task(m, tid);
	struct proc *p = model_proc(m, k ? k->pid : tid);
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
		model_thread_detached(m, p->pid, old_tid);   /* it lives on as the main thread */
		model_thread_exited(m, p->pid, old_tid);
	}
	/* Handlers do not survive exec; ignored signals stay ignored. */
	for (int s = 1; p->sig && s < 65; s++) {
		if (p->sig[s].kind == D_HANDLER)
			p->sig[s].kind = D_DFL;
		p->sig[s].flags = 0;
	}
	set_name(p, path);
	/* system() is posix_spawn() of "sh -c": the same clone3 to the kernel;
	 * the exec that follows tells them apart. */
	if (p->call && strcmp(p->call, "posix_spawn") == 0 && argc >= 2 &&
	    strcmp(argv[1], "-c") == 0 && !p->exec_seen &&
	    (strcmp(argv[0], "sh") == 0 || strcmp(argv[0], "/bin/sh") == 0))
		p->call = "system";
	p->exec_seen = 1;

	struct event *e = ev_begin(EV_EXEC, t, p->pid, tid);
	fs_str(&e->f, &ev_arena, "path", path ? path : "?");
	fs_strs(&e->f, &ev_arena, "argv", argv, argc);
	if (old_tid && old_tid != tid)
		fs_int(&e->f, "old_tid", old_tid);
	model_emit(m, e);
}

/* How many children of one parent the summary shows; the others, once
 * reaped, are only counted, so that a long run's memory stays flat. */
#define KEEP_CHILDREN 8

/* Forget a reaped process nobody needs any more. */
static void prune(struct model *m, struct proc *p)
{
	struct proc *parent = model_proc(m, p->spawned_by);
	if (p->leaked || p->kids || p->pid == m->root || !parent || parent->kids <= KEEP_CHILDREN)
		return;
	if (p->prev_all)
		p->prev_all->next_all = p->next_all;
	else
		m->first = p->next_all;
	if (p->next_all)
		p->next_all->prev_all = p->prev_all;
	else
		m->last = p->prev_all;
	if (model_proc(m, p->pid) == p)
		idmap_del(&m->procs, p->pid);
	parent->kids--;
	parent->pruned++;
	free(p->thr);
	free(p->sig);
	free(p);
}

static void emit_reap(struct model *m, uint64_t t, struct proc *c, pid_t by, const char *how)
{
	struct event *e = ev_begin(EV_REAP, t, c->ppid ? c->ppid : m->tracer_pid, c->ppid ? c->ppid : m->tracer_pid);
	fs_int(&e->f, "child", c->pid);
	fs_int(&e->f, "by", by);
	fs_str(&e->f, &ev_arena, "how", how);
	fs_int(&e->f, "zombie_ns", c->state == T_ZOMBIE ? (int64_t)(t - c->t_exit) : 0);
	fs_bool(&e->f, "leaked", c->leaked);
	model_emit(m, e);
	if (c->state == T_ZOMBIE)
		m->zombies_now--;
	emit_state(m, t, c->pid, c->pid, c->state, T_REAPED, NULL);
	c->state = T_REAPED;
	prune(m, c);   /* c may be gone after this */
}

static int auto_reaps(const struct proc *parent)
{
	return parent && parent->sig && (parent->sig[SIGCHLD].kind == D_IGN ||
					 (parent->sig[SIGCHLD].flags & SA_NOCLDWAIT));
}

/* A process has died: its children are adopted by the tracer (the subreaper),
 * its unreaped zombies are leaked, and it becomes a zombie itself unless
 * somebody reaps it at once. */
static void process_died(struct model *m, uint64_t t, struct proc *p, int status)
{
	p->exited = 1;
	p->exit_status = status;
	p->t_exit = t;
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
	struct proc *parent = p->ppid ? model_proc(m, p->ppid) : NULL;
	/* The kernel sends no SIGCHLD at all to a parent that ignores it. */
	if (parent && !(parent->sig && parent->sig[SIGCHLD].kind == D_IGN))
		parent->sigchld_pending = 1;
	if (!p->ppid) {
		/* Our own child: the wait that told us also reaped it. */
		if (p->adopted) {
			m->zombies_adopted++;
			emit_reap(m, t, p, m->tracer_pid, "adopted");
		} else {
			emit_state(m, t, p->pid, p->pid, T_EXITED, T_REAPED, NULL);
			p->state = T_REAPED;
		}
	} else if (auto_reaps(parent)) {
		m->zombies_auto++;
		emit_reap(m, t, p, p->ppid, "auto");
	} else {
		emit_state(m, t, p->pid, p->pid, T_EXITED, T_ZOMBIE, NULL);
		p->state = T_ZOMBIE;
		if (++m->zombies_now > m->zombies_max)
			m->zombies_max = m->zombies_now;
	}
}

void model_reparent(struct model *m, pid_t pid)
{
	struct proc *p = model_proc(m, pid);
	if (p && p->ppid > 0 && p->state == T_RUNNING) {
		p->ppid = 0;
		p->adopted = 1;
	}
}

void model_death(struct model *m, uint64_t t, pid_t tid, int status)
{
	struct task *k = idmap_del(&m->tasks, tid);
	if (!k) {
		/* No live task: a zombie whose parent died is reported to us again
		 * when it is re-parented to the tracer, and we reap it. */
		struct proc *p = model_proc(m, tid);
		if (p && p->state == T_ZOMBIE) {
			emit_reap(m, t, p, m->tracer_pid, "adopted");
		}
		return;
	}
	struct proc *p = model_proc(m, k->pid);
	int whole = tid == k->pid;

	struct event *e = ev_begin(EV_EXIT, t, k->pid, tid);
	if (WIFEXITED(status)) {
		fs_int(&e->f, "code", WEXITSTATUS(status));
		fs_null(&e->f, "signal");
		fs_bool(&e->f, "core", 0);
	} else {
		fs_null(&e->f, "code");
		fs_str(&e->f, &ev_arena, "signal", sig_name(WTERMSIG(status)));
		fs_bool(&e->f, "core", WCOREDUMP(status));
	}
	fs_bool(&e->f, "process", whole);
	model_emit(m, e);

	emit_state(m, t, k->pid, tid, k->state, T_EXITED, NULL);
	free(k);
	if (!p)
		return;
	p->live_threads--;
	if (whole)
		process_died(m, t, p, status);
	else
		model_thread_exited(m, p->pid, tid);
}

void model_detach(struct model *m, pid_t tid)
{
	struct task *k = idmap_del(&m->tasks, tid);
	struct proc *p = k ? model_proc(m, k->pid) : NULL;
	if (p)
		p->live_threads--;
	free(k);
}

void model_block(struct model *m, uint64_t t, pid_t tid, const char *call)
{
	struct task *k = model_task(m, tid);
	if (!k || k->state != T_RUNNING)
		return;
	emit_state(m, t, k->pid, tid, T_RUNNING, T_BLOCKED, call);
	k->state = T_BLOCKED;
	k->blocked_in = call;
}

void model_unblock(struct model *m, uint64_t t, pid_t tid)
{
	struct task *k = model_task(m, tid);
	if (!k || k->state != T_BLOCKED)
		return;
	emit_state(m, t, k->pid, tid, T_BLOCKED, T_RUNNING, NULL);
	k->state = T_RUNNING;
	k->blocked_in = NULL;
}

void model_stopped(struct model *m, uint64_t t, pid_t tid)
{
	struct task *k = model_task(m, tid);
	if (!k || k->state == T_STOPPED)
		return;
	emit_state(m, t, k->pid, tid, k->state, T_STOPPED, NULL);
	k->state = T_STOPPED;
}

void model_continued(struct model *m, uint64_t t, pid_t tid)
{
	struct task *k = model_task(m, tid);
	if (!k || k->state != T_STOPPED)
		return;
	emit_state(m, t, k->pid, tid, T_STOPPED, T_RUNNING, NULL);
	k->state = T_RUNNING;
}

void model_waited(struct model *m, uint64_t t, pid_t tid, pid_t child, int status, int options)
{
	if (child <= 0 || (options & WNOWAIT))
		return;
	if (!WIFEXITED(status) && !WIFSIGNALED(status))
		return;  /* a stopped or continued report reaps nothing */
	struct proc *c = model_proc(m, child);
	struct task *k = model_task(m, tid);
	if (!c || c->state != T_ZOMBIE)
		return;
	m->zombies_transient++;
	emit_reap(m, t, c, k ? k->pid : tid, "wait");
}

void model_sigaction(struct model *m, pid_t pid, int sig, enum disp kind, uint32_t flags)
{
	struct proc *p = model_proc(m, pid);
	if (!p || sig < 1 || sig > 64)
		return;
	if (!p->sig && !(p->sig = calloc(65, sizeof *p->sig)))
		return;
	p->sig[sig].kind = (uint8_t)kind;
	p->sig[sig].flags = flags;
}

const struct sigdisp *model_sig(const struct model *m, pid_t pid, int sig)
{
	struct proc *p = model_proc(m, pid);
	static const struct sigdisp dfl = { D_DFL, 0 };
	if (!p || sig < 1 || sig > 64)
		return NULL;
	return p->sig ? &p->sig[sig] : &dfl;
}

/* What SIG_DFL does, by signal (signal(7)); unlisted ones terminate. */
static const char *default_action(int sig)
{
	switch (sig) {
	case SIGCHLD: case SIGURG: case SIGWINCH: return "ignore";
	case SIGCONT: return "default";
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU: return "stop";
	case SIGQUIT: case SIGILL: case SIGABRT: case SIGFPE: case SIGSEGV:
	case SIGBUS: case SIGSYS: case SIGTRAP: case SIGXCPU: case SIGXFSZ: return "core";
	default: return "kill";
	}
}

const char *model_sig_action(const struct model *m, pid_t pid, int sig)
{
	const struct sigdisp *d = model_sig(m, pid, sig);
	if (d && d->kind == D_HANDLER)
		return "handler";
	if (d && d->kind == D_IGN && sig != SIGKILL && sig != SIGSTOP)
		return "ignore";
	return default_action(sig);
}

void model_delivered(struct model *m, pid_t tid, int sig)
{
	struct task *k = model_task(m, tid);
	struct proc *p = k ? model_proc(m, k->pid) : NULL;
	if (sig >= 1 && sig <= 64)
		m->signals[sig]++;
	if (p && sig == SIGCHLD)
		p->sigchld_pending = 0;
}

void model_handler(struct model *m, pid_t tid, int delta)
{
	struct task *k = model_task(m, tid);
	if (k && k->in_handler + delta >= 0)
		k->in_handler += delta;
}

int model_live_children(const struct model *m, pid_t pid)
{
	int n = 0;
	for (const struct proc *p = m->first; p; p = p->next_all)
		if (p->ppid == pid && p->state == T_RUNNING)
			n++;
	return n;
}

void model_end(struct model *m, uint64_t t)
{
	(void)t;
	for (struct proc *p = m->first; p; p = p->next_all)
		if (p->state == T_ZOMBIE)
			p->leaked = 1;
}
