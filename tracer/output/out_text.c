/*
 * out_text.c - the live timeline a student reads: which events get a line.
 *
 * It keeps who each pid is (its program's name, its depth in the process
 * tree) from the events themselves (the header, spawn and exec), so a
 * replayed trace reads exactly as the live one did; text_layout.c lays
 * out a line's columns and text_events.c says what the event did.
 *
 * The beginner's view (the default) leaves out two kinds of lines, which
 * --verbose shows (the legend, text_legend.c, says the same):
 * - the dynamic loader's calls before the program's own code starts (it
 *   opens and reads the C library), and the constructors' set-up: from an
 *   exec to the preloaded hook's start marker, sent just before main (a
 *   child a constructor forks is in set-up too, until its own marker);
 * - a write() to fd 1 or 2 that went through at once: the program's own
 *   printed text, which the student sees as it is (when the tracer started
 *   the program: one it attached to with -p prints elsewhere).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/utf8.h"
#include "output/output.h"
#include "output/text_int.h"

/* Deeper processes are indented as this deep. */
#define DEPTH_SHOWN_MAX 32
/* The fds whose writes the student reads as the program's own output. */
#define STDOUT_FD 1
#define STDERR_FD 2

/* The calls a program's set-up makes before its main (those of them a
 * trace class stops): the dynamic loader's, which loads its libraries, and
 * the constructors', which may load a message catalog (the lab kit's) and
 * so run a once-only initialisation that wakes its waiters (futex). Any
 * other call before the start marker is the program's own: a statically
 * linked one has no hook, and so no marker, and starts at once. */
static const char *const loader_calls[] = { "read", "pread64", "close", "openat", "mmap", "mprotect",
					    "futex" };
/* The calls that print: a successful one to fd 1 or 2 is the program's text. */
static const char *const print_calls[] = { "write" };

static int in_list(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; name && i < n; i++)
		if (strcmp(list[i], name) == 0)
			return 1;
	return 0;
}
#define IN(name, list) in_list(name, list, sizeof list / sizeof list[0])

static int is_false(const struct field *f)
{
	return f && f->kind == F_BOOL && !f->i;
}

/* Remember who pid is: its program's name and its depth in the tree. */
static struct who *remember(struct text_sink *t, pid_t pid, const char *name, int64_t depth)
{
	if (pid <= 0)
		return NULL;   /* not a pid (a replayed file may say anything) */
	struct who *w = idmap_get(&t->who, pid);
	if (!w) {
		if (!(w = calloc(1, sizeof *w)))
			return NULL;
		if (idmap_put(&t->who, pid, w) < 0) {
			free(w);
			return NULL;
		}
	}
	if (depth >= 0)   /* a replayed file may say anything: keep the indent sane */
		w->depth = (int)(depth < DEPTH_SHOWN_MAX ? depth : DEPTH_SHOWN_MAX);
	utf8_snprintf(w->name, sizeof w->name, "%s", name ? name : "?");   /* more than a column shows */
	return w;
}

/* Is this call the loader's, before the program's code starts? A call
 * the loader does not make means the program runs (no marker will come). */
static int is_loader_call(struct text_sink *t, const struct event *ev)
{
	struct who *w = idmap_get(&t->who, ev->pid);
	if (!w || !w->loading)
		return 0;
	if (IN(fs_gets(&ev->f, "name"), loader_calls))
		return 1;
	w->loading = 0;
	return 0;
}

/* A write to fd 1 or 2 that went through at once: its text is on the
 * screen already. One that failed, blocked or never ended keeps its line. */
static int is_printed_text(const struct event *ev)
{
	const struct fields *fs = &ev->f;
	const struct field *ret = fs_get(fs, "ret"), *slept = fs_get(fs, "slept");
	int64_t fd = fs_geti(fs_getobj(fs, "args"), "fd", -1);
	return IN(fs_gets(fs, "name"), print_calls) && (fd == STDOUT_FD || fd == STDERR_FD) &&
	       ret && ret->kind == F_INT && ret->i >= 0 && !fs_gets(fs, "err") &&
	       !fs_gets(fs, "interrupted") && !fs_gets(fs, "unfinished") &&
	       !(slept && slept->kind == F_BOOL && slept->i);
}

