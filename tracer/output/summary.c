/*
 * summary.c - the end of a run in words, from the summary event alone:
 * the tree (how each process ended, the CPU it used), the signals, the zombies, with a sentence for each leaked
 * zombie on why it leaked, and the threads nobody joined.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/lang.h"
#include "output/output.h"
#include "output/summary_advice.h"

/* How much of the tree is shown: a fork bomb must not flood the screen. */
#define TREE_CHILDREN_SHOWN 8
#define TREE_LINES_MAX 40
#define TREE_LINES_WITH_MORE 48
#define LEAKS_EXPLAINED 10
#define TIDS_SHOWN 64

struct summary_sink {
	struct sink sink;
	FILE *f;
	int color;
	int tree_lines;
	char *lesson;            /* the trace line's lesson, or NULL */
	struct asked asked[PREDICTIONS_MAX];   /* --predict, from the trace line */
	int nasked;
};

/* What the summary says of a Ctrl-C (SIGTERM, SIGHUP), by after_interrupt:
 * a line before it (or none) and one in it, red for a kill. Each gets the
 * signal's name for Ctrl-C ("Ctrl-C" for SIGINT), then the grace in s. */
static const struct interrupt_words {
	const char *after;
	const char *before, *in;
	int red;
} interrupt_words[] = {
	{ "killed-after-grace", N_("trace: %s: still running %g s after its SIGINT: the traced processes were killed"),
	  N_("%s ended the trace: the tracer killed what still ran %g s after the SIGINT"), 1 },
	{ "killed-again", N_("trace: %s again: the traced processes were killed at once"),
	  N_("%s ended the trace: at the second one the tracer killed the traced processes"), 1 },
	{ "killed-at-once", N_("trace: %s: the traced processes were killed"),
	  N_("%s ended the trace: the tracer killed the traced processes"), 1 },
	{ "ended", NULL,
	  N_("%s: the traced processes had their SIGINT and ended within the %g s grace; the tracer killed none"), 0 },
	{ "detached", NULL, N_("%s: the tracer let go of the traced processes (detached)"), 0 },
};

static const struct interrupt_words *interrupt_of(const struct fields *ev)
{
	const char *after = fs_gets(ev, "after_interrupt");
	for (size_t i = 0; after && i < sizeof interrupt_words / sizeof *interrupt_words; i++)
		if (strcmp(after, interrupt_words[i].after) == 0)
			return &interrupt_words[i];
	return NULL;
}

/* One of interrupt_words' lines, or nothing when fmt is NULL. */
static void put_interrupt(FILE *f, const char *fmt, const struct fields *ev, const char *on, const char *off)
{
	const char *sig = fs_gets(ev, "interrupted");
	if (!fmt || !sig)
		return;
	fputs(on, f);
	fprintf(f, _(fmt), strcmp(sig, "SIGINT") == 0 ? "Ctrl-C" : sig, (double)fs_geti(ev, "grace_ms", 0) / 1e3);
	fprintf(f, "%s\n", off);
}

static void put_status(FILE *f, const struct fields *node)
{
	const struct fields *st = fs_getobj(node, "status");
	const char *sig = st ? fs_gets(st, "signaled") : NULL;
	if (!st)
		fputs(_("still running (detached)"), f);
	else if (sig)
		fprintf(f, fs_geti(st, "core", 0) ? _("killed by %s (core dumped)") : _("killed by %s"), sig);
	else
		fprintf(f, _("exited %lld"), (long long)fs_geti(st, "exited", 0));
}

static void put_threads(FILE *f, const struct fields *node)
{
	int64_t n = fs_geti(node, "threads", 0);
	if (n)
		fprintf(f, P_(", %lld thread", ", %lld threads", (unsigned long)n), (long long)n);
}

/* What the kernel counted of the CPU the process used itself (not the
 * children it reaped): user (its own code) and system (the kernel's, in
 * its calls). Absent when the death came without the count. */
static void put_cpu(FILE *f, const struct fields *node)
{
	const struct field *user = fs_get(node, "cpu_user_us"), *sys = fs_get(node, "cpu_system_us");
	if (!user || !sys || user->kind != F_INT || sys->kind != F_INT)
		return;
	char all[CPU_TIME_TEXT_MAX], own[CPU_TIME_TEXT_MAX], kernel[CPU_TIME_TEXT_MAX];
	fprintf(f, _(", CPU %s (user %s + system %s)"), cpu_time_text(all, sizeof all, user->i + sys->i),
		cpu_time_text(own, sizeof own, user->i), cpu_time_text(kernel, sizeof kernel, sys->i));
}

