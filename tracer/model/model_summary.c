/*
 * model_summary.c - what the model knows at the end, as fields of the
 * summary event: every count, every signal kind, every leaked zombie, the
 * threads never joined, and the process tree. The summary renderer says
 * it in words from these fields alone (and so does ./trace --replay).
 */
#include <stdlib.h>
#include "event/status.h"
#include "model/model_int.h"

static void add_signals(const struct model *m, struct fields *fs)
{
	struct fields *sig = fs_obj(fs, "signals");
	for (int s = 1; sig && s <= SIG_MAX; s++)
		if (m->signals[s])
			fs_int(sig, sig_name(s), m->signals[s]);   /* the names are constants */
}

static void add_zombies(const struct model *m, struct fields *fs)
{
	struct fields *z = fs_obj(fs, "zombies");
	if (!z)
		return;
	struct fields *leaked = fs_list(z, "leaked");
	for (const struct proc *p = m->first; leaked && p; p = p->next_all)
		if (p->leaked)
			fs_int(leaked, NULL, p->pid);
	fs_int(z, "transient", m->zombies_transient);
	fs_int(z, "max_concurrent", m->zombies_max);
	fs_int(z, "auto", m->zombies_auto);
	fs_int(z, "adopted", m->zombies_adopted);
}

/* Append the tids of p's threads never joined nor detached to list. */
static void append_never_joined(const struct proc *p, struct fields *list)
{
	for (int i = 0; list && i < p->nthr; i++)
		if (!p->thr[i].joined && !p->thr[i].detached)
			fs_int(list, NULL, p->thr[i].tid);
}

static void add_tree(const struct model *m, struct fields *fs, int joins_seen)
{
	struct fields *tree = fs_list(fs, "tree");
	for (const struct proc *p = m->first; tree && p; p = p->next_all) {
		struct fields *n = fs_obj(tree, NULL);
		if (!n)
			return;
		fs_int(n, "pid", p->pid);
		fs_int(n, "parent", p->spawned_by > 0 ? p->spawned_by : 0);
		fs_str(n, "name", p->name);
		fs_str(n, "call", p->call ? p->call : "?");
		if (p->exited)
			fs_status(n, "status", p->exit_status);
		else
			fs_null(n, "status");
		if (p->exited)
			fs_int(n, "t_exit", (int64_t)p->t_exit);
		else
			fs_null(n, "t_exit");
		cpu_fields(p, n);
		fs_int(n, "threads", p->nthreads);
		fs_bool(n, "leaked", p->leaked);
		fs_bool(n, "adopted", p->adopted);
		fs_bool(n, "escaped", p->escaped);
		fs_int(n, "unlisted_children", p->pruned);
		if (joins_seen)
			append_never_joined(p, fs_list(n, "never_joined"));
	}
}

void model_summarize(const struct model *m, struct fields *fs, int joins_seen)
{
	fs_int(fs, "processes", m->processes);
	fs_int(fs, "threads", m->threads);
	fs_int(fs, "escaped", m->escaped);
	add_signals(m, fs);
	add_zombies(m, fs);
	/* Without the hook nobody saw a join, so "never joined" would be a guess. */
	if (joins_seen) {
		struct fields *l = fs_list(fs, "never_joined");
		for (const struct proc *p = m->first; p; p = p->next_all)
			append_never_joined(p, l);
	} else {
		fs_null(fs, "never_joined");
	}
	add_tree(m, fs, joins_seen);
}
