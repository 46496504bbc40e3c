/*
 * out_text.c - the live timeline a student reads.
 *
 *     0.012345  1234 lab05      fork() = 1235                      [clone]
 *     0.012801    1235 lab05    exited with code 0 -> zombie until 1234 reaps it
 *
 * One line per event: seconds since the start, who (pid, or pid/tid for a
 * thread, and the program's name), indented by depth in the process tree,
 * then what happened in words. Each process keeps one colour.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/model.h"
#include "common/names.h"
#include "output/output.h"

struct text_sink {
	struct sink sink;
	FILE *f;
	int color;
};

enum { C_OFF, C_DIM, C_SIGNAL, C_BAD, C_GOOD, C_NOTE };
static const char *const paint[] = {
	[C_OFF] = "\033[0m", [C_DIM] = "\033[2m", [C_SIGNAL] = "\033[1;33m",
	[C_BAD] = "\033[1;31m", [C_GOOD] = "\033[32m", [C_NOTE] = "\033[1;36m",
};
static const char *const proc_colors[] = { "\033[34m", "\033[35m", "\033[36m", "\033[32m", "\033[33m", "\033[94m" };

static const char *on(const struct text_sink *t, int c) { return t->color ? paint[c] : ""; }

static int count_names(const char *s)
{
	int n = 1;
	while ((s = strchr(s, '|')))
		n++, s++;
	return n;
}

/* Render one field's value as C would write it. */
static void put_value(FILE *f, const struct field *v)
{
	char buf[512];
	switch (v->kind) {
	case F_INT: fprintf(f, "%lld", (long long)v->i); break;
	case F_HEX: fprintf(f, "%#llx", (unsigned long long)v->i); break;
	case F_STR: fputs(v->s, f); break;
	case F_NAMES:
		/* A long set (a mask of every signal) would hide the line. */
		if (strlen(v->s) > 96)
			fprintf(f, "%.80s...(%d names)", v->s, count_names(v->s));
		else
			fputs(*v->s ? v->s : "0", f);
		break;
	case F_STRS:
		for (const char *p = v->s; *p; p++)
			putc(*p == '\x1f' ? ' ' : *p, f);
		break;
	case F_NULL: fputs("NULL", f); break;
	case F_BOOL: fputs(v->i ? "true" : "false", f); break;
	case F_INTS:
		putc('{', f);
		for (int i = 0; i < v->count; i++)
			fprintf(f, "%s%d", i ? " " : "", v->ints[i]);
		putc('}', f);
		break;
	case F_PAIRS:
		putc('[', f);
		for (int i = 0; i < v->count; i++)
			fprintf(f, "%s%d:%s", i ? " " : "", v->ints[2 * i],
				flags_name(v->tab, (unsigned)v->ints[2 * i + 1], buf, sizeof buf));
		putc(']', f);
		break;
	case F_OBJ:
		for (int i = 0; i < v->obj->n; i++) {
			const struct field *s = &v->obj->f[i];
			if (s->kind == F_BOOL && !s->i)
				continue;
			fprintf(f, "%s%s", i ? " " : "", s->key);
			if (s->kind != F_BOOL) {
				putc(' ', f);
				put_value(f, s);
			}
		}
		break;
	}
}

/* key=value pairs; an absent set (NULL) is left out of what came back. */
static void put_args(FILE *f, const struct fields *fs, const char *sep, int skip_null)
{
	int shown = 0;
	for (int i = 0; fs && i < fs->n; i++) {
		const struct field *v = &fs->f[i];
		if (skip_null && v->kind == F_NULL)
			continue;
		if (strcmp(v->key, "timeout_ns") == 0) {
			fprintf(f, "%stimeout=", shown++ ? sep : "");
			if (v->kind == F_NULL)
				fputs("NULL (wait forever)", f);
			else
				fprintf(f, "%.3f s", (double)v->i / 1e9);
			continue;
		}
		fprintf(f, "%s%s=", shown++ ? sep : "", v->key);
		put_value(f, v);
	}
}