static const struct fields *find_node(const struct fields *tree, int64_t pid)
{
	for (int i = 0; tree && i < tree->n; i++)
		if (fs_geti(tree->f[i].sub, "pid", 0) == pid)
			return tree->f[i].sub;
	return NULL;
}

static void put_tree(struct summary_sink *ss, const struct fields *tree,
		     const struct fields *parent, int depth);

/* Node n's line, and its children's under it. */
static void put_node(struct summary_sink *ss, const struct fields *tree, const struct fields *n, int depth)
{
	char *line = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&line, &len);
	if (!f)
		return;
	ss->tree_lines++;
	fprintf(f, "  %*s%lld %s (%s): ", depth * 2, "", (long long)fs_geti(n, "pid", 0),
		fs_str_or(n, "name", "?"), fs_str_or(n, "call", "?"));
	put_status(f, n);
	put_threads(f, n);
	if (fs_geti(n, "leaked", 0))
		fputs(_(", LEAKED zombie"), f);
	else if (fs_geti(n, "adopted", 0))
		fputs(_(", orphan adopted by the tracer"), f);
	if (fs_geti(n, "escaped", 0))
		fputs(_(", escaped the trace (untraced) until found"), f);
	put_cpu(f, n);   /* last: how it ended comes first */
	fclose(f);
	put_wrapped_at_commas(ss->f, line ? line : "", depth * 2 + 4);
	free(line);
	put_tree(ss, tree, n, depth + 1);
}

/* A child worth its line even past TREE_CHILDREN_SHOWN: one that did not
 * simply exit 0 (killed, failed, still running), a leaked zombie, an
 * orphan, one that escaped the trace. The plain ones are what "... and N
 * more" stands for. */
static int notable(const struct fields *n)
{
	const struct fields *st = fs_getobj(n, "status");
	return !st || fs_gets(st, "signaled") || fs_geti(st, "exited", 0) != 0 ||
	       fs_geti(n, "leaked", 0) || fs_geti(n, "adopted", 0) || fs_geti(n, "escaped", 0);
}

static int is_child(const struct fields *n, const struct fields *parent, int64_t ppid)
{
	return n != parent && fs_geti(n, "parent", 0) == ppid;
}

static void put_tree(struct summary_sink *ss, const struct fields *tree,
		     const struct fields *parent, int depth)
{
	FILE *f = ss->f;
	int64_t ppid = fs_geti(parent, "pid", 0);
	int notables = 0, plain_shown = 0;
	int64_t hidden = fs_geti(parent, "unlisted_children", 0);   /* reaped, and not kept */
	for (int i = 0; i < tree->n; i++)
		notables += is_child(tree->f[i].sub, parent, ppid) && notable(tree->f[i].sub);
	/* In pid order: every notable child, and plain ones while room is left. */
	for (int i = 0; i < tree->n; i++) {
		const struct fields *n = tree->f[i].sub;
		if (!is_child(n, parent, ppid))
			continue;
		int plain = !notable(n);
		if (ss->tree_lines >= TREE_LINES_MAX || (plain && plain_shown + notables >= TREE_CHILDREN_SHOWN)) {
			hidden++;
			continue;
		}
		plain_shown += plain;
		put_node(ss, tree, n, depth);
	}
	if (hidden && ss->tree_lines < TREE_LINES_WITH_MORE) {
		ss->tree_lines++;
		fprintf(f, "  %*s", depth * 2, "");
		fprintf(f, P_("... and %lld more child of %lld\n", "... and %lld more children of %lld\n",
			      (unsigned long)hidden), (long long)hidden, (long long)ppid);
	}
}

/* The orphans the tracer adopted without knowing their parent (found
 * untraced, or their fork never reported): parent 0, like the root. */
static void put_adopted_unknown(struct summary_sink *ss, const struct fields *tree)
{
	int said = 0;
	for (int i = 1; i < tree->n && ss->tree_lines < TREE_LINES_MAX; i++) {
		if (fs_geti(tree->f[i].sub, "parent", 0) != 0)
			continue;
		if (!said++)
			fputs(_("the tracer's own, their parent not known:\n"), ss->f);
		put_node(ss, tree, tree->f[i].sub, 0);
	}
}

static void put_signals(FILE *f, const struct fields *sigs)
{
	fputs(_("signals delivered:"), f);
	for (int i = 0; sigs && i < sigs->n; i++)   /* an object: every field has a key */
		fprintf(f, "%s %s x%lld", i ? "," : "", sigs->f[i].key, (long long)sigs->f[i].i);
	if (!sigs || !sigs->n)
		fprintf(f, " %s", _("none"));
	putc('\n', f);
}

