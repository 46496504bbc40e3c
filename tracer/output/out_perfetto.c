/*
 * out_perfetto.c - the run as a Chrome trace-event file (the JSON Object
 * Format), which ui.perfetto.dev and chrome://tracing open: a track per
 * process and thread, each task's states as slices, its calls inside
 * them, signals and exits as instants, and arrows (flow events) for each
 * fork or pthread_create, each signal whose sender is traced, and each
 * reap. docs/perfetto.md says what a user sees; perfetto_states.c draws
 * the states; perfetto_file.c keeps the records and writes them in time
 * order.
 *
 * Every record's args is the event it comes from, as its JSON line says
 * it (json_put_event): clicking anything shows the exact facts. The names
 * a user reads (tracks, states, marks, arrows) are in the language of
 * --lang; the format's fields, categories and the args are not.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "common/utf8.h"
#include "common/idmap.h"
#include "common/lang.h"
#include "output/output.h"
#include "output/perfetto_file.h"
#include "output/perfetto_int.h"

/* The task of tid (in process pid), made when first seen. */
static struct task *task_of(struct perfetto_sink *p, pid_t pid, pid_t tid, const char *name)
{
	struct task *t = idmap_get(&p->by_tid, tid);
	if (t)
		return t;
	if (p->ntasks == p->cap) {
		int cap = p->cap ? 2 * p->cap : 64;
		struct task **more = realloc(p->tasks, (size_t)cap * sizeof *more);
		if (!more)
			return NULL;
		p->tasks = more;
		p->cap = cap;
	}
	if (!(t = calloc(1, sizeof *t)) || idmap_put(&p->by_tid, tid, t) < 0) {
		free(t);
		return NULL;
	}
	t->pid = pid;
	t->tid = tid;
	t->order = p->ntasks;
	p->tasks[p->ntasks++] = t;
	struct task *leader = pid != tid ? idmap_get(&p->by_tid, pid) : NULL;
	if (!name)
		name = leader ? leader->name : pid == p->tracer_pid ? _("./trace (the tracer)") : NULL;
	if (name)
		utf8_snprintf(t->name, sizeof t->name, "%s", name);
	else   /* TRANSLATORS: the track of a process whose program the trace never named */
		utf8_snprintf(t->name, sizeof t->name, _("pid %d"), (int)pid);
	return t;
}

/* One record with the event as its args. */
static void put(struct perfetto_sink *p, char ph, enum pf_rank rank, const char *cat, const char *name,
		uint64_t ts, uint64_t dur, const struct task *t, const struct event *ev)
{
	FILE *f = pf_begin(p->pf, ph, rank, cat, name, ts, dur, t->pid, t->tid);
	if (ph == 'i')
		fputs(",\"s\":\"t\"", f);   /* on its thread's track */
	if (ev) {
		fputs(",\"args\":", f);
		json_put_event(f, ev);
	}
	pf_end(p->pf);
}

/* An arrow from one task to another: each end is an instant (the event,
 * on its task's lane) and a flow event right after it, which binds to
 * that instant; both flow events share cat, name and id. */
static void arrow(struct perfetto_sink *p, const struct event *ev, const char *what,
		  const struct task *from, const char *from_label, const struct task *to, const char *to_label)
{
	uint64_t id = ++p->flows;
	put(p, 'i', PF_POINT, ev_type_name[ev->type], from_label, ev->t, 0, from, ev);
	FILE *f = pf_begin(p->pf, 's', PF_POINT, "flow", what, ev->t, 0, from->pid, from->tid);
	fprintf(f, ",\"id\":%llu", (unsigned long long)id);
	pf_end(p->pf);
	put(p, 'i', PF_POINT, ev_type_name[ev->type], to_label, ev->t, 0, to, ev);
	f = pf_begin(p->pf, 'f', PF_POINT, "flow", what, ev->t, 0, to->pid, to->tid);
	fprintf(f, ",\"id\":%llu,\"bp\":\"e\"", (unsigned long long)id);
	pf_end(p->pf);
}

