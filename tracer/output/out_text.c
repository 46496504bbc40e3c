/*
 * out_text.c - the live timeline a student reads.
 *
 *     0.012345  1234 lab05      fork() = 1235                      [clone]
 *     0.012801    1235 lab05    exited with code 0
 *
 * One line per event: seconds since the start, who (pid, or pid/tid for a
 * thread, and the program's name), indented by depth in the process tree,
 * then what happened in words. Each process keeps one colour. The name and
 * depth come from the events themselves (the header, spawn and exec), so
 * a replayed trace reads exactly as the live one did.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/idmap.h"
#include "common/names.h"
#include "output/output.h"
#include "output/text_value.h"
#include "output/text_words.h"

/* Who a pid is, as the events said. */
struct who {
	int depth;
	char name[32];
};

struct text_sink {
	struct sink sink;
	FILE *f;
	int color;
	struct idmap who;        /* pid -> struct who, until it is reaped */
	pid_t tracer_pid;
	pid_t root;              /* kept to the end: the lab's lines name it */
	int numbered;            /* prefix each line with its event's index */
	long seq;                /* the index of the current event in the stream */
};

enum { C_OFF, C_DIM, C_SIGNAL, C_BAD, C_GOOD, C_NOTE };
static const char *const paint[] = {
	[C_OFF] = "\033[0m", [C_DIM] = "\033[2m", [C_SIGNAL] = "\033[1;33m",
	[C_BAD] = "\033[1;31m", [C_GOOD] = "\033[32m", [C_NOTE] = "\033[1;36m",
};
static const char *const proc_colors[] = { "\033[34m", "\033[35m", "\033[36m", "\033[32m", "\033[33m", "\033[94m" };
#define NPROC_COLORS (sizeof proc_colors / sizeof proc_colors[0])

#define NS_PER_MS 1000000ull
#define NS_PER_US 1000ull
/* Deeper processes are indented as this deep. */
#define DEPTH_SHOWN_MAX 32
/* What marks a line of a signal handler's, once per handler running;
 * nested deeper than this, the bars stop growing. */
#define HANDLER_BAR "| "
#define HANDLERS_SHOWN_MAX 8
/* A call that took this long or more, without sleeping, says so. */
#define SHOW_DURATION_NS NS_PER_MS

/* Why a call never returned ("unfinished"), in words. */
static const struct { const char *why, *words; } unfinished_words[] = {
	{ "killed", "when it was killed" }, { "exited", "when its process exited" },
	{ "exec", "when another thread called exec" }, { "detached", "when the tracer let go" },
	{ "ended", "when the trace ended" },
};

static const char *on(const struct text_sink *t, int c) { return t->color ? paint[c] : ""; }

static void put_duration(FILE *f, uint64_t ns)
{
	if (ns >= NS_PER_S)
		fprintf(f, "%.2f s", (double)ns / (double)NS_PER_S);
	else if (ns >= NS_PER_MS)
		fprintf(f, "%.1f ms", (double)ns / (double)NS_PER_MS);
	else
		fprintf(f, "%llu us", (unsigned long long)(ns / NS_PER_US));
}