static void put_duration(FILE *f, uint64_t ns)
{
	if (ns >= 1000000000)
		fprintf(f, "%.2f s", (double)ns / 1e9);
	else if (ns >= 1000000)
		fprintf(f, "%.1f ms", (double)ns / 1e6);
	else
		fprintf(f, "%llu us", (unsigned long long)(ns / 1000));
}

static void text_syscall(struct text_sink *t, const struct event *ev)
{
	FILE *f = t->f;
	const struct fields *fs = &ev->f;
	const char *name = fs_gets(fs, "name"), *call = fs_gets(fs, "call");
	const struct field *args = fs_get(fs, "args"), *out = fs_get(fs, "out");
	const struct field *ret = fs_get(fs, "ret");
	const char *err = fs_gets(fs, "err"), *intr = fs_gets(fs, "interrupted");
	int64_t dur = fs_geti(fs, "dur_ns", 0);

	fprintf(f, "%s(", call);
	put_args(f, args ? args->obj : NULL, ", ", 0);
	fputs(")", f);
	if (intr) {
		fprintf(f, " %s<- interrupted by %s: %s%s", on(t, C_SIGNAL), fs_gets(fs, "signal"),
			strcmp(intr, "EINTR") == 0 ? "returns -1 EINTR to the program"
						   : "the kernel restarts it", on(t, C_OFF));
	} else if (ret && ret->kind == F_INT) {
		fprintf(f, " = %lld", (long long)ret->i);
		if (err)
			fprintf(f, " %s%s%s", on(t, C_BAD), err, on(t, C_OFF));
		if (out && out->obj->n) {
			fputs(" -> ", f);
			put_args(f, out->obj, " ", 1);
		}
	}
	if (dur >= 1000000) {
		fprintf(f, "  %s<blocked ", on(t, C_DIM));
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
	const char *action = fs_gets(fs, "action");
	fprintf(t->f, "%s<- %s%s", on(t, C_SIGNAL), fs_gets(fs, "sig"), on(t, C_OFF));
	if (sender > 0)
		fprintf(t->f, " from %lld", (long long)sender);
	fprintf(t->f, " (%s", fs_gets(fs, "code"));
	if (st) {
		fputs(": child ", t->f);
		put_value(t->f, st);
	}
	fprintf(t->f, ") %s", strcmp(action, "handler") == 0 ? "-> runs the handler"
			: strcmp(action, "ignore") == 0 ? "-> ignored"
			: strcmp(action, "stop") == 0 ? "-> stops the process"
			: strcmp(action, "default") == 0 ? "-> continues the process"
			: "-> kills the process");
}

static void text_exit(struct text_sink *t, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	const char *sig = fs_gets(fs, "signal");
	int whole = (int)fs_geti(fs, "process", 0);
	const char *what = whole ? "exited" : "thread exited";
	if (sig)
		fprintf(t->f, "%s%s %s%s%s", on(t, C_BAD), whole ? "killed by" : "thread killed by", sig,
			fs_geti(fs, "core", 0) ? " (core dumped)" : "", on(t, C_OFF));
	else
		fprintf(t->f, "%s with code %lld", what, (long long)fs_geti(fs, "code", 0));
}

static void text_reap(struct text_sink *t, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	const char *how = fs_gets(fs, "how");
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
static void lab_line(FILE *f, const struct fields *fs)
{
	const char *what = fs_gets(fs, "what");
	if (strcmp(what, "ready") == 0)
		fprintf(f, "the server is ready on port %lld", (long long)fs_geti(fs, "port", 0));
	else if (strcmp(what, "load-start") == 0)
		fprintf(f, "the load generator starts (pid %lld, not traced)", (long long)fs_geti(fs, "pid", 0));
	else if (strcmp(what, "load-done") == 0)
		fprintf(f, "the load generator is done (exit %lld)", (long long)fs_geti(fs, "exit", 0));
	else if (strcmp(what, "stop") == 0)
		fprintf(f, "the tracer sends %s to the server: the lab is over", sig_name((int)fs_geti(fs, "sig", 0)));
	else
		put_args(f, fs, ", ", 0);
}

static void text_line_head(struct text_sink *t, const struct event *ev, const struct model *m)
{
	const struct proc *p = model_proc(m, ev->pid);
	int depth = p ? p->depth : 0;
	char who[32];
	if (ev->tid != ev->pid)
		snprintf(who, sizeof who, "%d/%d", ev->pid, ev->tid);
	else
		snprintf(who, sizeof who, "%d", ev->pid);
	const char *c = t->color ? proc_colors[(unsigned)ev->pid % 6] : "";
	fprintf(t->f, "%10.6f %*s%s%-12s %-10.10s%s ", (double)ev->t / 1e9, depth * 2, "", c, who,
		p ? p->name : ev->pid == m->tracer_pid ? "[tracer]" : "", on(t, C_OFF));
}

static void text_event(struct sink *s, const struct event *ev, const struct model *m)
{
	struct text_sink *t = (struct text_sink *)s;
	FILE *f = t->f;
	const struct fields *fs = &ev->f;
	const char *to;

	switch (ev->type) {
	case EV_STATE:
		/* Only the states that carry a lesson get a line of their own. */
		to = fs_gets(fs, "to");
		if (strcmp(to, "zombie") != 0 && strcmp(to, "stopped") != 0 &&
		    !(strcmp(to, "running") == 0 && strcmp(fs_gets(fs, "from"), "stopped") == 0))
			return;
		break;
	case EV_TRACE: case EV_SUMMARY:
		return;
	default:
		break;
	}
	text_line_head(t, ev, m);
	switch (ev->type) {
	case EV_SYSCALL: text_syscall(t, ev); break;
	case EV_SIGNAL: text_signal(t, ev); break;
	case EV_EXIT: text_exit(t, ev); break;
	case EV_REAP: text_reap(t, ev); break;
	case EV_SPAWN:
		if (strcmp(fs_gets(fs, "kind"), "thread") == 0)
			fprintf(f, "%s() = new thread %lld", fs_gets(fs, "call"), (long long)fs_geti(fs, "child", 0));
		else
			fprintf(f, "%s() = %lld (new process)", fs_gets(fs, "call"), (long long)fs_geti(fs, "child", 0));
		fprintf(f, "  %s[%s %s]%s", on(t, C_DIM), fs_gets(fs, "syscall"), fs_gets(fs, "flags"), on(t, C_OFF));
		break;
	case EV_EXEC:
		fprintf(f, "%sexec%s ", on(t, C_NOTE), on(t, C_OFF));
		put_value(f, fs_get(fs, "argv"));
		if (fs_get(fs, "old_tid"))
			fprintf(f, "  (by thread %lld, which takes over pid %d; the other threads are gone)",
				(long long)fs_geti(fs, "old_tid", 0), ev->pid);
		break;
	case EV_STATE:
		to = fs_gets(fs, "to");
		if (strcmp(to, "zombie") == 0)
			fprintf(f, "%sis a zombie now%s (<defunct> in ps) until its parent reaps it", on(t, C_BAD), on(t, C_OFF));
		else if (strcmp(to, "stopped") == 0)
			fprintf(f, "%sstopped%s", on(t, C_SIGNAL), on(t, C_OFF));
		else
			fprintf(f, "%scontinued%s", on(t, C_SIGNAL), on(t, C_OFF));
		break;
	case EV_LAB:
		fprintf(f, "%s== ", on(t, C_NOTE));
		lab_line(f, fs);
		fprintf(f, "%s", on(t, C_OFF));
		break;
	case EV_LIBCALL:
		fprintf(f, "%s(", fs_gets(fs, "name"));
		put_args(f, fs_get(fs, "args") ? fs_get(fs, "args")->obj : NULL, ", ", 0);
		fprintf(f, ") = %lld  %s[library call]%s", (long long)fs_geti(fs, "ret", 0), on(t, C_DIM), on(t, C_OFF));
		break;
	default:
		break;
	}
	putc('\n', f);
}

static void text_finish(struct sink *s, const struct model *m)
{
	(void)m;
	fflush(((struct text_sink *)s)->f);
}

struct sink *text_sink_new(FILE *f, int color)
{
	struct text_sink *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->f = f;
	t->color = color;
	t->sink.event = text_event;
	t->sink.finish = text_finish;
	return &t->sink;
}