static void put_never_joined(struct summary_sink *ss, const struct fields *tree,
			     const char *red, const char *off)
{
	for (int i = 0; tree && i < tree->n; i++) {
		const struct fields *n = tree->f[i].sub, *tids = fs_getlist(n, "never_joined");
		if (!tids || !tids->n)
			continue;
		fprintf(ss->f, P_("%s%d thread of %lld never joined nor detached%s:",
				  "%s%d threads of %lld never joined nor detached%s:", (unsigned long)tids->n),
			red, tids->n, (long long)fs_geti(n, "pid", 0), off);
		for (int j = 0; j < tids->n && j < TIDS_SHOWN; j++)
			fprintf(ss->f, " %lld", (long long)tids->f[j].i);
		fputs(tids->n > TIDS_SHOWN ? " ...\n" : "\n", ss->f);
		put_wrapped(ss->f, _("(a joinable thread keeps its exit status and stack until pthread_join(); "
				     "pthread_detach() lets them go when it ends)"));
	}
}

/* The zombies' counts in a line; past SUMMARY_WIDTH columns (counts of
 * many digits) it goes on at a clause's start, two spaces in. */
static void put_zombies(FILE *f, const struct fields *z, int nleaked, const char *red, const char *off)
{
	enum { LEAKED, PARENT, AUTO, ADOPTED, MOST, NCLAUSES };
	char clause[NCLAUSES][96];
	snprintf(clause[LEAKED], sizeof clause[LEAKED], _("%d leaked"), nleaked);
	snprintf(clause[PARENT], sizeof clause[PARENT], _("%lld reaped by their parent,"),
		 (long long)fs_geti(z, "transient", 0));
	snprintf(clause[AUTO], sizeof clause[AUTO], _("%lld auto-reaped,"), (long long)fs_geti(z, "auto", 0));
	snprintf(clause[ADOPTED], sizeof clause[ADOPTED], _("%lld orphans adopted;"),
		 (long long)fs_geti(z, "adopted", 0));
	snprintf(clause[MOST], sizeof clause[MOST], _("at most %lld at once"),
		 (long long)fs_geti(z, "max_concurrent", 0));
	const char *head = _("zombies:");
	size_t col = text_columns(head);
	fputs(head, f);
	for (int i = 0; i < NCLAUSES; i++) {
		/* the leaked count in red (the pitfall), its comma not */
		const char *after = i == LEAKED ? "," : "";
		size_t len = text_columns(clause[i]) + strlen(after);
		if (col + 1 + len > SUMMARY_WIDTH) {
			fputs("\n ", f);
			col = 1;
		}
		fprintf(f, " %s%s%s%s", i == LEAKED ? red : "", clause[i], i == LEAKED ? off : "", after);
		col += 1 + len;
	}
	putc('\n', f);
}

static void put_leaks(FILE *f, const struct fields *tree, int nleaked)
{
	int said = 0;
	for (int i = 0; tree && i < tree->n; i++) {
		const struct fields *n = tree->f[i].sub;
		if (!fs_geti(n, "leaked", 0))
			continue;
		if (said++ >= LEAKS_EXPLAINED) {
			fprintf(f, "  ");
			fprintf(f, _("... and %d more leaked the same way\n"), nleaked - LEAKS_EXPLAINED);
			break;
		}
		int64_t parent = fs_geti(n, "parent", 0);
		const struct fields *pn = find_node(tree, parent);
		const struct field *pexit = pn ? fs_get(pn, "t_exit") : NULL;
		char line[512];
		long long pid = (long long)fs_geti(n, "pid", 0);
		double exited = (double)fs_geti(n, "t_exit", 0) / 1e9;
		if (pexit && pexit->kind == F_INT)
			snprintf(line, sizeof line, _("%lld leaked: it exited at %.3f s while its parent %lld was alive, "
						      "and %lld ended at %.3f s without calling wait() for it."),
				 pid, exited, (long long)parent, (long long)parent, (double)pexit->i / 1e9);
		else
			snprintf(line, sizeof line, _("%lld leaked: it exited at %.3f s while its parent %lld was alive, "
						      "and %lld never called wait() for it before the trace ended."),
				 pid, exited, (long long)parent, (long long)parent);
		put_wrapped(f, line);
	}
}

