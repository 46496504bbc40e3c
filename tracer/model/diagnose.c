/*
 * diagnose.c - the pitfalls the course warns of, found in the event
 * stream of any program (see diagnose.h):
 *
 *   zombies-reaped-once-per-signal  a SIGCHLD handler that reaps one child
 *                                   per run, and zombies leaked
 *   zombies-never-waited            children left zombies by a parent that
 *                                   never called wait()
 *   eagain-busy-loop                a loop of non-blocking calls that keep
 *                                   failing with EAGAIN: asking, not waiting
 *   eintr-not-retried               a call a signal interrupted (EINTR),
 *                                   never made again: the program exited
 *   select-nfds-too-small           an fd in select()'s set, at or above
 *                                   nfds, which select() ignores
 *   thread-crashed-process          one thread's crash killed its process
 *
 * Each process gets a few counts while it lives; those of a process that
 * made no children are dropped when it exits (after it was judged), so a
 * long run's memory stays flat. Judging happens at its exit, and at the
 * end for what is left. The same counts of the traced command's process
 * are the facts a lesson names: diagnose_facts.c writes them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/idmap.h"
#include "model/diagnose.h"
#include "model/diagnose_int.h"

/* So many calls failing with EAGAIN in one process make a polling loop
 * (lab 2's naps 10 ms a pass and still makes dozens in a short run). */
#define EAGAIN_BUSY_MIN 20
/* Diagnoses kept for the summary; past this many, more are counted. */
#define DIAGNOSES_MAX 16

enum kind {
	K_ONCE_PER_SIGNAL, K_NEVER_WAITED, K_EAGAIN, K_EINTR, K_NFDS, K_THREAD_CRASH, K_NKINDS
};
static const char *const kind_name[K_NKINDS] = {
	[K_ONCE_PER_SIGNAL] = "zombies-reaped-once-per-signal",
	[K_NEVER_WAITED] = "zombies-never-waited",
	[K_EAGAIN] = "eagain-busy-loop",
	[K_EINTR] = "eintr-not-retried",
	[K_NFDS] = "select-nfds-too-small",
	[K_THREAD_CRASH] = "thread-crashed-process",
};
/* The names of a diagnosis's numbers, by kind (NULL: unused). */
static const char *const value_name[K_NKINDS][4] = {
	[K_ONCE_PER_SIGNAL] = { "exited", "handler_runs", "reaped_in_handler", "leaked" },
	[K_NEVER_WAITED] = { "exited", "leaked" },
	[K_EAGAIN] = { "calls", "cpu_us", "life_ns" },
	[K_EINTR] = { NULL },
	[K_NFDS] = { "nfds", "fd" },
	[K_THREAD_CRASH] = { "tid", "threads" },
};

struct finding {
	enum kind kind;
	pid_t pid;
	int64_t v[4];             /* as value_name says */
	char call[CALLS_MAX_LEN]; /* the call(s), or the signal, it is about */
};

struct diagnose {
	struct sink sink;
	int calls_seen;              /* the calls stopped (not -q alone): their facts are known */
	struct idmap procs;          /* pid -> struct pstat */
	pid_t root;                  /* the traced command's: kept to the end */
	struct finding found[DIAGNOSES_MAX];
	int nfound, more;
};

static void copy_name(char *dst, const char *src)
{
	snprintf(dst, NAME_MAX_LEN, "%s", src ? src : "?");
}

/* Add name to the comma-separated list (of CALLS_MAX_LEN), once. */
static void add_name(char *list, const char *name)
{
	size_t n = strlen(list), len = strlen(name);
	for (const char *p = list; (p = strstr(p, name)); p += len)
		if ((p == list || p[-1] == ',') && (p[len] == ',' || p[len] == '\0'))
			return;
	if (n + len + 2 <= CALLS_MAX_LEN)
		snprintf(list + n, CALLS_MAX_LEN - n, "%s%s", n ? "," : "", name);
}