static void text_syscall(struct text_sink *t, const struct event *ev)
{
	FILE *f = t->f;
	const struct fields *fs = &ev->f;
	const char *name = fs_str_or(fs, "name", "?"), *call = fs_str_or(fs, "call", name);
	const char *call_or = fs_gets(fs, "call_or");   /* "wait() or waitpid(...)": no hook said which */
	const struct fields *out = fs_getobj(fs, "out");
	const struct field *ret = fs_get(fs, "ret");
	const char *err = fs_gets(fs, "err"), *intr = fs_gets(fs, "interrupted");
	int64_t dur = fs_geti(fs, "dur_ns", 0);
	const struct field *slept = fs_get(fs, "slept");
	int did_sleep = slept && slept->kind == F_BOOL && slept->i;
	const char *unfinished = fs_gets(fs, "unfinished");

	if (call_or)
		fprintf(f, "%s() or %s(", call, call_or);
	else
		fprintf(f, "%s(", call);
	put_call_args(f, name, fs_getobj(fs, "args"), ", ", 0);
	fputs(")", f);
	if (unfinished) {
		const char *words = unfinished;
		for (size_t i = 0; i < sizeof unfinished_words / sizeof unfinished_words[0]; i++)
			if (strcmp(unfinished_words[i].why, unfinished) == 0)
				words = unfinished_words[i].words;
		fprintf(f, "  %s<still %s after ", on(t, C_BAD), did_sleep ? "blocked" : "in it");
		put_duration(f, (uint64_t)dur);
		fprintf(f, " %s>%s", words, on(t, C_OFF));
	} else if (intr) {
		fprintf(f, " %s<- interrupted by %s: %s%s", on(t, C_SIGNAL), fs_str_or(fs, "signal", "?"),
			strcmp(intr, "EINTR") == 0 ? "returns -1 EINTR to the program"
						   : "the kernel restarts it", on(t, C_OFF));
	} else if (ret && ret->kind == F_INT) {
		fprintf(f, " = %lld", (long long)ret->i);
		if (err)
			fprintf(f, " %s%s%s", on(t, C_BAD), err, on(t, C_OFF));
		if (out && out->n) {
			fputs(" -> ", f);
			put_args(f, out, " ", 1);
		}
	}
	if (!unfinished && (did_sleep || dur >= (int64_t)SHOW_DURATION_NS)) {
		fprintf(f, "  %s<%s ", on(t, C_DIM), did_sleep ? "blocked" : "took");
		put_duration(f, (uint64_t)dur);
		fprintf(f, ">%s", on(t, C_OFF));
	}
	if (strcmp(name, call) != 0)
		fprintf(f, "  %s[%s]%s", on(t, C_DIM), name, on(t, C_OFF));
}

static void text_signal(struct text_sink *t, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	const struct field *st = fs_get(fs, "child_status");
	int64_t sender = fs_geti(fs, "sender", 0);
	fprintf(t->f, "%s<- %s%s", on(t, C_SIGNAL), fs_str_or(fs, "sig", "?"), on(t, C_OFF));
	if (sender > 0)
		fprintf(t->f, " from %lld", (long long)sender);
	fprintf(t->f, " (%s", fs_str_or(fs, "code", "?"));
	if (st) {
		fputs(": child ", t->f);
		put_value(t->f, st);
	}
	fprintf(t->f, ") %s", signal_action_words(fs));
}

static void text_exit(struct text_sink *t, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	const char *sig = fs_gets(fs, "signal");
	int whole = (int)fs_geti(fs, "process", 0);
	int64_t exec_by = fs_geti(fs, "exec_by", 0);
	if (exec_by)
		fprintf(t->f, "thread ended: thread %lld called exec, which ends every other thread",
			(long long)exec_by);
	else if (sig)
		fprintf(t->f, "%s%s %s%s%s", on(t, C_BAD), whole ? "killed by" : "thread killed by", sig,
			fs_geti(fs, "core", 0) ? " (core dumped)" : "", on(t, C_OFF));
	else
		fprintf(t->f, "%s with code %lld", whole ? "exited" : "thread exited",
			(long long)fs_geti(fs, "code", 0));
}

static void text_reap(struct text_sink *t, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	const char *how = fs_str_or(fs, "how", "?");
	int64_t child = fs_geti(fs, "child", 0);
	uint64_t ns = (uint64_t)fs_geti(fs, "zombie_ns", 0);
	if (strcmp(how, "wait") == 0) {
		fprintf(t->f, "%sreaped %lld%s, a zombie for ", on(t, C_GOOD), (long long)child, on(t, C_OFF));
		put_duration(t->f, ns);
	} else if (strcmp(how, "auto") == 0) {
		fprintf(t->f, "%s%lld reaped by the kernel at once%s: its parent ignores SIGCHLD (or set SA_NOCLDWAIT), so no zombie",
			on(t, C_GOOD), (long long)child, on(t, C_OFF));
	} else if (fs_geti(fs, "leaked", 0)) {
		fprintf(t->f, "%sLEAKED zombie %lld%s: its parent ended without reaping it; the tracer reaps it now, after ",
			on(t, C_BAD), (long long)child, on(t, C_OFF));
		put_duration(t->f, ns);
	} else {
		fprintf(t->f, "orphan %lld reaped by the tracer (it outlived its parent; init would reap it)", (long long)child);
	}
}