/* A call from its entry to its return, drawn inside the state slice that
 * holds it (slices on a track must nest): in the last state in which the
 * task could make calls, or the one before; one that crosses a change of
 * state (it began before its task stopped, or its line came after its
 * thread had died) is cut to the state that holds its end. args keep the
 * exact times. */
static void on_syscall(struct perfetto_sink *p, struct task *t, const struct event *ev)
{
	uint64_t dur = (uint64_t)fs_geti(&ev->f, "dur_ns", 0);
	uint64_t from = dur <= ev->t ? ev->t - dur : 0, to = ev->t;
	if (t->calls_known) {
		uint64_t a1 = t->calls_from[1], b1 = t->calls_open ? UINT64_MAX : t->calls_until[1];
		uint64_t a0 = t->calls_from[0], b0 = t->calls_until[0];
		int fits = (from >= a1 && to <= b1) || (t->calls_known > 1 && from >= a0 && to <= b0);
		int last = t->calls_known == 1 || to > b0;
		if (!fits) {
			from = from < (last ? a1 : a0) ? (last ? a1 : a0) : from;
			to = to > (last ? b1 : b0) ? (last ? b1 : b0) : to;
			from = from > to ? to : from;
		}
	}
	char name[LABEL_LEN];
	const char *call = fs_str_or(&ev->f, "call", fs_str_or(&ev->f, "name", "?"));
	/* TRANSLATORS: a call that never returned; %s: its name (read) */
	utf8_snprintf(name, sizeof name, fs_gets(&ev->f, "unfinished") ? _("%s (unfinished)") : "%s", call);
	put(p, 'X', PF_CALL, "syscall", name, from, to - from, t, ev);
}

static void on_spawn(struct perfetto_sink *p, struct task *parent, const struct event *ev)
{
	pid_t child = (pid_t)fs_geti(&ev->f, "child", 0);
	const char *kind = fs_str_or(&ev->f, "kind", "process");
	const char *call = fs_str_or(&ev->f, "call", "fork");
	if (child <= 0)
		return;
	struct task *c = task_of(p, strcmp(kind, "thread") == 0 ? ev->pid : child, child, fs_gets(&ev->f, "name"));
	if (!c)
		return;
	char out[LABEL_LEN], in[LABEL_LEN];
	utf8_snprintf(out, sizeof out, "%s -> %d", call, (int)child);
	/* TRANSLATORS: the child's end of a fork's arrow: "fork by 4172" (%s: the call) */
	utf8_snprintf(in, sizeof in, _("%s by %d"), call, (int)parent->tid);
	arrow(p, ev, call, parent, out, c, in);
}

static void on_signal(struct perfetto_sink *p, struct task *t, const struct event *ev)
{
	const char *sig = fs_str_or(&ev->f, "sig", "signal");
	const struct field *sender = fs_get(&ev->f, "sender");
	struct task *s = sender && sender->kind == F_INT ? idmap_get(&p->by_tid, (int)sender->i) : NULL;
	if (!s && sender && sender->kind == F_INT && sender->i == p->tracer_pid && p->tracer_pid)
		s = task_of(p, p->tracer_pid, p->tracer_pid, NULL);
	if (!s) {
		put(p, 'i', PF_POINT, "signal", sig, ev->t, 0, t, ev);
		return;
	}
	char out[LABEL_LEN];
	utf8_snprintf(out, sizeof out, "%s -> %d", sig, (int)t->tid);
	arrow(p, ev, sig, s, out, t, sig);
}