static struct pstat *stat_of(struct diagnose *d, pid_t pid, uint64_t t)
{
	struct pstat *s = idmap_get(&d->procs, pid);
	if (s || pid <= 0)
		return s;
	s = calloc(1, sizeof *s);
	if (!s || idmap_put(&d->procs, pid, s) < 0) {
		free(s);
		return NULL;
	}
	s->pid = pid;
	s->t_start = t;
	s->nfds_fd = -1;
	s->cpu_us = -1;
	return s;
}

static void find(struct diagnose *d, enum kind kind, const struct pstat *s, const char *call,
		 int64_t a, int64_t b, int64_t c, int64_t e)
{
	if (d->nfound >= DIAGNOSES_MAX) {
		d->more++;
		return;
	}
	struct finding *f = &d->found[d->nfound++];
	f->kind = kind;
	f->pid = s->pid;
	f->v[0] = a, f->v[1] = b, f->v[2] = c, f->v[3] = e;
	snprintf(f->call, sizeof f->call, "%s", call ? call : "?");
}

/* What can be said of s once it has ended (or the trace has). */
static void judge(struct diagnose *d, struct pstat *s, uint64_t t_end)
{
	if (s->judged)
		return;
	s->judged = 1;
	if (s->eagain >= EAGAIN_BUSY_MIN)
		find(d, K_EAGAIN, s, s->eagain_calls, s->eagain, s->cpu_us,
		     (int64_t)(t_end - s->t_start), 0);
	if (s->exited && s->by_itself && s->eintr_call[0])
		find(d, K_EINTR, s, s->eintr_call, 0, 0, 0, 0);
	if (s->nfds_fd >= 0)
		find(d, K_NFDS, s, "select", s->nfds, s->nfds_fd, 0, 0);
}

static void judge_leaks(struct diagnose *d, struct pstat *s)
{
	if (!s->leaked)
		return;
	if (s->handler_runs && s->max_run_reaps <= 1)
		find(d, K_ONCE_PER_SIGNAL, s, "SIGCHLD", s->children_exited, s->handler_runs,
		     s->reaped_in_handler, s->leaked);
	else if (!s->reaped && !s->handler_runs)
		find(d, K_NEVER_WAITED, s, "wait", s->children_exited, s->leaked, 0, 0);
}

static void on_spawn(struct diagnose *d, const struct event *ev)
{
	struct pstat *parent = stat_of(d, ev->pid, ev->t);
	const char *kind = fs_gets(&ev->f, "kind");
	if (!parent)
		return;
	if (kind && strcmp(kind, "thread") == 0) {
		parent->threads_made++;
		return;
	}
	parent->children_made++;
	struct pstat *child = stat_of(d, (pid_t)fs_geti(&ev->f, "child", 0), ev->t);
	if (child)
		child->parent = ev->pid;
}

/* A crash of the thread's own: a signal whose default action dumps core
 * ("core") that the kernel sent for a fault (no sender), or that the
 * thread sent itself (abort(), raise(): the signal's sender is then its
 * process, and the thread's last tgkill or tkill was aimed at itself).
 * SIGABRT from another thread or process is not its own. */
static int is_own_crash(const struct pstat *s, const struct event *ev, const char *sig,
			const char *action)
{
	if (strcmp(action, "core") != 0)
		return 0;
	const struct field *sender = fs_get(&ev->f, "sender");
	if (sender && sender->kind == F_NULL)
		return 1;
	if (!sender || sender->kind != F_INT)
		return 0;
	return sender->i == ev->pid && s->self_sig_tid == ev->tid && strcmp(s->self_sig, sig) == 0;
}

static void on_signal(struct diagnose *d, const struct event *ev)
{
	struct pstat *s = stat_of(d, ev->pid, ev->t);
	const char *sig = fs_gets(&ev->f, "sig"), *action = fs_gets(&ev->f, "action");
	if (!s || !sig || !action)
		return;
	if (strcmp(sig, "SIGIO") == 0)
		s->sigio++;
	if (strcmp(sig, "SIGCHLD") == 0) {
		s->sigchld++;
		if (strcmp(action, "handler") == 0) {
			s->handler_runs++;
			s->run_reaps = 0;
		}
	}
	if (ev->tid != ev->pid && is_own_crash(s, ev, sig, action)) {
		s->crash_tid = ev->tid;
		copy_name(s->crash_sig, sig);
	}
}

