/*
 * svg_arrows.c - the arrows of the picture: fork and pthread_create from
 * parent to child, each signal from its sender to its receiver, each reap
 * from the zombie to its reaper. A SIGCHLD that stands for several exits
 * is one arrow whose lines come from each of those children's exits and
 * join before it reaches the parent: several children, one signal.
 *
 * An arrow's segments are in data-d as "t y t y;..." (ns and px), which
 * the page's script projects again when it zooms. An arrow with an end on
 * a grouped lane (one of 19,800 children) is drawn once for all those
 * like it, with their count.
 */
#include <stdlib.h>
#include <string.h>
#include "common/lang.h"
#include "output/svg_int.h"

/* Arrows drawn one by one at most; past that, grouped like the others. */
#define ARROWS_ONE_BY_ONE_MAX 3000
#define ARROW_GROUPS_MAX 1000
/* How far before the receiver the lines of a merged SIGCHLD join. */
#define JOIN_PX 9
/* Room the words of a merged SIGCHLD need on the right of it: at least
 * this, or their characters' (page.js does the same). */
#define MERGE_WORDS_PX 110
#define MERGE_CHAR_PX 6.0

struct seg { uint64_t t0, t1; double y0, y1; };

static double center(const struct geo *g, const struct end_point *e)
{
	if (e->task < 0)
		return g->lanes_y - 2;   /* the tracer: above the lanes */
	return lane_y(g, g->p->tasks[e->task].lane) + LANE_H / 2.0;
}

static int lane_of(const struct geo *g, const struct end_point *e)
{
	return e->task < 0 ? -1 : g->p->tasks[e->task].lane;
}

static int shown(const struct geo *g, const struct end_point *e)
{
	return e->task < 0 || g->p->tasks[e->task].shown;
}

static void put_path(FILE *f, const struct geo *g, const struct seg *s, int n)
{
	fputs(" d=\"", f);
	for (int i = 0; i < n; i++)
		fprintf(f, "M%.1f %.1fL%.1f %.1f", x_of(g, s[i].t0), s[i].y0, x_of(g, s[i].t1), s[i].y1);
	fputs("\" data-d=\"", f);
	for (int i = 0; i < n; i++)
		fprintf(f, "%s%llu %.1f %llu %.1f", i ? ";" : "", (unsigned long long)s[i].t0, s[i].y0,
			(unsigned long long)s[i].t1, s[i].y1);
	fputs("\"", f);
}

/* Where the head lands: at the receiver's bar's edge, on the side the arrow comes from. */
static double head_y(double from_y, double to_y)
{
	if (from_y == to_y)
		return to_y - BAR_H / 2.0;
	return from_y < to_y ? to_y - BAR_H / 2.0 : to_y + BAR_H / 2.0;
}

