/*
 * picture_lanes.c - which rows the picture has, in tree order (a child
 * under its parent), and how much of each is drawn.
 *
 * Up to PICTURE_LANES_MAX tasks, one lane each. Past that (a fork loop),
 * the children of one parent that have the same shape (made the same way,
 * same program, ended and reaped the same way) keep their first few lanes
 * and the rest share one: "19,800 more children of 1234: ...", drawn as
 * how many of them were in each state over time. And a lane whose bars
 * would be too thin to see (20,000 waits) gets one bar per slot of the
 * picture's width for them, which says how many it stands for: the file
 * stays small and the browser stays quick, whatever the run.
 */
#include <stdlib.h>
#include <string.h>
#include "common/utf8.h"
#include "common/lang.h"
#include "output/picture.h"

/* Each parent keeps at most this many children of a shape on lanes of their own. */
#define GROUP_KEEP_MAX 3
/* A group's lane is cut into this many slots of time. */
#define GROUP_SLOTS 300
/* A lane with more spans than this is thinned to one per slot of LANE_SLOTS. */
#define LANE_SPANS_MAX 600
#define LANE_SLOTS 1200

struct tree {
	int *first, *next, *last;   /* children lists, in creation order */
	int *order;                 /* the tasks in tree order */
	int *depth;
	int n;
};

/* (on a tree that tree_build filled, or that it left empty) */
static void tree_free(struct tree *t)
{
	free(t->first);
	free(t->next);
	free(t->last);
	free(t->order);
	free(t->depth);
	memset(t, 0, sizeof *t);
}

/* 0, or -1 with nothing held (out of memory). */
static int tree_build(struct tree *t, const struct picture *p)
{
	int n = p->ntasks;
	t->n = 0;
	t->first = malloc(sizeof(int) * (size_t)(n + 1));
	t->next = malloc(sizeof(int) * (size_t)(n + 1));
	t->last = malloc(sizeof(int) * (size_t)(n + 1));
	t->order = malloc(sizeof(int) * (size_t)(n + 1));
	t->depth = malloc(sizeof(int) * (size_t)(n + 1));
	int *stack = malloc(sizeof(int) * (size_t)(n + 1));
	if (!t->first || !t->next || !t->last || !t->order || !t->depth || !stack) {
		free(stack);
		tree_free(t);   /* the arrays that were had */
		return -1;
	}
	for (int k = 0; k < n; k++)
		t->first[k] = t->next[k] = t->last[k] = -1;
	for (int k = 0; k < n; k++) {
		int par = p->tasks[k].parent;
		if (par < 0 || par >= k)
			continue;
		if (t->last[par] < 0)
			t->first[par] = k;
		else
			t->next[t->last[par]] = k;
		t->last[par] = k;
	}
	/* Depth first, without recursion: a chain of forks may be deep. */
	for (int r = 0; r < n; r++) {
		int par = p->tasks[r].parent;
		if (par >= 0 && par < r)
			continue;
		int sp = 0;
		stack[sp++] = r;
		t->depth[r] = 0;
		while (sp) {
			int k = stack[--sp];
			t->order[t->n++] = k;
			int cnt = 0;
			for (int c = t->first[k]; c >= 0; c = t->next[c])
				cnt++;
			/* push in reverse so the first child comes out first */
			int at = sp + cnt;
			for (int c = t->first[k]; c >= 0; c = t->next[c]) {
				stack[--at] = c;
				t->depth[c] = t->depth[k] + 1;
			}
			sp += cnt;
		}
	}
	free(stack);
	return 0;
}

/* How many shapes of children one parent may have before the rest are shown one by one. */
#define SHAPES_MAX 256

/* rank[k]: how many earlier children of k's parent have k's shape;
 * firsts[k][j]: the child of that shape whose rank is j (j <= GROUP_KEEP_MAX). */