/* The events that say who is who; the lines not worth showing. */
static int note_and_filter(struct text_sink *t, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	const struct field *hook, *attached;
	struct who *w;
	const char *to;
	switch (ev->type) {
	case EV_TRACE:
		t->tracer_pid = (pid_t)fs_geti(fs, "tracer_pid", 0);
		t->root = ev->pid;
		hook = fs_get(fs, "hook");
		t->hook = hook && hook->kind == F_BOOL && hook->i;
		attached = fs_get(fs, "attached");
		t->prints_here = !(attached && attached->kind == F_BOOL && attached->i);
		remember(t, ev->pid, fs_gets(fs, "name"), 0);
		return 0;
	case EV_SUMMARY:
		return 0;
	case EV_START:   /* the program's own code starts: the loader is done */
		if ((w = idmap_get(&t->who, ev->pid)))
			w->loading = 0;
		return 0;
	case EV_SPAWN:
		if (strcmp(fs_str_or(fs, "kind", "?"), "process") == 0) {
			/* A child forked before main (by a constructor) goes on with
			 * its parent's set-up, and the hook marks its own start. */
			const struct who *parent = idmap_get(&t->who, ev->pid);
			int loading = parent && parent->loading;
			if ((w = remember(t, (pid_t)fs_geti(fs, "child", 0), fs_gets(fs, "name"),
					  fs_geti(fs, "depth", 0))))
				w->loading = loading;
		}
		return 1;
	case EV_EXEC:
		/* The hook will say where the new program starts; a statically
		 * linked one has no loader, and no hook: it starts at once. */
		if ((w = remember(t, ev->pid, fs_gets(fs, "name"), -1)))
			w->loading = t->hook && !is_false(fs_get(fs, "dynamic"));
		return 1;
	case EV_SYSCALL:
		return t->verbose || !(is_loader_call(t, ev) || (t->prints_here && is_printed_text(ev)));
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

static void text_event(struct sink *s, const struct event *ev)
{
	struct text_sink *t = (struct text_sink *)s;
	long seq = t->seq++;
	if (ev->type == EV_TRACE && fs_gets(&ev->f, "lab"))
		text_legend_pointer(t->out, t->verbose);   /* a student's first run: where the columns are explained */
	if (!note_and_filter(t, ev))
		return;
	text_body(t, ev);
	text_line(t, seq, ev->t, ev->pid, ev->tid, fs_geti(&ev->f, "in_handler", 0));
	/* fork() returns twice: the child's side, on a line of its own (with
	 * --numbered, no index: the event's line is the parent's) */
	if (text_child_side(t, ev)) {
		pid_t child = (pid_t)fs_geti(&ev->f, "child", 0);
		text_line(t, -1, ev->t, child, child, 0);
	}
}

static void text_finish(struct sink *s) { fflush(((struct text_sink *)s)->out); }

static void text_free(struct sink *s)
{
	struct text_sink *t = (struct text_sink *)s;
	idmap_each(&t->who, i)
		free(t->who.slots[i].val);
	idmap_free(&t->who);
	if (t->f)
		fclose(t->f);
	free(t->body);
	if (t->line)
		fclose(t->line);
	free(t->line_buf);
	free(t);
}

struct sink *text_sink_new(FILE *f, int color, int numbered, int verbose)
{
	struct text_sink *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	if (!(t->f = open_memstream(&t->body, &t->body_len)) ||
	    !(t->line = open_memstream(&t->line_buf, &t->line_len))) {
		if (t->f)
			fclose(t->f);
		free(t->body);
		free(t);
		return NULL;
	}
	t->out = f;
	t->color = color;
	t->numbered = numbered;
	t->verbose = verbose;
	t->sink.event = text_event;
	t->sink.finish = text_finish;
	t->sink.free = text_free;
	return &t->sink;
}
