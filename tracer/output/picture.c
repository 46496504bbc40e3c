/*
 * picture.c - the picture of a run built from its events (picture.h):
 * who exists, in which state, from when to when, and what went from whom
 * to whom. It reads the events only, as every renderer does, so a replayed
 * trace gives the very same picture. Each element keeps its event's
 * timeline line, which the text renderer writes (numbered, one line per
 * event) into memory as the events go by: the tooltip is the line a
 * student reads in the terminal, never a second wording of it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "common/utf8.h"
#include "output/output.h"
#include "output/picture.h"
#include "output/summary_advice.h"
#include "common/lang.h"

enum task_state { TS_NEW, TS_RUNNING, TS_BLOCKED, TS_STOPPED, TS_EXITED, TS_ZOMBIE, TS_REAPED };
/* The state names of the `state` events, and the span each one draws;
 * in the order of enum task_state (states[s] is about s). */
static const struct { const char *name; enum task_state state; int span; } states[] = {
	{ "new", TS_NEW, -1 }, { "running", TS_RUNNING, SP_RUNNING }, { "blocked", TS_BLOCKED, SP_BLOCKED },
	{ "stopped", TS_STOPPED, SP_STOPPED }, { "exited", TS_EXITED, -1 }, { "zombie", TS_ZOMBIE, SP_ZOMBIE },
	{ "reaped", TS_REAPED, -1 },
};
#define NSTATES (sizeof states / sizeof states[0])
_Static_assert(NSTATES == TS_REAPED + 1, "picture.c: one entry of states[] per task state");

const char *const span_class[SP_NKINDS] = {
	[SP_RUNNING] = "running", [SP_BLOCKED] = "blocked", [SP_STOPPED] = "stopped", [SP_ZOMBIE] = "zombie",
	[SP_UNFINISHED] = "unfinished", [SP_HANDLER] = "handler", [SP_DENSE] = "dense",
};
const char *const arrow_class[AR_NKINDS] = { [AR_SPAWN] = "spawn", [AR_SIGNAL] = "signal", [AR_REAP] = "reap" };

