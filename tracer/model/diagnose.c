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
 * end for what is left.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/holes.h"
#include "common/idmap.h"
#include "model/diagnose.h"

/* So many calls failing with EAGAIN in one process make a polling loop
 * (lab 2's naps 10 ms a pass and still makes dozens in a short run). */
#define EAGAIN_BUSY_MIN 20
/* Diagnoses kept for the summary; past this many, more are counted. */
#define DIAGNOSES_MAX 16
#define NAME_MAX_LEN 24
#define CALLS_MAX_LEN 48
#define US_PER_MS 1000
#define NS_PER_MS 1000000

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

/* What one process did, as far as the diagnoses care. */
struct pstat {
	pid_t pid, parent;
	uint64_t t_start;
	int children_made, children_exited, threads_made;
	int sigchld, handler_runs, run_reaps, max_run_reaps;
	int reaped, reaped_in_handler, leaked;
	int joined, detached, sigio, eintr_calls;
	int accepted, mux_waits;         /* accept() that gave a client; select/poll/epoll_wait */
	int64_t blocked_ns;              /* its main thread's time asleep in calls */
	int eagain;
	char eagain_calls[CALLS_MAX_LEN];  /* "accept,read": those that failed so */
	char eintr_call[NAME_MAX_LEN];   /* "" unless its last such call failed with EINTR */
	int nfds, nfds_fd;               /* the first select that ignored an fd (nfds_fd >= 0) */
	pid_t crash_tid;
	char crash_sig[NAME_MAX_LEN];
	int exited, by_itself, judged;
	int64_t cpu_us;                  /* -1: not known */
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

static int is_crash(const char *sig)
{
	static const char *const crashes[] = { "SIGSEGV", "SIGBUS", "SIGFPE", "SIGILL", "SIGABRT" };
	for (size_t i = 0; sig && i < sizeof crashes / sizeof *crashes; i++)
		if (strcmp(sig, crashes[i]) == 0)
			return 1;
	return 0;
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
	if (ev->tid != ev->pid && is_crash(sig) && (strcmp(action, "kill") == 0 || strcmp(action, "core") == 0)) {
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

/* The counts a lab's lesson sentence may name (lab.conf, "lesson"), all
 * of them about the traced command's process. */
enum fact_source { FROM_STAT, FROM_NEVER_JOINED, FROM_CPU_MS, FROM_BLOCKED_MS };
/* CALLS: counted from calls, known only when they stop (not -q alone). */
enum { ANY_RUN = 0, CALLS = 1 };
static const struct fact {
	const char *name;
	enum fact_source from;
	size_t offset;            /* FROM_STAT: an int of struct pstat */
	int needs;
} facts[] = {
	{ "children", FROM_STAT, offsetof(struct pstat, children_made), ANY_RUN },
	{ "exited", FROM_STAT, offsetof(struct pstat, children_exited), ANY_RUN },
	{ "threads", FROM_STAT, offsetof(struct pstat, threads_made), ANY_RUN },
	{ "joined", FROM_STAT, offsetof(struct pstat, joined), ANY_RUN },
	{ "detached", FROM_STAT, offsetof(struct pstat, detached), ANY_RUN },
	{ "never_joined", FROM_NEVER_JOINED, 0, ANY_RUN },
	{ "sigchld", FROM_STAT, offsetof(struct pstat, sigchld), ANY_RUN },
	{ "handler_runs", FROM_STAT, offsetof(struct pstat, handler_runs), ANY_RUN },
	{ "reaped", FROM_STAT, offsetof(struct pstat, reaped), ANY_RUN },
	{ "reaped_in_handler", FROM_STAT, offsetof(struct pstat, reaped_in_handler), ANY_RUN },
	{ "leaked", FROM_STAT, offsetof(struct pstat, leaked), ANY_RUN },
	{ "sigio", FROM_STAT, offsetof(struct pstat, sigio), ANY_RUN },
	{ "eagain", FROM_STAT, offsetof(struct pstat, eagain), CALLS },
	{ "eintr", FROM_STAT, offsetof(struct pstat, eintr_calls), CALLS },
	{ "accepted", FROM_STAT, offsetof(struct pstat, accepted), CALLS },
	{ "mux_waits", FROM_STAT, offsetof(struct pstat, mux_waits), CALLS },
	{ "blocked_ms", FROM_BLOCKED_MS, 0, CALLS },
	{ "cpu_ms", FROM_CPU_MS, 0, ANY_RUN },
};
#define NFACTS (sizeof facts / sizeof *facts)

static int fact_known(const char *name, size_t len, long long *v, void *ctx)
{
	(void)ctx;
	for (size_t i = 0; i < NFACTS; i++)
		if (strlen(facts[i].name) == len && strncmp(facts[i].name, name, len) == 0) {
			*v = 0;
			return 0;
		}
	return -1;
}

int diagnose_lesson_ok(const char *lesson, char *unknown, size_t n)
{
	return holes_fill(lesson, fact_known, NULL, NULL, unknown, n) == 0;
}

const char *diagnose_fact_names(void)
{
	static char names[512];
	size_t used = 0;
	for (size_t i = 0; i < NFACTS && used < sizeof names; i++)
		used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "", facts[i].name);
	return names;
}

static void put_facts(const struct diagnose *d, const struct fields *summary, struct fields *fs)
{
	const struct pstat *r = idmap_get(&d->procs, d->root);
	struct fields *o = fs_obj(fs, "facts");
	const struct fields *nj = fs_getlist(summary, "never_joined");
	for (size_t i = 0; o && r && i < NFACTS; i++) {
		if (facts[i].needs == CALLS && !d->calls_seen) {
			fs_null(o, facts[i].name);
			continue;
		}
		switch (facts[i].from) {
		case FROM_STAT:
			fs_int(o, facts[i].name, *(const int *)((const char *)r + facts[i].offset));
			break;
		case FROM_NEVER_JOINED:
			fs_int(o, facts[i].name, nj ? nj->n : 0);
			break;
		case FROM_BLOCKED_MS:
			fs_int(o, facts[i].name, (r->blocked_ns + NS_PER_MS / 2) / NS_PER_MS);
			break;
		case FROM_CPU_MS:
			if (r->cpu_us >= 0)
				fs_int(o, facts[i].name, (r->cpu_us + US_PER_MS / 2) / US_PER_MS);
			else
				fs_null(o, facts[i].name);
			break;
		}
	}
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
	put_facts(d, fs, fs);
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