/* What the lab runner did, in words. */
static void text_lab(FILE *f, const struct fields *fs)
{
	const char *what = fs_str_or(fs, "what", "?");
	if (strcmp(what, "ready") == 0)
		fprintf(f, "the server is ready on port %lld", (long long)fs_geti(fs, "port", 0));
	else if (strcmp(what, "load-start") == 0)
		fprintf(f, "the load generator starts (pid %lld, not traced)", (long long)fs_geti(fs, "loadgen_pid", 0));
	else if (strcmp(what, "load-done") == 0)
		fprintf(f, "the load generator is done (exit %lld)", (long long)fs_geti(fs, "exit", 0));
	else if (strcmp(what, "stop") == 0)
		fprintf(f, "the tracer sends %s to the server: the lab is over", sig_name((int)fs_geti(fs, "sig", 0)));
	else
		put_args(f, fs, ", ", 0);
}

static void text_spawn(struct text_sink *t, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	const struct fields *flags = fs_getlist(fs, "flags");
	const char *call = fs_str_or(fs, "call", "?");
	const char *untraced = fs_gets(fs, "untraced");
	if (untraced && strcmp(untraced, "escaped") == 0) {
		fprintf(t->f, "%s%lld escaped the trace%s (made with CLONE_UNTRACED), found only now: "
			"what it did until now was not seen", on(t, C_BAD), (long long)fs_geti(fs, "child", 0), on(t, C_OFF));
		return;
	}
	if (strcmp(fs_str_or(fs, "kind", "?"), "thread") == 0 && strcmp(call, "pthread_create") == 0)
		/* it returns 0 and writes the new thread's id through its first argument */
		fprintf(t->f, "%s(&thread) = 0 -> new thread %lld", call, (long long)fs_geti(fs, "child", 0));
	else if (strcmp(fs_str_or(fs, "kind", "?"), "thread") == 0)
		fprintf(t->f, "%s() = %lld (new thread)", call, (long long)fs_geti(fs, "child", 0));
	else
		fprintf(t->f, "%s() = %lld (new process)", call, (long long)fs_geti(fs, "child", 0));
	fprintf(t->f, "  %s[%s ", on(t, C_DIM), fs_str_or(fs, "syscall", "?"));
	if (flags && flags->n)
		put_all_names(t->f, flags);   /* what the kernel was asked, whole */
	else
		putc('0', t->f);
	fprintf(t->f, "]%s", on(t, C_OFF));
	if (untraced)
		fputs("  (CLONE_UNTRACED asks the kernel to hide the child from the tracer; the tracer took it out, and traces it)", t->f);
}

static void text_exec(struct text_sink *t, const struct event *ev)
{
	const struct fields *argv = fs_getlist(&ev->f, "argv");
	fprintf(t->f, "%sexec%s ", on(t, C_NOTE), on(t, C_OFF));
	for (int i = 0; argv && i < argv->n; i++) {
		fputs(i ? " " : "", t->f);
		put_value(t->f, &argv->f[i]);
	}
	if (fs_get(&ev->f, "old_tid"))
		fprintf(t->f, "  (by thread %lld, which takes over pid %d; the other threads are gone)",
			(long long)fs_geti(&ev->f, "old_tid", 0), ev->pid);
}

static void text_state(struct text_sink *t, const struct event *ev)
{
	const char *to = fs_str_or(&ev->f, "to", "?");
	if (strcmp(to, "zombie") == 0)
		fprintf(t->f, "%sis a zombie now%s (<defunct> in ps) until its parent reaps it", on(t, C_BAD), on(t, C_OFF));
	else if (strcmp(to, "stopped") == 0)
		fprintf(t->f, "%sstopped%s", on(t, C_SIGNAL), on(t, C_OFF));
	else
		fprintf(t->f, "%scontinued%s", on(t, C_SIGNAL), on(t, C_OFF));
}

/* What a joined thread returned: a small number as such (what labs
 * return), anything else as the address it most likely is. */
#define JOIN_VALUE_SMALL 0x100000000LL

static void text_libcall(struct text_sink *t, const struct event *ev)
{
	fprintf(t->f, "%s(", fs_str_or(&ev->f, "name", "?"));
	put_args(t->f, fs_getobj(&ev->f, "args"), ", ", 0);
	fprintf(t->f, ") = %lld", (long long)fs_geti(&ev->f, "ret", 0));
	if (fs_get(&ev->f, "canceled")) {
		fputs(" -> it was canceled (PTHREAD_CANCELED)", t->f);
	} else if (fs_get(&ev->f, "returned")) {
		long long v = (long long)fs_geti(&ev->f, "returned", 0);
		if (v > -JOIN_VALUE_SMALL && v < JOIN_VALUE_SMALL)
			fprintf(t->f, " -> it returned %lld", v);
		else
			fprintf(t->f, " -> it returned %#llx", (unsigned long long)v);
	}
	fprintf(t->f, "  %s[library call]%s", on(t, C_DIM), on(t, C_OFF));
}