static int state_of(const char *name)
{
	for (size_t i = 0; name && i < NSTATES; i++)
		if (strcmp(states[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* The span of the state the task was in, up to t. */
static void close_state(struct picture *p, int k, uint64_t t)
{
	struct task *tk = &p->tasks[k];
	int i = (int)tk->state;
	if (states[i].span >= 0 && states[i].span != SP_BLOCKED && t > tk->since)
		add_span(p, k, (enum span_kind)states[i].span, tk->since, t, tk->state == TS_ZOMBIE ? tk->zombie_line : NO_LINE);
}

static void on_state(struct picture *p, int k, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	int from = state_of(fs_gets(fs, "from")), to = state_of(fs_gets(fs, "to"));
	if (to < 0)
		return;
	struct task *tk = &p->tasks[k];
	if (from >= 0 && states[from].state == TS_BLOCKED) {
		/* known only now: it slept in call since `since`. Its line
		 * follows; or came first, for a call that never returned,
		 * whose bar becomes this one. */
		uint64_t since = (uint64_t)fs_geti(fs, "since", (int64_t)ev->t);
		struct span *last = tk->nspans ? &tk->spans[tk->nspans - 1] : NULL;
		long line = NO_LINE;
		if (last && last->kind == SP_UNFINISHED && last->t1 == ev->t) {
			line = last->line;
			tk->nspans--;
		}
		if (since < tk->since)
			since = tk->since;
		close_state(p, k, since);
		struct span *s = add_span(p, k, SP_BLOCKED, since, ev->t, line);
		if (s)
			s->call = picture_intern(p, fs_gets(fs, "call"));
	} else {
		close_state(p, k, ev->t);
	}
	tk = &p->tasks[k];
	tk->state = (int)states[to].state;
	tk->since = ev->t;
	if (tk->state == TS_ZOMBIE)
		tk->zombie_line = p->seq;   /* "is a zombie now": the zombie bar's line */
	if (tk->state == TS_REAPED || (tk->state == TS_EXITED && tk->thread))
		tk->ended = ev->t;
}

static void on_syscall(struct picture *p, int k, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	struct task *tk = &p->tasks[k];
	const struct field *slept = fs_get(fs, "slept");
	struct span *last = tk->nspans ? &tk->spans[tk->nspans - 1] : NULL;
	int ends_blocked = last && last->kind == SP_BLOCKED && last->t1 == ev->t && last->line == NO_LINE;
	if (slept && slept->kind == F_BOOL && slept->i && ends_blocked)
		last->line = p->seq;   /* the blocked bar's line: the call it slept in */
	if (fs_gets(fs, "unfinished") && !ends_blocked) {
		uint64_t dur = (uint64_t)fs_geti(fs, "dur_ns", 0);
		struct span *s = add_span(p, k, SP_UNFINISHED, dur < ev->t ? ev->t - dur : 0, ev->t, p->seq);
		if (s)
			s->call = picture_intern(p, fs_str_or(fs, "call", fs_gets(fs, "name")));
	}
	if (strcmp(fs_str_or(fs, "name", ""), "rt_sigreturn") == 0 && tk->handlers > 0) {
		int d = tk->handlers--;
		int i = d <= PICTURE_HANDLERS_MAX ? d - 1 : PICTURE_HANDLERS_MAX - 1;
		struct span *s = add_span(p, k, SP_HANDLER, tk->handler_t0[i], ev->t, tk->handler_line[i]);
		if (s)
			s->depth = d;
	}
}

static void on_spawn(struct picture *p, int k, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	pid_t child = (pid_t)fs_geti(fs, "child", 0);
	int thread = strcmp(fs_str_or(fs, "kind", "process"), "thread") == 0;
	int c = task_of_tid(p, child);
	/* Its own events may have come first (a child whose creator's death
	 * told of it): that task is this one; otherwise a new task. */
	if (c < 0 || p->tasks[c].ended || p->tasks[c].parent >= 0 || p->tasks[c].tid == p->root)
		c = new_task(p, thread ? ev->pid : child, child, k, ev->t);
	else
		p->tasks[c].parent = k;
	if (c < 0)
		return;
	struct task *ck = &p->tasks[c];
	ck->made = picture_intern(p, fs_str_or(fs, "call", "clone"));
	utf8_snprintf(ck->name, sizeof ck->name, "%s", fs_str_or(fs, "name", ck->name));
	if (GROW(p, p->arrows, p->narrows, p->caparrows) < 0)
		return;
	p->arrows[p->narrows++] = (struct arrow){ .kind = AR_SPAWN, .what = ck->made, .from_pid = ev->tid,
		.to_pid = child, .from = { k, ev->t }, .to = { c, ev->t }, .line = p->seq };
}

static void on_exit_event(struct picture *p, int k, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	struct task *tk = &p->tasks[k];
	const char *sig = fs_gets(fs, "signal");
	tk->t_exit = ev->t;
	if (fs_geti(fs, "exec_by", 0))
		snprintf(tk->end, sizeof tk->end, "%s", _("ended by another thread's exec"));
	else if (sig && fs_geti(fs, "core", 0))
		snprintf(tk->end, sizeof tk->end, _("killed by %s (core dumped)"), sig);
	else if (sig)
		snprintf(tk->end, sizeof tk->end, _("killed by %s"), sig);
	else
		snprintf(tk->end, sizeof tk->end, _("exited %lld"), (long long)fs_geti(fs, "code", 0));
	/* A SIGCHLD stands for the exits of its children since the last one. */
	if (!tk->thread && tk->parent >= 0) {
		int parent = task_of_tid(p, p->tasks[tk->parent].pid);
		if (parent >= 0 && GROW(p, p->tasks[parent].exited_kids, p->tasks[parent].nexited,
					p->tasks[parent].capexited) == 0)
			p->tasks[parent].exited_kids[p->tasks[parent].nexited++] = k;
	}
}

static void on_signal(struct picture *p, int k, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	const char *sig = fs_str_or(fs, "sig", "?");
	pid_t sender = (pid_t)fs_geti(fs, "sender", 0);
	struct task *tk = &p->tasks[k];
	if (strcmp(fs_str_or(fs, "action", ""), "handler") == 0) {
		int i = tk->handlers < PICTURE_HANDLERS_MAX ? tk->handlers : PICTURE_HANDLERS_MAX - 1;
		tk->handler_t0[i] = ev->t;
		tk->handler_line[i] = p->seq;
		tk->handlers++;
	}
	if (GROW(p, p->arrows, p->narrows, p->caparrows) < 0)
		return;
	int from = sender > 0 ? task_of_tid(p, sender) : -1;
	struct arrow a = { .kind = AR_SIGNAL, .what = picture_intern(p, sig), .from_pid = sender,
			   .to_pid = ev->tid, .from = { from, ev->t }, .to = { k, ev->t }, .line = p->seq };
	int proc = task_of_tid(p, ev->pid);
	if (strcmp(sig, "SIGCHLD") == 0 && fs_get(fs, "child_status") && proc >= 0 && p->tasks[proc].nexited) {
		struct task *pk = &p->tasks[proc];
		a.merged = calloc((size_t)pk->nexited, sizeof *a.merged);
		if (!a.merged) {
			p->failed = 1;
			return;
		}
		for (int i = 0; i < pk->nexited; i++)
			a.merged[i] = (struct end_point){ pk->exited_kids[i], p->tasks[pk->exited_kids[i]].t_exit };
		a.nmerged = pk->nexited;
		a.from = a.merged[0];
		pk->nexited = 0;
	}
	p->arrows[p->narrows++] = a;
}

static void on_reap(struct picture *p, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	int c = task_of_tid(p, (pid_t)fs_geti(fs, "child", 0));
	pid_t by = (pid_t)fs_geti(fs, "by", 0);
	const char *how = fs_str_or(fs, "how", "?");
	if (c < 0)
		return;
	struct task *ck = &p->tasks[c];
	size_t n = strlen(ck->end);
	const char *ended = fs_geti(fs, "leaked", 0) ? "leaked" : how;
	/* the shape: how it was made and ended, and how reaped, not by whom */
	char shape[PICTURE_END_MAX + 64];
	snprintf(shape, sizeof shape, "%s|%s|%s|%s", ck->made, ck->name, ck->end, ended);
	ck->shape = picture_intern(p, shape);
	ck->exit_len = (int)n;
	for (size_t i = 0; reap_words[i].how; i++)
		if (strcmp(reap_words[i].how, ended) == 0) {
			snprintf(ck->end + n, sizeof ck->end - n, _(reap_words[i].words), (int)by);
			ck->reap = (int)i;
		}
	if (GROW(p, p->arrows, p->narrows, p->caparrows) < 0)
		return;
	int to = by == p->tracer_pid ? -1 : task_of_tid(p, by);
	p->arrows[p->narrows++] = (struct arrow){ .kind = AR_REAP, .what = picture_intern(p, how), .from_pid = ck->pid,
		.to_pid = by, .from = { c, ev->t }, .to = { to, ev->t }, .line = p->seq };
}

static void on_exec(struct picture *p, int k, const struct event *ev)
{
	const char *name = fs_str_or(&ev->f, "name", "?");
	utf8_snprintf(p->tasks[k].name, sizeof p->tasks[k].name, "%s", name);
	if (GROW(p, p->marks, p->nmarks, p->capmarks) == 0)
		p->marks[p->nmarks++] = (struct mark){ k, ev->t, picture_intern(p, name), p->seq };
}

/* The lesson filled with the run's facts and the diagnoses, as the
 * summary says them, kept for the header above the picture. */
static void on_summary(struct picture *p, const struct event *ev)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	if (!m) {
		p->failed = 1;
		return;
	}
	put_lesson(m, p->lesson, &ev->f, "", "");
	put_diagnoses(m, &ev->f, "", "");
	fclose(m);
	free(p->about);
	p->about = text;
	p->t_end = ev->t;
}

static void on_trace(struct picture *p, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	p->root = ev->pid;
	p->tracer_pid = (pid_t)fs_geti(fs, "tracer_pid", 0);
	utf8_snprintf(p->program, sizeof p->program, "%s", fs_str_or(fs, "lab", fs_str_or(fs, "name", "?")));
	free(p->lesson);
	const char *lesson = lesson_in_language(fs);
	p->lesson = lesson ? strdup(lesson) : NULL;
	int k = task_at(p, ev->pid, ev->tid, ev->t);
	if (k >= 0)
		utf8_snprintf(p->tasks[k].name, sizeof p->tasks[k].name, "%s", fs_str_or(fs, "name", "?"));
}

int picture_event(struct picture *p, const struct event *ev)
{
	p->text->event(p->text, ev);
	picture_keep_line(p);
	if (ev->t > p->t_end)
		p->t_end = ev->t;
	int k = ev->type == EV_TRACE || ev->type == EV_SUMMARY || ev->type == EV_REAP || ev->pid <= 0 ? -1
		: task_at(p, ev->pid, ev->tid, ev->t);
	switch (ev->type) {
	case EV_TRACE: on_trace(p, ev); break;
	case EV_SUMMARY: on_summary(p, ev); break;
	case EV_REAP: on_reap(p, ev); break;
	case EV_STATE: if (k >= 0) on_state(p, k, ev); break;
	case EV_SYSCALL: if (k >= 0) on_syscall(p, k, ev); break;
	case EV_SPAWN: if (k >= 0) on_spawn(p, k, ev); break;
	case EV_EXIT: if (k >= 0) on_exit_event(p, k, ev); break;
	case EV_SIGNAL: if (k >= 0) on_signal(p, k, ev); break;
	case EV_EXEC: if (k >= 0) on_exec(p, k, ev); break;
	default: break;
	}
	p->seq++;
	return k;
}

void picture_end(struct picture *p)
{
	for (int k = 0; k < p->ntasks; k++) {
		struct task *tk = &p->tasks[k];
		uint64_t end = tk->ended ? tk->ended : p->t_end;
		if (!tk->ended)
			close_state(p, k, end);
		for (tk = &p->tasks[k]; tk->handlers > 0; tk = &p->tasks[k]) {   /* still in a handler */
			int d = tk->handlers--;
			int i = d <= PICTURE_HANDLERS_MAX ? d - 1 : PICTURE_HANDLERS_MAX - 1;
			struct span *s = add_span(p, k, SP_HANDLER, tk->handler_t0[i], end, tk->handler_line[i]);
			if (s)
				s->depth = d;
		}
		if (!p->tasks[k].end[0])
			snprintf(p->tasks[k].end, sizeof p->tasks[k].end, "%s", _("still running at the end"));
		if (!p->tasks[k].shape) {
			p->tasks[k].exit_len = (int)strlen(p->tasks[k].end);
			char shape[PICTURE_END_MAX + 64];
			snprintf(shape, sizeof shape, "%s|%s|%s", p->tasks[k].made, p->tasks[k].name, p->tasks[k].end);
			p->tasks[k].shape = picture_intern(p, shape);
		}
	}
	picture_lanes(p);
}