/* The zombie's lane to its reaper's (the event's own task). */
static void on_reap(struct perfetto_sink *p, struct task *by, const struct event *ev)
{
	pid_t child = (pid_t)fs_geti(&ev->f, "child", 0);
	struct task *c = child > 0 ? task_of(p, child, child, NULL) : NULL;
	if (!c)
		return;
	char out[LABEL_LEN], in[LABEL_LEN];
	/* TRANSLATORS: the zombie's end of a reap's arrow, then its reaper's: a pid each */
	utf8_snprintf(out, sizeof out, _("reaped by %d"), (int)by->tid);
	utf8_snprintf(in, sizeof in, _("reap %d"), (int)child);
	arrow(p, ev, _("reap"), c, out, by, in);
}

static void on_death(struct perfetto_sink *p, struct task *t, const struct event *ev)
{
	char name[LABEL_LEN];
	const char *sig = fs_gets(&ev->f, "signal");
	if (sig)
		utf8_snprintf(name, sizeof name, fs_geti(&ev->f, "core", 0) ? _("killed by %s (core dumped)") : _("killed by %s"),
			 sig);
	else   /* TRANSLATORS: a mark where a task exits; %lld: its exit code */
		utf8_snprintf(name, sizeof name, _("exit %lld"), (long long)fs_geti(&ev->f, "code", 0));
	put(p, 'i', PF_POINT, "exit", name, ev->t, 0, t, ev);
}

/* exec: the lane's name grows by the new program ("sh -> ls"). */
static void on_exec(struct perfetto_sink *p, struct task *t, const struct event *ev)
{
	const char *name = fs_str_or(&ev->f, "name", "?");
	size_t len = strlen(t->name);
	/* (a lane's name that is full already ends in the cut mark) */
	int full = len >= UTF8_CUT_MARK_LEN && strcmp(t->name + len - UTF8_CUT_MARK_LEN, UTF8_CUT_MARK) == 0;
	if (strcmp(t->name, name) != 0 && !full)
		utf8_snprintf(t->name + len, sizeof t->name - len, " -> %s", name);
	char label[LABEL_LEN];
	utf8_snprintf(label, sizeof label, "exec %s", name);
	put(p, 'i', PF_POINT, "exec", label, ev->t, 0, t, ev);
}

/* The marks of the lab runner, the held SIGCHLD, the notes and the start
 * of the program's own code: their type and "what", in words. */
static const struct { const char *type, *what, *words; } mark_words[] = {
	{ "lab", "ready", N_("lab: ready") }, { "lab", "load-start", N_("lab: load-start") },
	{ "lab", "load-done", N_("lab: load-done") }, { "lab", "stop", N_("lab: stop") },
	{ "hold", "start", N_("hold: start") }, { "hold", "release", N_("hold: release") },
	{ "hold", "dropped", N_("hold: dropped") }, { "note", "foreign_calls", N_("note: foreign_calls") },
	{ "start", NULL, N_("start") },
};

/* A mark's name: its words, or its type and what as the JSON says them. */
static void mark_name(char *label, size_t size, const struct event *ev)
{
	const char *type = ev_type_name[ev->type], *what = fs_gets(&ev->f, "what");
	for (size_t i = 0; i < sizeof mark_words / sizeof *mark_words; i++)
		if (strcmp(mark_words[i].type, type) == 0 &&
		    (mark_words[i].what ? what && strcmp(mark_words[i].what, what) == 0 : !what)) {
			utf8_snprintf(label, size, "%s", _(mark_words[i].words));
			return;
		}
	utf8_snprintf(label, size, "%s%s%s", type, what ? ": " : "", what ? what : "");
}

/* The trace and summary lines go to otherData, whole. */
static void keep_other(struct perfetto_sink *p, const char *key, const struct event *ev)
{
	fprintf(p->other_f, "%s\"%s\":", ftell(p->other_f) > 0 ? "," : "", key);
	json_put_event(p->other_f, ev);
}