static void shape_ranks(const struct picture *p, const struct tree *t, int *rank, int (*firsts)[GROUP_KEEP_MAX + 1])
{
	static const char *shapes[SHAPES_MAX];
	static int counts[SHAPES_MAX], lead[SHAPES_MAX][GROUP_KEEP_MAX + 1];
	for (int k = 0; k < p->ntasks; k++)
		rank[k] = 0;
	for (int par = 0; par < p->ntasks; par++) {
		int nshapes = 0;
		for (int c = t->first[par]; c >= 0; c = t->next[c]) {
			int i = 0;
			while (i < nshapes && shapes[i] != p->tasks[c].shape)
				i++;
			if (i == nshapes && nshapes < SHAPES_MAX) {
				shapes[nshapes] = p->tasks[c].shape;
				counts[nshapes++] = 0;
			}
			if (i == nshapes)
				continue;   /* past SHAPES_MAX shapes: shown, or in the last lane */
			rank[c] = counts[i]++;
			if (rank[c] <= GROUP_KEEP_MAX)
				lead[i][rank[c]] = c;
		}
		for (int c = t->first[par]; c >= 0; c = t->next[c]) {
			int i = 0;
			while (i < nshapes && shapes[i] != p->tasks[c].shape)
				i++;
			for (int j = 0; i < nshapes && j <= GROUP_KEEP_MAX; j++)
				firsts[c][j] = j < counts[i] ? lead[i][j] : c;
		}
	}
}

/* Lanes when each parent keeps `keep` children of a shape: in tree order,
 * a task is shown when its parent is and its rank is below keep; the
 * others share the lane of the first of their shape that is hidden
 * (group[k], -1: shown). */
static int count_lanes(const struct picture *p, const struct tree *t, const int *rank,
		       int (*firsts)[GROUP_KEEP_MAX + 1], int keep, int *group)
{
	int lanes = 0;
	for (int i = 0; i < t->n; i++) {
		int k = t->order[i], par = p->tasks[k].parent;
		if (par >= 0 && group[par] >= 0) {
			group[k] = group[par];          /* inside a hidden subtree */
		} else if (rank[k] < keep || par < 0 || keep > GROUP_KEEP_MAX) {
			group[k] = -1;
			lanes++;
		} else {
			group[k] = firsts[k][keep];     /* the first of its shape hidden leads the group */
			lanes += group[k] == k;
		}
	}
	return lanes;
}

/* The most of a group's words its label keeps (its formats' %.40s, %.120s). */
#define MADE_WORDS_MAX 40
#define END_WORDS_MAX 120

/* How a group's label says how its children were made. */
static const struct { const char *call, *words; } made_words[] = {
	{ "fork", N_("forked") }, { "vfork", N_("vforked") }, { "posix_spawn", N_("spawned") },
	{ "pthread_create", N_("made by pthread_create") }, { "clone", N_("cloned") },
};

