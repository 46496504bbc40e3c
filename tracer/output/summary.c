/*
 * summary.c - the end of a run: one summary event built from the model,
 * and a renderer that says it in words, with a sentence for each leaked
 * zombie on why it leaked.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "decode/call.h"
#include "core/loop.h"
#include "model/model.h"
#include "common/names.h"
#include "output/output.h"

#define MAX_LEAKED 1024

static struct event sum;
static struct arena sum_arena;
static int leaked[MAX_LEAKED], never_joined[MAX_LEAKED];

void summary_emit(struct tracer *tr, int exit_status, uint64_t t)
{
	struct model *m = tr->m;
	int n = 0;
	for (struct proc *p = m->first; p; p = p->next_all)
		if (p->leaked && n < MAX_LEAKED)
			leaked[n++] = p->pid;

	sum.type = EV_SUMMARY;
	sum.t = t;
	sum.pid = sum.tid = m->root;
	fields_clear(&sum.f);
	arena_reset(&sum_arena);
	fs_int(&sum.f, "exit", exit_status);
	fs_int(&sum.f, "processes", m->processes);
	fs_int(&sum.f, "threads", m->threads);
	struct fields *sig = fs_obj(&sum.f, &sum_arena, "signals");
	for (int s = 1; sig && s < 65; s++)
		if (m->signals[s] && sig->n < FIELDS_MAX)
			fs_int(sig, sig_name(s), m->signals[s]);
	struct fields *z = fs_obj(&sum.f, &sum_arena, "zombies");
	if (z) {
		fs_ints(z, &sum_arena, "leaked", leaked, n);
		fs_int(z, "transient", m->zombies_transient);
		fs_int(z, "max_concurrent", m->zombies_max);
		fs_int(z, "auto", m->zombies_auto);
		fs_int(z, "adopted", m->zombies_adopted);
	}
	int nj = 0;
	for (struct proc *p = m->first; p; p = p->next_all)
		nj += model_never_joined(m, p->pid, never_joined + nj, MAX_LEAKED - nj);
	if (tr->classes & CLS_HOOK)
		fs_ints(&sum.f, &sum_arena, "never_joined", never_joined, nj < MAX_LEAKED ? nj : MAX_LEAKED);
	else
		fs_null(&sum.f, "never_joined");
	fs_bool(&sum.f, "timed_out", tr->timed_out);
	if (tr->limit)
		fs_str(&sum.f, &sum_arena, "limit", tr->limit);
	else
		fs_null(&sum.f, "limit");
	fs_int(&sum.f, "lost", tr->lost);
	model_emit(m, &sum);
}

struct summary_sink {
	struct sink sink;
	FILE *f;
	int color;
	const struct event *last;
	uint64_t t_end;
	int exit_status;
};

static void describe_exit(FILE *f, const struct proc *p)
{
	if (!p->exited)
		fputs("still running (detached)", f);
	else if (WIFEXITED(p->exit_status))
		fprintf(f, "exited %d", WEXITSTATUS(p->exit_status));
	else
		fprintf(f, "killed by %s%s", sig_name(WTERMSIG(p->exit_status)),
			WCOREDUMP(p->exit_status) ? " (core dumped)" : "");
}

static int tree_lines;   /* the tree's lines so far: a fork bomb must not flood */

static void tree(FILE *f, const struct model *m, const struct proc *parent, int depth)
{
	int shown = 0, hidden = 0;
	for (const struct proc *p = m->first; p; p = p->next_all) {
		if (p->spawned_by != parent->pid || p == parent)
			continue;
		if (shown >= 8 || tree_lines >= 40) {
			hidden++;
			continue;
		}
		shown++;
		tree_lines++;
		fprintf(f, "  %*s%d %s (%s): ", depth * 2, "", p->pid, p->name, p->call ? p->call : "?");
		describe_exit(f, p);
		if (p->nthreads)
			fprintf(f, ", %d thread%s", p->nthreads, p->nthreads == 1 ? "" : "s");
		if (p->leaked)
			fputs(", LEAKED zombie", f);
		else if (p->adopted)
			fputs(", orphan adopted by the tracer", f);
		putc('\n', f);
		tree(f, m, p, depth + 1);
	}
	hidden += parent->pruned;   /* reaped normally, and not kept */
	if (hidden && tree_lines < 48) {
		tree_lines++;
		fprintf(f, "  %*s... and %d more children of %d\n", depth * 2, "", hidden, parent->pid);
	}
}