static void perfetto_event(struct sink *s, const struct event *ev)
{
	struct perfetto_sink *p = (struct perfetto_sink *)s;
	if (ev->t > p->end)
		p->end = ev->t;
	if (ev->type == EV_TRACE) {
		p->tracer_pid = (pid_t)fs_geti(&ev->f, "tracer_pid", 0);
		const char *name = fs_gets(&ev->f, "name");
		free((char *)p->root_name);   /* a file may hold two traces (cat a.jsonl b.jsonl) */
		p->root_name = name ? strdup(name) : NULL;
		keep_other(p, "trace", ev);
		return;
	}
	if (ev->type == EV_SUMMARY) {
		keep_other(p, "summary", ev);
		return;
	}
	struct task *t = task_of(p, ev->pid, ev->tid, p->ntasks ? NULL : p->root_name);
	if (!t) {
		*p->failed = ENOMEM;
		return;
	}
	char label[LABEL_LEN];
	switch (ev->type) {
	case EV_STATE: perfetto_state(p, t, ev); break;
	case EV_SYSCALL: on_syscall(p, t, ev); break;
	case EV_SPAWN: on_spawn(p, t, ev); break;
	case EV_SIGNAL: on_signal(p, t, ev); break;
	case EV_REAP: on_reap(p, t, ev); break;
	case EV_EXIT: on_death(p, t, ev); break;
	case EV_EXEC: on_exec(p, t, ev); break;
	case EV_LIBCALL:
		put(p, 'i', PF_POINT, "libcall", fs_str_or(&ev->f, "name", "libcall"), ev->t, 0, t, ev);
		break;
	default:   /* lab, hold, note, start: the type and what it says */
		mark_name(label, sizeof label, ev);
		put(p, 'i', PF_POINT, ev_type_name[ev->type], label, ev->t, 0, t, ev);
		break;
	}
}

/* A name and a sort index for every process and thread. */
static void put_meta(struct perfetto_sink *p, const char *what, const struct task *t, const char *key,
		     const char *name, int index)
{
	FILE *f = pf_begin(p->pf, 'M', PF_META, "__metadata", what, 0, 0, t->pid, t->tid);
	fprintf(f, ",\"args\":{\"%s\":", key);
	if (name)
		json_put_string(f, name);
	else
		fprintf(f, "%d", index);
	fputs("}", f);
	pf_end(p->pf);
}

static void perfetto_finish(struct sink *s)
{
	struct perfetto_sink *p = (struct perfetto_sink *)s;
	for (int i = 0; i < p->ntasks; i++) {
		struct task *t = p->tasks[i];
		if (t->open)   /* alive at the end: its state lasts until then */
			perfetto_close_spell(p, t, p->end, NULL);
		if (t->pid == t->tid || !idmap_get(&p->by_tid, t->pid)) {
			put_meta(p, "process_name", t, "name", t->name, 0);
			put_meta(p, "process_sort_index", t, "sort_index", NULL, t->order);
		}
		put_meta(p, "thread_name", t, "name", t->name, 0);
		put_meta(p, "thread_sort_index", t, "sort_index", NULL, t->order);
	}
	int err = fflush(p->other_f) != 0 || ferror(p->other_f) ? ENOMEM : pf_write(p->pf, p->out, p->other);
	if (err)
		*p->failed = err;
}

static void perfetto_free(struct sink *s)
{
	struct perfetto_sink *p = (struct perfetto_sink *)s;
	for (int i = 0; i < p->ntasks; i++)
		free(p->tasks[i]);
	free(p->tasks);
	idmap_free(&p->by_tid);
	pf_file_free(p->pf);
	fclose(p->other_f);
	free(p->other);
	free((char *)p->root_name);
	free(p);
}

struct sink *perfetto_sink_new(FILE *f, int *failed)
{
	struct perfetto_sink *p = calloc(1, sizeof *p);
	if (!p || !(p->pf = pf_file_new()) || !(p->other_f = open_memstream(&p->other, &p->other_len))) {
		if (p)
			pf_file_free(p->pf);
		free(p);
		return NULL;
	}
	p->out = f;
	p->failed = failed;
	p->sink.event = perfetto_event;
	p->sink.finish = perfetto_finish;
	p->sink.free = perfetto_free;
	return &p->sink;
}