/* "12,345" */
static void put_count(char *buf, size_t n, long v)
{
	char digits[32];
	int len = snprintf(digits, sizeof digits, "%ld", v), o = 0;
	for (int i = 0; i < len && (size_t)o + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

/* A group's spans: per slot of time, the state most of its members were in, and how many were alive. */
static void group_spans(struct picture *p, struct lane *ln, const int *lane_of)
{
	uint64_t span = p->t_end ? p->t_end : 1, slot = span / GROUP_SLOTS + 1;
	static const enum span_kind kinds[] = { SP_RUNNING, SP_BLOCKED, SP_STOPPED, SP_ZOMBIE };
	enum { NK = sizeof kinds / sizeof kinds[0] };
	double (*busy)[NK] = calloc(GROUP_SLOTS + 1, sizeof *busy);
	int *alive = calloc(GROUP_SLOTS + 1, sizeof *alive);
	ln->spans = calloc(GROUP_SLOTS + 1, sizeof *ln->spans);
	if (!busy || !alive || !ln->spans) {
		free(busy);
		free(alive);
		p->failed = 1;
		return;
	}
	int me = (int)(ln - p->lanes);
	for (int k = 0; k < p->ntasks; k++) {
		if (lane_of[k] != me)
			continue;
		const struct task *tk = &p->tasks[k];
		uint64_t end = tk->ended ? tk->ended : p->t_end;
		for (uint64_t s = tk->born / slot; s <= end / slot && s <= GROUP_SLOTS; s++)
			alive[s]++;
		for (int i = 0; i < tk->nspans; i++) {
			const struct span *sp = &tk->spans[i];
			int kind = 0;
			while (kind < NK && kinds[kind] != sp->kind)
				kind++;
			if (kind == NK)
				continue;
			for (uint64_t s = sp->t0 / slot; s <= sp->t1 / slot && s <= GROUP_SLOTS; s++) {
				uint64_t a = sp->t0 > s * slot ? sp->t0 : s * slot;
				uint64_t b = sp->t1 < (s + 1) * slot ? sp->t1 : (s + 1) * slot;
				busy[s][kind] += b > a ? (double)(b - a) : 0.5;   /* an instant still counts */
			}
		}
	}
	for (int s = 0; s <= GROUP_SLOTS; s++) {
		int best = -1;
		for (int kd = 0; kd < NK; kd++)
			if (busy[s][kd] > 0 && (best < 0 || busy[s][kd] > busy[s][best]))
				best = kd;
		if (best < 0 || !alive[s])
			continue;
		struct span *prev = ln->nspans ? &ln->spans[ln->nspans - 1] : NULL;
		uint64_t t0 = (uint64_t)s * slot, t1 = t0 + slot;
		if (prev && prev->kind == kinds[best] && prev->t1 == t0) {   /* one bar while the same state leads */
			prev->t1 = t1 < span ? t1 : span;
			prev->count = alive[s] > prev->count ? alive[s] : prev->count;
			continue;
		}
		ln->spans[ln->nspans++] = (struct span){ .t0 = t0, .t1 = t1 < span ? t1 : span, .kind = kinds[best],
							  .line = NO_LINE, .count = alive[s] };
	}
	free(busy);
	free(alive);
}

static int by_start(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	return x->t0 < y->t0 ? -1 : x->t0 > y->t0;
}

/* At most one span per slot for the spans shorter than a slot: the
 * others stay as they are. Handler runs are thinned among themselves. */
static void thin(struct task *tk, uint64_t t_end)
{
	if (tk->nspans <= LANE_SPANS_MAX)
		return;
	qsort(tk->spans, (size_t)tk->nspans, sizeof *tk->spans, by_start);
	uint64_t slot = t_end / LANE_SLOTS + 1;
	for (int handlers = 0; handlers < 2; handlers++) {
		int out = 0, open = -1;
		for (int i = 0; i < tk->nspans; i++) {
			struct span s = tk->spans[i];
			if ((s.kind == SP_HANDLER) != handlers) {
				tk->spans[out++] = s;
				continue;
			}
			int small = s.t1 - s.t0 < slot;
			if (small && open >= 0 && s.t0 / slot == tk->spans[open].t0 / slot) {
				struct span *d = &tk->spans[open];
				d->t1 = s.t1 > d->t1 ? s.t1 : d->t1;
				if (d->kind != s.kind && !handlers)
					d->kind = SP_DENSE;
				d->count++;
				if (d->call != s.call)
					d->call = NULL;
				continue;
			}
			tk->spans[out] = s;
			open = small ? out : -1;
			out++;
		}
		tk->nspans = out;
	}
}

void picture_lanes(struct picture *p)
{
	struct tree t = { 0 };
	int n = p->ntasks;
	int *rank = malloc(sizeof(int) * (size_t)(n + 1)), *group = malloc(sizeof(int) * (size_t)(n + 1));
	int *lane_of = malloc(sizeof(int) * (size_t)(n + 1));
	int (*firsts)[GROUP_KEEP_MAX + 1] = malloc(sizeof *firsts * (size_t)(n + 1));
	p->lanes = calloc((size_t)PICTURE_LANES_MAX + 1, sizeof *p->lanes);
	if (!rank || !group || !lane_of || !firsts || !p->lanes || tree_build(&t, p) < 0) {
		p->failed = 1;
		goto out;
	}
	shape_ranks(p, &t, rank, firsts);
	int keep = GROUP_KEEP_MAX + 1;   /* everyone, when they fit */
	while (count_lanes(p, &t, rank, firsts, keep, group) > PICTURE_LANES_MAX && keep > 0)
		keep--;
	for (int i = 0; i < t.n; i++) {
		int k = t.order[i];
		struct task *tk = &p->tasks[k];
		if (group[k] >= 0 && group[k] != k) {
			lane_of[k] = lane_of[group[k]];
			p->lanes[lane_of[k]].count++;
			tk->lane = lane_of[k];
			continue;
		}
		if (p->nlanes == PICTURE_LANES_MAX) {   /* too many shapes even so: the rest share a last lane */
			p->lanes[p->nlanes++] = (struct lane){ .task = k, .depth = 0, .count = 0, .rest = 1 };
		}
		if (p->nlanes > PICTURE_LANES_MAX) {
			lane_of[k] = tk->lane = p->nlanes - 1;
			p->lanes[p->nlanes - 1].count++;
			continue;
		}
		struct lane *ln = &p->lanes[p->nlanes];
		*ln = (struct lane){ .task = k, .depth = t.depth[k], .count = 1 };
		lane_of[k] = tk->lane = p->nlanes++;
		tk->shown = group[k] < 0;
	}
	for (int l = 0; l < p->nlanes; l++) {
		struct lane *ln = &p->lanes[l];
		const struct task *tk = &p->tasks[ln->task];
		if (p->tasks[ln->task].shown && ln->count == 1)
			continue;
		char num[32];
		put_count(num, sizeof num, ln->count);
		const struct task *par = tk->parent >= 0 ? &p->tasks[tk->parent] : NULL;
		const char *made = tk->made;
		for (size_t i = 0; i < sizeof made_words / sizeof *made_words; i++)
			if (strcmp(made_words[i].call, tk->made) == 0)
				made = _(made_words[i].words);
		/* how they ended, and how reaped but not by whom: the same parent reaped them all, said once */
		char end[PICTURE_END_MAX], made_words_cut[MADE_WORDS_MAX + 1], end_cut[END_WORDS_MAX + 1];
		snprintf(end, sizeof end, "%.*s%s", tk->exit_len, tk->end,
			 tk->reap >= 0 ? _(reap_words[tk->reap].group) : tk->end + tk->exit_len);
		/* The labels' formats keep at most 40 and 120 bytes of these
		 * (%.40s, %.120s): cut here first, between letters, and marked. */
		utf8_snprintf(made_words_cut, sizeof made_words_cut, "%s", made);
		utf8_snprintf(end_cut, sizeof end_cut, "%s", end);
		made = made_words_cut;
		if (!ln->rest && par && tk->thread)
			/* TRANSLATORS: a lane for many threads; %s: a count ("19,997"), %d: the parent's
			   pid, then how they were made and how they ended */
			snprintf(ln->label, sizeof ln->label, P_("%s more thread of %d: %.40s, %.120s",
								 "%s more threads of %d: %.40s, %.120s", ln->count),
				 num, (int)par->tid, made, end_cut);
		else if (!ln->rest && par)
			snprintf(ln->label, sizeof ln->label, P_("%s more child of %d: %.40s, %.120s",
								 "%s more children of %d: %.40s, %.120s", ln->count),
				 num, (int)par->tid, made, end_cut);
		else
			snprintf(ln->label, sizeof ln->label, P_("%s more task", "%s more tasks", ln->count), num);
		group_spans(p, ln, lane_of);
	}
	for (int k = 0; k < n; k++)
		if (p->tasks[k].shown)
			thin(&p->tasks[k], p->t_end);
out:
	tree_free(&t);
	free(rank);
	free(group);
	free(lane_of);
	free(firsts);
}