static void draw(FILE *f, const struct geo *g, const struct arrow *a, int count)
{
	const struct picture *p = g->p;
	struct seg one[1], *segs = one;
	int n = 1;
	double y_to = center(g, &a->to);
	if (a->nmerged > 1 && count == 1) {
		/* each exit's line to a point just off the receiver, and one head from there */
		double mean = 0;
		for (int i = 0; i < a->nmerged; i++)
			mean += center(g, &a->merged[i]);
		int below = mean / a->nmerged > y_to;
		double join = y_to + (below ? 1 : -1) * (BAR_H / 2.0 + JOIN_PX);
		segs = calloc((size_t)a->nmerged + 1, sizeof *segs);
		if (!segs)
			return;
		for (int i = 0; i < a->nmerged; i++)
			segs[i] = (struct seg){ a->merged[i].t, a->to.t, center(g, &a->merged[i]), join };
		segs[a->nmerged] = (struct seg){ a->to.t, a->to.t, join, y_to + (below ? 1 : -1) * BAR_H / 2.0 };
		n = a->nmerged + 1;
	} else {
		double y0 = center(g, &a->from);
		if (y0 == y_to)
			y0 -= BAR_H / 2.0 + JOIN_PX;   /* to itself: a short arrow from above */
		one[0] = (struct seg){ a->from.t, a->to.t, y0, head_y(y0, y_to) };
	}
	fprintf(f, "<path class=\"arrow %s%s\" data-what=\"", arrow_class[a->kind], a->nmerged > 1 && count == 1 ? " merged" : "");
	xml_text(f, a->what ? a->what : "?");
	fprintf(f, "\" data-from=\"%d\" data-to=\"%d\"", (int)a->from_pid, (int)a->to_pid);
	if (a->kind == AR_SIGNAL) {
		fputs(" data-sig=\"", f);
		xml_text(f, a->what ? a->what : "?");
		fputs("\"", f);
	}
	if (a->kind == AR_SIGNAL && a->nmerged && count == 1) {
		fprintf(f, " data-merged=\"%d\" data-exits=\"", a->nmerged);
		for (int i = 0; i < a->nmerged; i++)
			fprintf(f, "%s%d", i ? " " : "", (int)p->tasks[a->merged[i].task].pid);
		fputs("\"", f);
	}
	if (count > 1)
		fprintf(f, " data-count=\"%d\"", count);
	put_path(f, g, segs, n);
	fprintf(f, " marker-end=\"url(#head-%s)\">", arrow_class[a->kind]);
	const char *line = picture_line(p, a->line);
	if (count > 1) {
		char *words = NULL;   /* the line whole, however long */
		/* TRANSLATORS: count is at least 2; %s: the first arrow's timeline line */
		if (asprintf(&words, _("%d arrows like this one; the first: %s"), count, line ? line : "") >= 0)
			svg_title(f, words);
		free(words);
	} else {
		svg_title(f, line);
	}
	fputs("</path>", f);
	if (n > 1) {   /* the count where the lines join */
		const struct seg *last = &segs[n - 1];
		double x = x_of(g, last->t0);
		char words[128];
		/* TRANSLATORS: a merged SIGCHLD: how many children's exits one signal stands for (2 or more) */
		snprintf(words, sizeof words, _("%d exits, 1 signal"), a->nmerged);
		double room = (double)utf8_chars(words) * MERGE_CHAR_PX;
		int left = x > g->plot_x + PLOT_W - (room > MERGE_WORDS_PX ? room : MERGE_WORDS_PX);   /* no room on the right: on the left */
		fprintf(f, "<text class=\"merge-count\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" data-t0=\"%llu\" "
			"data-t1=\"%llu\">", left ? x - 4 : x + 4, last->y0 + 4, left ? "end" : "start",
			(unsigned long long)last->t0, (unsigned long long)last->t0);
		xml_text(f, words);
		fputs("</text>", f);
		free(segs);
	}
	fputc('\n', f);
}

static const char *lost_words(int lost)
{
	static char words[128];
	snprintf(words, sizeof words, P_("%d more arrow not drawn", "%d more arrows not drawn", (unsigned long)lost), lost);
	return words;
}

struct group { int kind, from, to; const char *what; int first, count; };

void svg_arrows(FILE *f, const struct geo *g)
{
	const struct picture *p = g->p;
	struct group *groups = calloc(ARROW_GROUPS_MAX, sizeof *groups);
	int ngroups = 0, drawn = 0, lost = 0;
	fputs("<g class=\"arrows\" clip-path=\"url(#plot)\">\n", f);
	for (int i = 0; i < p->narrows; i++) {
		const struct arrow *a = &p->arrows[i];
		int solo = shown(g, &a->from) && shown(g, &a->to);
		for (int m = 0; solo && m < a->nmerged; m++)
			solo = shown(g, &a->merged[m]);
		if (solo && drawn < ARROWS_ONE_BY_ONE_MAX) {
			draw(f, g, a, 1);
			drawn++;
			continue;
		}
		int from = lane_of(g, &a->from), to = lane_of(g, &a->to), j = 0;
		while (j < ngroups && !(groups[j].kind == (int)a->kind && groups[j].from == from && groups[j].to == to &&
					groups[j].what == a->what))
			j++;
		if (j == ngroups && (!groups || ngroups == ARROW_GROUPS_MAX)) {
			lost++;
			continue;
		}
		if (j == ngroups)
			groups[ngroups++] = (struct group){ (int)a->kind, from, to, a->what, i, 0 };
		groups[j].count++;
	}
	for (int j = 0; j < ngroups; j++)
		draw(f, g, &p->arrows[groups[j].first], groups[j].count);
	if (lost)
		fprintf(f, "<text class=\"note\" x=\"%d\" y=\"%d\">%s</text>\n", g->plot_x + 4, g->lanes_y - 4,
			lost_words(lost));
	fputs("</g>\n", f);
	free(groups);
}