static void summary_event(struct sink *s, const struct event *ev, const struct model *m)
{
	(void)m;
	struct summary_sink *ss = (struct summary_sink *)s;
	if (ev->type == EV_SUMMARY) {
		ss->last = ev;
		ss->t_end = ev->t;
	}
}

static void summary_finish(struct sink *s, const struct model *m)
{
	struct summary_sink *ss = (struct summary_sink *)s;
	const struct event *ev = ss->last;
	FILE *f = ss->f;
	const char *bold = ss->color ? "\033[1m" : "", *red = ss->color ? "\033[1;31m" : "",
		   *off = ss->color ? "\033[0m" : "";
	if (!ev)
		return;
	const struct proc *root = model_proc(m, m->root);
	fprintf(f, "\n%s== summary ==%s after %.3f s\n", bold, off, (double)ev->t / 1e9);
	if (fs_geti(&ev->f, "timed_out", 0))
		fprintf(f, "%sthe --timeout was reached: the tracer killed the traced processes%s\n", red, off);
	fprintf(f, "processes: %d, threads created: %d, exit status: %lld\n",
		m->processes, m->threads, (long long)fs_geti(&ev->f, "exit", 0));
	if (root) {
		fprintf(f, "%d %s: ", root->pid, root->name);
		describe_exit(f, root);
		if (root->nthreads)
			fprintf(f, ", %d thread%s", root->nthreads, root->nthreads == 1 ? "" : "s");
		putc('\n', f);
		tree(f, m, root, 1);
	}
	fputs("signals delivered:", f);
	int any = 0;
	for (int sig = 1; sig < 65; sig++)
		if (m->signals[sig]) {
			fprintf(f, "%s %s x%d", any ? "," : "", sig_name(sig), m->signals[sig]);
			any = 1;
		}
	fputs(any ? "\n" : " none\n", f);

	int nleaked = 0;
	for (const struct proc *p = m->first; p; p = p->next_all)
		nleaked += p->leaked;
	fprintf(f, "zombies: %s%d leaked%s, %d reaped by their parent's wait, %d auto-reaped, "
		"%d orphans adopted; at most %d at once\n",
		nleaked ? red : "", nleaked, off, m->zombies_transient, m->zombies_auto,
		m->zombies_adopted, m->zombies_max);
	/* Without the hook nobody saw a join, so "never joined" would be a guess. */
	const struct field *joins = fs_get(&ev->f, "never_joined");
	int hook = joins && joins->kind != F_NULL;
	int nj[64];
	for (const struct proc *p = m->first; hook && p; p = p->next_all) {
		int n = model_never_joined(m, p->pid, nj, 64);
		if (!n)
			continue;
		fprintf(f, "%s%d thread%s of %d never joined nor detached%s:", red, n, n == 1 ? "" : "s", p->pid, off);
		for (int i = 0; i < n && i < 64; i++)
			fprintf(f, " %d", nj[i]);
		fputs(n > 64 ? " ...\n" : "\n", f);
		fputs("  (a joinable thread keeps its exit status and stack until pthread_join(); "
		      "pthread_detach() lets them go when it ends)\n", f);
	}
	int said = 0;
	for (const struct proc *p = m->first; p; p = p->next_all) {
		if (!p->leaked)
			continue;
		if (said++ >= 10) {
			fprintf(f, "  ... and %d more leaked the same way\n", nleaked - 10);
			break;
		}
		const struct proc *parent = model_proc(m, p->spawned_by);
		fprintf(f, "  %d leaked: it exited at %.3f s while its parent %d was alive, and %d ",
			p->pid, (double)p->t_exit / 1e9, p->spawned_by, p->spawned_by);
		if (parent && parent->exited)
			fprintf(f, "ended at %.3f s without calling wait() for it.\n", (double)parent->t_exit / 1e9);
		else
			fputs("never called wait() for it before the trace ended.\n", f);
	}
	fflush(f);
}

struct sink *summary_sink_new(FILE *f, int color)
{
	struct summary_sink *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->f = f;
	s->color = color;
	s->sink.event = summary_event;
	s->sink.finish = summary_finish;
	return &s->sink;
}
