/*
 * perfetto_states.c - each task's states as slices on its track, for the
 * Perfetto writer (out_perfetto.c): running, stopped and zombie drawn
 * while they last, blocked once it ends (its event says since when), and
 * the last two spells in which the task could make calls, which hold
 * the calls out_perfetto.c draws. A slice is named in the language of
 * --lang; the states in its args are the JSON's.
 */
#include <stdint.h>
#include <string.h>
#include "common/lang.h"
#include "common/utf8.h"
#include "output/perfetto_file.h"
#include "output/perfetto_int.h"

/* The states drawn as a slice while they last. Running is a slice too,
 * not the empty lane: the lane then shows a task's whole life as one bar
 * (running, blocked, stopped, zombie in turn), the calls sit inside it,
 * and a task that exists but does nothing visible is not mistaken for
 * one that is gone. calls: the task may make calls in it. */
static const struct spell_kind {
	const char *state, *words;   /* as the JSON says it; the slice's name */
	int calls;
} spell_kinds[] = {
	{ "running", N_("running"), 1 }, { "stopped", N_("stopped"), 1 }, { "zombie", N_("zombie"), 0 },
};

/* A state that lasted from since to until, ended by ev (NULL: the trace
 * ended first). */
static void state_slice(struct perfetto_sink *p, const struct task *t, const char *name,
			uint64_t since, uint64_t until, const struct event *ev)
{
	FILE *f = pf_begin(p->pf, 'X', PF_STATE, "state", name, since, until - since, t->pid, t->tid);
	fprintf(f, ",\"args\":{\"since\":%llu,\"until\":%llu,\"ended_by\":", (unsigned long long)since,
		(unsigned long long)until);
	if (ev)
		json_put_event(f, ev);
	else
		json_put_string(f, _("the end of the trace"));
	putc('}', f);
	pf_end(p->pf);
}

static const struct spell_kind *spell_of(const char *state)
{
	for (size_t i = 0; state && i < sizeof spell_kinds / sizeof *spell_kinds; i++)
		if (strcmp(spell_kinds[i].state, state) == 0)
			return &spell_kinds[i];
	return NULL;
}

/* A state in which the task could make calls began at from (and ended
 * at until, unless open). */
static void calls_spell(struct task *t, uint64_t from, uint64_t until, int open)
{
	t->calls_from[0] = t->calls_from[1];
	t->calls_until[0] = t->calls_until[1];
	t->calls_from[1] = from;
	t->calls_until[1] = until;
	t->calls_open = open;
	if (t->calls_known < 2)
		t->calls_known++;
}

/* Close what is open at at (a running slice of no length is left out). */
void perfetto_close_spell(struct perfetto_sink *p, struct task *t, uint64_t at, const struct event *ev)
{
	if (at < t->since)
		at = t->since;
	if (t->open && (at > t->since || t->open->calls == 0))
		state_slice(p, t, _(t->open->words), t->since, at, ev);
	if (t->open && t->open->calls) {
		t->calls_until[1] = at;
		t->calls_open = 0;
	}
	t->since = at;
	t->open = NULL;
}

/* from -> to. A blocked spell is known only when it ends: its event says
 * since when, and what ran before it ran until then. */
void perfetto_state(struct perfetto_sink *p, struct task *t, const struct event *ev)
{
	const char *from = fs_gets(&ev->f, "from");
	if (from && strcmp(from, "blocked") == 0) {
		uint64_t since = (uint64_t)fs_geti(&ev->f, "since", (int64_t)ev->t);
		if (t->had_state && since < t->since)
			since = t->since;
		if (since > ev->t)
			since = ev->t;
		perfetto_close_spell(p, t, since, ev);
		char name[LABEL_LEN];
		/* TRANSLATORS: a state slice in Perfetto; %s: the call it slept in (accept) */
		utf8_snprintf(name, sizeof name, _("blocked: %s"), fs_str_or(&ev->f, "call", "?"));
		state_slice(p, t, name, since, ev->t, ev);
		calls_spell(t, since, ev->t, 0);
	} else {
		perfetto_close_spell(p, t, ev->t, ev);
	}
	t->since = ev->t;
	t->open = spell_of(fs_gets(&ev->f, "to"));
	if (t->open && t->open->calls)
		calls_spell(t, ev->t, ev->t, 1);
	t->had_state = 1;
}