static void text_note(struct text_sink *t, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	if (strcmp(fs_str_or(fs, "what", "?"), "foreign_calls") == 0)
		fprintf(t->f, "%smakes %s system calls (the first: number %lld): they run, but this trace "
			"shows x86-64 calls only%s", on(t, C_SIGNAL), fs_str_or(fs, "arch", "?"),
			(long long)fs_geti(fs, "nr", 0), on(t, C_OFF));
	else
		fprintf(t->f, "note: %s", fs_str_or(fs, "what", "?"));
}

/* --hold sigchld: where the tracer arranged the race, said where it
 * happens, so that nobody takes the merged signal for the kernel's delay. */
static void text_hold(struct text_sink *t, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	const char *what = fs_str_or(fs, "what", "?"), *sig = fs_str_or(fs, "sig", "?");
	long long children = fs_geti(fs, "children", 0), exits = fs_geti(fs, "exits", 0);
	fputs(on(t, C_NOTE), t->f);
	if (strcmp(what, "start") == 0 && children > 0)
		fprintf(t->f, "the tracer holds this %s back until its %lld running child%s and any new ones "
			"have exited, to make the race certain", sig, children, children == 1 ? "" : "ren");
	else if (strcmp(what, "start") == 0)
		fprintf(t->f, "the tracer holds this %s back while the process may still make children, "
			"to make the race certain", sig);
	else if (strcmp(what, "release") == 0) {
		fprintf(t->f, "the tracer lets the held %s go after ", sig);
		put_duration(t->f, (uint64_t)fs_geti(fs, "held_ns", 0));
		fprintf(t->f, ": this one signal stands for %lld child%s exit%s", exits,
			exits == 1 ? "'s" : "ren's", exits == 1 ? "" : "s");
	} else
		fprintf(t->f, "the held %s is never delivered: the process ended first", sig);
	fprintf(t->f, " (--hold sigchld)%s", on(t, C_OFF));
}

/* Remember who pid is: its program's name and its depth in the tree. */
static void remember(struct text_sink *t, pid_t pid, const char *name, int64_t depth)
{
	if (pid <= 0)
		return;   /* not a pid (a replayed file may say anything) */
	struct who *w = idmap_get(&t->who, pid);
	if (!w) {
		if (!(w = calloc(1, sizeof *w)))
			return;
		if (idmap_put(&t->who, pid, w) < 0) {
			free(w);
			return;
		}
	}
	if (depth >= 0)   /* a replayed file may say anything: keep the indent sane */
		w->depth = (int)(depth < DEPTH_SHOWN_MAX ? depth : DEPTH_SHOWN_MAX);
	snprintf(w->name, sizeof w->name, "%s", name ? name : "?");
}

/* The events that say who is who; the states not worth a line of their own. */
static int note_and_filter(struct text_sink *t, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	const char *to;
	switch (ev->type) {
	case EV_TRACE:
		t->tracer_pid = (pid_t)fs_geti(fs, "tracer_pid", 0);
		t->root = ev->pid;
		remember(t, ev->pid, fs_gets(fs, "name"), 0);
		return 0;
	case EV_SUMMARY:
	case EV_START:   /* where the program's own code starts: for tools, not a lesson */
		return 0;
	case EV_SPAWN:
		if (strcmp(fs_str_or(fs, "kind", "?"), "process") == 0)
			remember(t, (pid_t)fs_geti(fs, "child", 0), fs_gets(fs, "name"), fs_geti(fs, "depth", 0));
		return 1;
	case EV_EXEC:
		remember(t, ev->pid, fs_gets(fs, "name"), -1);
		return 1;
	case EV_STATE:
		/* Only the states that carry a lesson get a line of their own. */
		to = fs_str_or(fs, "to", "?");
		if (strcmp(to, "reaped") == 0 && ev->pid == ev->tid && ev->pid != t->root)
			free(idmap_del(&t->who, ev->pid));   /* gone: nothing more comes from it */
		return strcmp(to, "zombie") == 0 || strcmp(to, "stopped") == 0 ||
		       (strcmp(to, "running") == 0 && strcmp(fs_str_or(fs, "from", "?"), "stopped") == 0);
	default:
		return 1;
	}
}