static void on_reap(struct diagnose *d, const struct event *ev)
{
	const char *how = fs_gets(&ev->f, "how");
	struct pstat *by = idmap_get(&d->procs, (pid_t)fs_geti(&ev->f, "by", 0));
	if (!by || !how || strcmp(how, "wait") != 0)
		return;
	by->reaped++;
	if (fs_geti(&ev->f, "in_handler", 0) > 0) {
		by->reaped_in_handler++;
		if (++by->run_reaps > by->max_run_reaps)
			by->max_run_reaps = by->run_reaps;
	}
}

/* The waits of I/O multiplexing, by the names a student knows. */
static int is_mux_wait(const char *call)
{
	return strcmp(call, "select") == 0 || strcmp(call, "pselect") == 0 ||
	       strcmp(call, "poll") == 0 || strcmp(call, "epoll_wait") == 0;
}

/* tgkill() or tkill() that a thread aimed at itself, as abort() and
 * raise() do. */
static int is_self_signal(const struct event *ev, const char *call, const struct fields *args)
{
	int tg = strcmp(call, "tgkill") == 0;
	if (!tg && strcmp(call, "tkill") != 0)
		return 0;
	return fs_geti(args, "target", 0) == ev->tid && (!tg || fs_geti(args, "tgid", 0) == ev->pid) &&
	       fs_geti(&ev->f, "ret", -1) == 0;
}

static void on_syscall(struct diagnose *d, const struct event *ev)
{
	struct pstat *s = stat_of(d, ev->pid, ev->t);
	const char *call = fs_str_or(&ev->f, "call", fs_gets(&ev->f, "name"));
	const char *err = fs_gets(&ev->f, "err");
	if (!s || !call)
		return;
	if (s->eintr_call[0] && strcmp(s->eintr_call, call) == 0)
		s->eintr_call[0] = '\0';   /* made again: retried */
	const struct field *ret = fs_get(&ev->f, "ret");
	s->accepted += strcmp(call, "accept") == 0 && ret && ret->kind == F_INT && ret->i >= 0;
	s->mux_waits += is_mux_wait(call);
	if (err && (strcmp(err, "EAGAIN") == 0 || strcmp(err, "EWOULDBLOCK") == 0)) {
		s->eagain++;
		add_name(s->eagain_calls, call);
	} else if (err && strcmp(err, "EINTR") == 0) {
		s->eintr_calls++;
		copy_name(s->eintr_call, call);
	}
	const struct fields *args = fs_getobj(&ev->f, "args");
	if (args && is_self_signal(ev, call, args)) {
		s->self_sig_tid = ev->tid;
		copy_name(s->self_sig, fs_gets(args, "sig"));
	}
	const struct fields *ignored = args ? fs_getlist(args, "ignored") : NULL;
	if (ignored && ignored->n && s->nfds_fd < 0) {
		s->nfds = (int)fs_geti(args, "nfds", 0);
		s->nfds_fd = (int)ignored->f[0].i;
	}
}

/* A spell asleep in a call ends: counted for a process's main thread. */
static void on_state(struct diagnose *d, const struct event *ev)
{
	const char *from = fs_gets(&ev->f, "from");
	struct pstat *s = ev->tid == ev->pid ? idmap_get(&d->procs, ev->pid) : NULL;
	if (s && from && strcmp(from, "blocked") == 0)
		s->blocked_ns += (int64_t)ev->t - fs_geti(&ev->f, "since", (int64_t)ev->t);
}

static void on_libcall(struct diagnose *d, const struct event *ev)
{
	struct pstat *s = stat_of(d, ev->pid, ev->t);
	const char *name = fs_gets(&ev->f, "name");
	if (!s || !name)
		return;
	s->joined += strcmp(name, "pthread_join") == 0;
	s->detached += strcmp(name, "pthread_detach") == 0;
}