static void put_summary(struct summary_sink *ss, const struct fields *ev, uint64_t t)
{
	FILE *f = ss->f;
	const char *bold = ss->color ? "\033[1m" : "", *red = ss->color ? "\033[1;31m" : "",
		   *off = ss->color ? "\033[0m" : "";
	const struct fields *tree = fs_getlist(ev, "tree"), *z = fs_getobj(ev, "zombies");
	const struct fields *leaked = z ? fs_getlist(z, "leaked") : NULL;
	const char *limit = fs_gets(ev, "limit");
	int nleaked = leaked ? leaked->n : 0;
	const struct interrupt_words *intr = interrupt_of(ev);

	if (fs_geti(ev, "timed_out", 0))
		fprintf(f, _("trace: --timeout %lld s reached: the traced processes were killed\n"),
			(long long)fs_geti(ev, "timeout_s", 0));
	if (limit && strcmp(limit, "max-procs") == 0)
		fprintf(f, _("trace: --max-procs %lld exceeded (a fork bomb?): the traced processes were killed\n"),
			(long long)fs_geti(ev, "max_procs", 0));
	if (intr)
		put_interrupt(f, intr->before, ev, "", "");
	fprintf(f, _("\n%s== summary ==%s after %.3f s\n"), bold, off, (double)t / 1e9);
	if (fs_geti(ev, "timed_out", 0))
		fprintf(f, _("%sthe --timeout was reached: the tracer killed the traced processes%s\n"), red, off);
	if (intr)
		put_interrupt(f, intr->in, ev, intr->red ? red : "", intr->red ? off : "");
	fprintf(f, _("processes: %lld, threads created: %lld, exit status: %lld\n"),
		(long long)fs_geti(ev, "processes", 0), (long long)fs_geti(ev, "threads", 0),
		(long long)fs_geti(ev, "exit", 0));
	if (tree && tree->n) {
		const struct fields *root = tree->f[0].sub;
		char *line = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&line, &len);
		if (m) {
			fprintf(m, "%lld %s: ", (long long)fs_geti(root, "pid", 0), fs_str_or(root, "name", "?"));
			put_status(m, root);
			put_threads(m, root);
			put_cpu(m, root);
			fclose(m);
			put_wrapped_at_commas(f, line ? line : "", 2);
			free(line);
		}
		put_tree(ss, tree, root, 1);
		put_adopted_unknown(ss, tree);
	}
	if (fs_geti(ev, "escaped", 0))
		fprintf(f, _("%s%lld escaped the trace%s (CLONE_UNTRACED got through, another thread rewrote clone3's "
			     "flags?): traced only from when they were found\n"), red, (long long)fs_geti(ev, "escaped", 0), off);
	if (fs_geti(ev, "untraceable_killed", 0))
		fprintf(f, _("%s%lld untraced processes could not be traced%s (another tracer had them): killed when "
			     "found\n"), red, (long long)fs_geti(ev, "untraceable_killed", 0), off);
	put_signals(f, fs_getobj(ev, "signals"));
	put_zombies(f, z, nleaked, nleaked ? red : "", off);
	put_never_joined(ss, tree, red, off);
	put_leaks(f, tree, nleaked);
	put_diagnoses(f, ev, red, off);
	put_lesson(f, ss->lesson, ev, bold, off);
	put_predictions(f, ss->asked, ss->nasked, ev, bold, off);
	fflush(f);
}

/* The summary is the last event: it is said at once, after the timeline.
 * The first event, the trace's, brings the lab's lesson. */
static void summary_event(struct sink *s, const struct event *ev)
{
	struct summary_sink *ss = (struct summary_sink *)s;
	if (ev->type == EV_TRACE) {
		/* the lab's words in the language chosen now, when lab.conf has them */
		const struct fields *all = fs_getobj(&ev->f, "translations");
		const struct fields *mine = all ? fs_getobj(all, lang_code()) : NULL;
		const char *lesson = lesson_in_language(&ev->f);
		free(ss->lesson);
		ss->lesson = lesson ? strdup(lesson) : NULL;
		ss->nasked = keep_predictions(fs_getlist(&ev->f, "predict"), ss->asked, PREDICTIONS_MAX);
		translate_predictions(mine ? fs_getlist(mine, "predict") : NULL, ss->asked, ss->nasked);
	}
	if (ev->type != EV_SUMMARY)
		return;
	ss->tree_lines = 0;
	put_summary(ss, &ev->f, ev->t);
}

static void summary_free(struct sink *s)
{
	free(((struct summary_sink *)s)->lesson);
	free(s);
}

struct sink *summary_sink_new(FILE *f, int color)
{
	struct summary_sink *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->f = f;
	s->color = color;
	s->sink.event = summary_event;
	s->sink.free = summary_free;
	return &s->sink;
}