/* The columns every line starts with: when, who (indented by depth in
 * the tree), and a bar for each signal handler the task is running. */
static void text_line_head(struct text_sink *t, uint64_t when, pid_t pid, pid_t tid, int64_t in_handler)
{
	const struct who *w = idmap_get(&t->who, pid);
	char who[32];
	if (tid != pid)
		snprintf(who, sizeof who, "%d/%d", pid, tid);
	else
		snprintf(who, sizeof who, "%d", pid);
	const char *c = t->color ? proc_colors[(unsigned)pid % NPROC_COLORS] : "";
	fprintf(t->f, "%10.6f %*s%s%-12s %-10.10s%s ", (double)when / (double)NS_PER_S, w ? w->depth * 2 : 0, "",
		c, who, w ? w->name : pid == t->tracer_pid ? "[tracer]" : "", on(t, C_OFF));
	if (in_handler > 0) {
		fputs(on(t, C_SIGNAL), t->f);
		for (int64_t i = 0; i < in_handler && i < HANDLERS_SHOWN_MAX; i++)
			fputs(HANDLER_BAR, t->f);
		fputs(on(t, C_OFF), t->f);
	}
}

/* The calls that return twice, 0 in the child (posix_spawn's child and
 * clone(fn)'s do not return: they run exec or fn). */
static const char *const returns_twice[] = { "fork", "vfork" };

/* fork() returns twice: the child's side, on a line of its own (with
 * --numbered, a tab alone where the index would be: the event's line is
 * the parent's). */
static void text_spawned(struct text_sink *t, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	const char *call = fs_str_or(fs, "call", "?");
	pid_t child = (pid_t)fs_geti(fs, "child", 0);
	int twice = 0;
	for (size_t i = 0; i < sizeof returns_twice / sizeof returns_twice[0]; i++)
		twice |= strcmp(returns_twice[i], call) == 0;
	if (!twice || strcmp(fs_str_or(fs, "kind", "?"), "process") != 0 || child <= 0 ||
	    fs_gets(fs, "untraced") || strcmp(fs_str_or(fs, "syscall", "?"), "unreported") == 0)
		return;
	if (t->numbered)
		putc('\t', t->f);
	text_line_head(t, ev->t, child, child, 0);
	fprintf(t->f, "%s() = 0  (in the child: this is the new process)\n", call);
}

static void text_event(struct sink *s, const struct event *ev)
{
	struct text_sink *t = (struct text_sink *)s;
	long seq = t->seq++;
	if (!note_and_filter(t, ev))
		return;
	if (t->numbered)
		fprintf(t->f, "%ld\t", seq);
	text_line_head(t, ev->t, ev->pid, ev->tid, fs_geti(&ev->f, "in_handler", 0));
	switch (ev->type) {
	case EV_SYSCALL: text_syscall(t, ev); break;
	case EV_SIGNAL: text_signal(t, ev); break;
	case EV_EXIT: text_exit(t, ev); break;
	case EV_REAP: text_reap(t, ev); break;
	case EV_SPAWN: text_spawn(t, ev); break;
	case EV_EXEC: text_exec(t, ev); break;
	case EV_STATE: text_state(t, ev); break;
	case EV_LIBCALL: text_libcall(t, ev); break;
	case EV_NOTE: text_note(t, ev); break;
	case EV_HOLD: text_hold(t, ev); break;
	case EV_LAB:
		fprintf(t->f, "%s== ", on(t, C_NOTE));
		text_lab(t->f, &ev->f);
		fputs(on(t, C_OFF), t->f);
		break;
	default:
		break;
	}
	putc('\n', t->f);
	if (ev->type == EV_SPAWN)
		text_spawned(t, ev);
}

static void text_finish(struct sink *s) { fflush(((struct text_sink *)s)->f); }

static void text_free(struct sink *s)
{
	struct text_sink *t = (struct text_sink *)s;
	idmap_each(&t->who, i)
		free(t->who.slots[i].val);
	idmap_free(&t->who);
	free(t);
}

struct sink *text_sink_new(FILE *f, int color, int numbered)
{
	struct text_sink *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->f = f;
	t->color = color;
	t->numbered = numbered;
	t->sink.event = text_event;
	t->sink.finish = text_finish;
	t->sink.free = text_free;
	return &t->sink;
}