static void on_exit_event(struct diagnose *d, const struct event *ev)
{
	if (!fs_geti(&ev->f, "process", 0))
		return;
	struct pstat *s = idmap_get(&d->procs, ev->pid);
	if (!s)
		return;
	const char *sig = fs_gets(&ev->f, "signal");
	const struct field *user = fs_get(&ev->f, "cpu_user_us"), *sys = fs_get(&ev->f, "cpu_system_us");
	s->exited = 1;
	s->by_itself = !sig && !fs_geti(&ev->f, "exec_by", 0);
	if (user && sys && user->kind == F_INT && sys->kind == F_INT)
		s->cpu_us = user->i + sys->i;
	if (sig && s->crash_tid && strcmp(sig, s->crash_sig) == 0)
		find(d, K_THREAD_CRASH, s, s->crash_sig, s->crash_tid, s->threads_made + 1, 0, 0);
	judge(d, s, ev->t);
	struct pstat *parent = idmap_get(&d->procs, s->parent);
	if (parent)
		parent->children_exited++;
	/* Its children's leaks are known at the end only; without any, it
	 * has nothing more to say. */
	if (!s->children_made && s->pid != d->root)
		free(idmap_del(&d->procs, s->pid));
}

static void diagnose_event(struct sink *sk, const struct event *ev)
{
	struct diagnose *d = (struct diagnose *)sk;
	switch (ev->type) {
	case EV_TRACE: d->root = ev->pid; stat_of(d, ev->pid, ev->t); break;
	case EV_SPAWN: on_spawn(d, ev); break;
	case EV_SIGNAL: on_signal(d, ev); break;
	case EV_REAP: on_reap(d, ev); break;
	case EV_SYSCALL: on_syscall(d, ev); break;
	case EV_LIBCALL: on_libcall(d, ev); break;
	case EV_STATE: on_state(d, ev); break;
	case EV_EXIT: on_exit_event(d, ev); break;
	default: break;
	}
}

static void put_findings(const struct diagnose *d, struct fields *fs)
{
	struct fields *list = fs_list(fs, "diagnoses");
	for (int i = 0; list && i < d->nfound; i++) {
		const struct finding *f = &d->found[i];
		struct fields *o = fs_obj(list, NULL);
		if (!o)
			return;
		fs_str(o, "kind", kind_name[f->kind]);
		fs_int(o, "pid", f->pid);
		fs_str(o, "about", f->call);
		for (int k = 0; k < 4; k++) {
			const char *name = value_name[f->kind][k];
			if (!name)
				continue;
			if (f->v[k] < 0)
				fs_null(o, name);   /* not known (a CPU time) */
			else
				fs_int(o, name, f->v[k]);
		}
	}
	fs_int(fs, "diagnoses_more", d->more);
}

void diagnose_summarize(struct sink *sk, struct fields *fs, uint64_t t_end)
{
	struct diagnose *d = (struct diagnose *)sk;
	if (!d)
		return;
	const struct fields *tree = fs_getlist(fs, "tree");
	for (int i = 0; tree && i < tree->n; i++) {
		const struct fields *n = tree->f[i].sub;
		struct pstat *parent = idmap_get(&d->procs, (pid_t)fs_geti(n, "parent", 0));
		if (fs_geti(n, "leaked", 0) && parent)
			parent->leaked++;
	}
	idmap_each(&d->procs, i) {
		struct pstat *s = d->procs.slots[i].val;
		judge(d, s, t_end);   /* alive at the end of the trace */
		judge_leaks(d, s);
	}
	put_findings(d, fs);
	diagnose_put_facts(idmap_get(&d->procs, d->root), d->calls_seen, fs, fs);
}

static void diagnose_free(struct sink *sk)
{
	struct diagnose *d = (struct diagnose *)sk;
	idmap_each(&d->procs, i)
		free(d->procs.slots[i].val);
	idmap_free(&d->procs);
	free(d);
}

struct sink *diagnose_sink_new(int calls_seen)
{
	struct diagnose *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->calls_seen = calls_seen;
	d->sink.event = diagnose_event;
	d->sink.free = diagnose_free;
	return &d->sink;
}
