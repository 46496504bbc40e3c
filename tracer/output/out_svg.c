/*
 * out_svg.c - the picture of a run as a static SVG (picture.h): the tree
 * of tasks on the left, one lane per task across time, a bar per state,
 * handler runs under the bars, exec marks, arrows for fork and
 * pthread_create, signals and reaps, a time axis and a legend, and the
 * lesson and diagnoses above.
 *
 * Everything drawn carries what tests and the page's script need:
 * classes (lane, bar zombie, arrow signal), the pids, and its times in ns
 * (data-t0, data-t1; an arrow's segments in data-d as "t y t y;...") so
 * that the page can zoom the time axis by moving x alone. Each has a
 * <title>: its event's timeline line. Colours come from picture.css
 * (the Okabe-Ito palette, which colour-blind readers can tell apart), and
 * never alone: a zombie bar is also hatched and labelled, blocked bars
 * are lower, arrows differ by dash.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "common/utf8.h"
#include "common/lang.h"
#include "output/output.h"
#include "output/page_assets.h"
#include "output/picture.h"
#include "output/svg_int.h"

#define LINE_H 17             /* a line of the header */
#define AXIS_H 26
#define BLOCKED_H 8           /* lower than a running bar: it is not on a CPU */
#define HANDLER_H 3
#define LEGEND_H 64           /* with one row of bars and one of arrows */
#define LEGEND_SLOT 190       /* a bar's item at least */
#define LEGEND_ARROWS_X 100
#define LEGEND_ARROW_SLOT 300
#define LEGEND_CHAR_PX 5.6    /* a character at the legend's size, on average */
#define INDENT_PX 12
#define INDENT_MAX 12
#define CHAR_PX 6.6           /* a label's character, to see whether it fits its bar */
/* A tree line's character (12 px; a group's 11 px), on average, with room
 * to spare: DejaVu Sans, wider than most, takes 5.3 to 5.8 px in Chromium. */
#define TREE_CHAR_PX 6.2
#define GROUP_CHAR_PX 5.7
#define TASK_X 6              /* where a tree line starts, before its indent */
#define TICK_MIN_PX 90        /* ticks at least this far apart */
#define TICK_CHAR_PX 6.6      /* a tick label's character (11 px), with room to spare */

/* A time as the axis says it: the unit and decimals its step needs. */
void picture_put_time(FILE *f, uint64_t t, uint64_t step)
{
	static const struct { uint64_t min_step, unit; const char *name; } units[] = {
		{ 100000000, 1000000000, "s" }, { 100000, 1000000, "ms" }, { 0, 1000, "\xc2\xb5s" },
	};
	size_t u = 0;
	while (step < units[u].min_step)
		u++;
	if (units[u].unit == NS_PER_S && t >= 60 * NS_PER_S && step >= 10 * NS_PER_S) {
		char min[24], sec[8];
		snprintf(min, sizeof min, "%llu", (unsigned long long)(t / NS_PER_S / 60));
		snprintf(sec, sizeof sec, "%02llu", (unsigned long long)(t / NS_PER_S % 60));
		fprintf(f, _("%s min %s s"), min, sec);   /* page.js fills the same words */
		return;
	}
	double v = (double)t / (double)units[u].unit, st = (double)step / (double)units[u].unit;
	int dec = st >= 1 ? 0 : (int)ceil(-log10(st) - 1e-9);
	char buf[48];
	snprintf(buf, sizeof buf, "%.*f", dec, v);
	if (strchr(buf, '.')) {   /* 1.50 -> 1.5, 2.0 -> 2 */
		char *e = buf + strlen(buf) - 1;
		while (*e == '0')
			*e-- = '\0';
		if (*e == '.')
			*e = '\0';
	}
	fprintf(f, "%s %s", buf, units[u].name);
}

/* The step of the ticks: 1, 2 or 5 times a power of ten ns. */
static uint64_t tick_step(uint64_t span)
{
	static const int mult[] = { 1, 2, 5 };
	for (uint64_t p10 = 1000;; p10 *= 10)
		for (int i = 0; i < 3; i++)
			if ((double)(p10 * (uint64_t)mult[i]) * PLOT_W / (double)span >= TICK_MIN_PX)
				return p10 * (uint64_t)mult[i];
}

static void axis(FILE *f, const struct geo *g, int height, int legend_h)
{
	uint64_t span = g->p->t_end ? g->p->t_end : 1, step = tick_step(span);
	int y = g->lanes_y - AXIS_H;
	fprintf(f, "<g class=\"axis\" id=\"axis\" data-y=\"%d\" data-h=\"%d\">", y, height - y - legend_h);
	for (uint64_t t = 0; t <= span; t += step) {
		double x = x_of(g, t);
		fprintf(f, "<line class=\"tick\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>", x, x, y + AXIS_H - 6,
			height - legend_h);
		char words[64] = "";
		FILE *m = fmemopen(words, sizeof words - 1, "w");
		if (m) {
			picture_put_time(m, t, step);
			fclose(m);
		}
		/* a label that would pass the picture's right edge (the last tick) goes left of its tick */
		int left = x + 2 + (double)utf8_chars(words) * TICK_CHAR_PX > g->width - 2;
		fprintf(f, "<text class=\"tick-label\" x=\"%.1f\" y=\"%d\"%s>", left ? x - 2 : x + 2, y + AXIS_H - 10,
			left ? " text-anchor=\"end\"" : "");
		xml_text(f, words);
		fputs("</text>", f);
	}
	fputs("</g>\n", f);
}

/* A bar: its class, where it is, and its line (or words of its own). */
static void bar(FILE *f, const struct geo *g, const struct span *s, int y, const char *line)
{
	double x0 = x_of(g, s->t0), w = (double)(s->t1 - s->t0) * g->scale;
	int h = s->kind == SP_BLOCKED ? BLOCKED_H : BAR_H, top = y + (LANE_H - h) / 2;
	if (s->kind == SP_HANDLER) {
		h = HANDLER_H;
		top = y + LANE_H - 2 - (s->depth > 0 ? s->depth : 1) * (HANDLER_H + 1);
	}
	fprintf(f, "<rect class=\"bar %s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" data-t0=\"%llu\" data-t1=\"%llu\"",
		span_class[s->kind], x0, top, w < 1 ? 1 : w, h, (unsigned long long)s->t0, (unsigned long long)s->t1);
	if (s->count > 1)
		fprintf(f, " data-count=\"%d\"", s->count);
	fputs(">", f);
	svg_title(f, line);
	fputs("</rect>", f);
	/* words in the bar when they fit: the call it is blocked in, "zombie" */
	const char *words = s->kind == SP_BLOCKED ? s->call : s->kind == SP_ZOMBIE ? _("zombie")
			  : s->kind == SP_UNFINISHED ? s->call : NULL;
	if (words && w >= (double)utf8_chars(words) * CHAR_PX + 4) {
		fprintf(f, "<text class=\"bar-label %s\" x=\"%.1f\" y=\"%d\" data-t0=\"%llu\" data-t1=\"%llu\">",
			span_class[s->kind], x0 + 2, y + LANE_H / 2 + 4, (unsigned long long)s->t0,
			(unsigned long long)s->t1);
		xml_text(f, words);
		fputs("</text>", f);
	}
}

/* A bar that stands for many, or a group's: its own words. */
static void bar_words(FILE *f, const struct geo *g, const struct span *s, int y, int group)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	if (!m)
		return;
	/* a group's: per state that led; a thinned bar's: of handlers or not, in a call or not */
	static const char *const most[SP_NKINDS] = {
		[SP_RUNNING] = N_("up to %d of them alive at once here, most of the time running"),
		[SP_BLOCKED] = N_("up to %d of them alive at once here, most of the time blocked"),
		[SP_STOPPED] = N_("up to %d of them alive at once here, most of the time stopped"),
		[SP_ZOMBIE] = N_("up to %d of them alive at once here, most of the time zombies"),
	};
	static const char *const dense[2][2] = {
		{ N_("%d spells of running and blocking too short to draw one by one: zoom in on the timeline to read them"),
		  N_("%d spells of running and blocking too short to draw one by one, in %s: zoom in on the timeline to read them") },
		{ N_("%d handler runs too short to draw one by one: zoom in on the timeline to read them"),
		  N_("%d handler runs too short to draw one by one, in %s: zoom in on the timeline to read them") },
	};
	if (group && most[s->kind])
		fprintf(m, _(most[s->kind]), s->count);
	else if (!group)   /* count > 1: they are many */
		fprintf(m, _(dense[s->kind == SP_HANDLER][s->call != NULL]), s->count, s->call ? s->call : "");
	fclose(m);
	bar(f, g, s, y, text);
	free(text);
}

/* A lane's words in the tree: the task, its pid and how it ended, or a
 * group's label; and where they start. Never cut: the tree is as wide as
 * its longest words need (plot_x). */
static int lane_words(const struct picture *p, int l, char *words, size_t size)
{
	const struct lane *ln = &p->lanes[l];
	const struct task *tk = &p->tasks[ln->task];
	if (!tk->shown)
		snprintf(words, size, "%s", ln->label);
	else if (tk->thread)
		snprintf(words, size, "%s %d/%d \xc2\xb7 %s", tk->name, (int)tk->pid, (int)tk->tid, tk->end);
	else
		snprintf(words, size, "%s %d \xc2\xb7 %s", tk->name, (int)tk->pid, tk->end);
	return TASK_X + (ln->depth < INDENT_MAX ? ln->depth : INDENT_MAX) * INDENT_PX;
}

/* The x where the plot starts: the tree's width, from its longest line
 * (TREE_W at least), and the gap. */
static int plot_x(const struct picture *p)
{
	double tree = TREE_W;
	char words[512];
	for (int l = 0; l < p->nlanes; l++) {
		int x = lane_words(p, l, words, sizeof words);
		double px = p->tasks[p->lanes[l].task].shown ? TREE_CHAR_PX : GROUP_CHAR_PX;
		double need = x + (double)utf8_chars(words) * px;
		tree = need > tree ? need : tree;
	}
	return (int)ceil(tree) + TREE_GAP;
}

static void lane(FILE *f, const struct geo *g, int l)
{
	const struct picture *p = g->p;
	const struct lane *ln = &p->lanes[l];
	const struct task *tk = &p->tasks[ln->task];
	int y = lane_y(g, l), group = !tk->shown;
	fprintf(f, "<g class=\"lane%s\" data-lane=\"%d\" data-pid=\"%d\" data-tid=\"%d\"", group ? " group" : "", l,
		(int)tk->pid, (int)tk->tid);
	if (group)
		fprintf(f, " data-count=\"%d\"", ln->count);
	fprintf(f, "><rect class=\"lane-bg%s\" x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\"/>", l % 2 ? " odd" : "", y,
		g->width, LANE_H);
	char words[512];
	int x = lane_words(p, l, words, sizeof words);
	fprintf(f, "<text class=\"task%s\" x=\"%d\" y=\"%d\">", tk->thread ? " thread" : "", x, y + LANE_H / 2 + 4);
	xml_text(f, words);
	char about[1024];
	const struct task *par = tk->parent >= 0 ? &p->tasks[tk->parent] : NULL;
	if (par)
		/* TRANSLATORS: a lane's tooltip: its words, the call that made it, its parent's pid, how it ended */
		utf8_snprintf(about, sizeof about, _("%s: made by %s() in %d; %s"), words, tk->made, (int)par->tid, tk->end);
	else
		utf8_snprintf(about, sizeof about, _("%s: the traced command"), words);
	svg_title(f, about);
	fputs("</text><g class=\"bars\" clip-path=\"url(#plot)\">", f);
	if (group) {
		for (int i = 0; i < ln->nspans; i++)
			bar_words(f, g, &ln->spans[i], y, 1);
	} else {
		for (int i = 0; i < tk->nspans; i++) {
			const struct span *s = &tk->spans[i];
			if (s->count > 1)
				bar_words(f, g, s, y, 0);
			else
				bar(f, g, s, y, picture_line(p, s->line));
		}
		for (int i = 0; i < p->nmarks; i++)
			if (p->marks[i].task == ln->task) {
				double x = x_of(g, p->marks[i].t);
				fprintf(f, "<rect class=\"exec\" x=\"%.1f\" y=\"%d\" width=\"2\" height=\"%d\" data-t0=\"%llu\" "
					"data-t1=\"%llu\">", x - 1, y + 2, LANE_H - 4, (unsigned long long)p->marks[i].t,
					(unsigned long long)p->marks[i].t);
				svg_title(f, picture_line(p, p->marks[i].line));
				fputs("</rect>", f);
			}
	}
	fputs("</g></g>\n", f);
}

static void defs(FILE *f, const struct geo *g, int height)
{
	fprintf(f, "<defs><clipPath id=\"plot\"><rect x=\"%d\" y=\"0\" width=\"%d\" height=\"%d\"/></clipPath>"
		"<pattern id=\"hatch\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" patternTransform=\"rotate(45)\">"
		"<rect class=\"hatch-bg\" width=\"6\" height=\"6\"/><line class=\"hatch-line\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\"/></pattern>",
		g->plot_x, g->width, height);
	for (int k = 0; k < AR_NKINDS; k++)
		fprintf(f, "<marker id=\"head-%s\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" "
			"markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path class=\"head %s\" d=\"M0 0L10 5L0 10z\"/></marker>",
			arrow_class[k], arrow_class[k]);
	fputs("</defs>\n", f);
	(void)g;
}

/* The lesson and the diagnoses, as the summary says them, line by line. */
static int header(FILE *f, const struct picture *p, int y, int draw)
{
	int lines = 0;
	const char *s = p->about ? p->about : "";
	while (*s) {
		size_t n = strcspn(s, "\n");
		int indent = strncmp(s, "  ", 2) == 0;
		if (draw) {
			fprintf(f, "<text class=\"about%s\" x=\"%d\" y=\"%d\">", indent ? "" : " about-head", indent ? 24 : 8,
				y + lines * LINE_H + 12);
			xml_text_n(f, s + (indent ? 2 : 0), n - (indent ? 2 : 0));   /* whole, however long */
			fputs("</text>\n", f);
		}
		lines++;
		s += n + (s[n] == '\n');
	}
	return lines * LINE_H + (lines ? 8 : 0);
}

/* What each bar and arrow means: a row of bars, a row of exec and the
 * arrows; an item wider than its slot takes more, and a row too long for
 * the width goes on under it. draw 0: only the height it takes. */
static int legend(FILE *f, int width, int y, int draw)
{
	static const struct { const char *cls, *words; int h, dy; } bars[] = {
		{ "bar running", N_("running"), BAR_H, 0 }, { "bar blocked", N_("blocked in a call"), BLOCKED_H, 3 },
		{ "bar stopped", N_("stopped"), BAR_H, 0 }, { "bar zombie", N_("zombie (exited, not reaped)"), BAR_H, 0 },
		{ "bar unfinished", N_("call never returned"), BAR_H, 0 },
		{ "bar handler", N_("in a signal handler"), HANDLER_H, 6 },
		{ "bar dense", N_("many, too short to draw"), BAR_H, 0 },
	};
	static const struct { const char *cls, *words; } arrows[] = {
		{ "spawn", "fork / pthread_create" }, { "signal", N_("signal (merged SIGCHLD: several lines join)") },
		{ "reap", N_("reap (wait)") },
	};
	int row = 0, x = 0, right = width - 16;
	if (draw)
		fprintf(f, "<g class=\"legend\" transform=\"translate(8,%d)\">", y + 10);
	for (size_t i = 0; i < sizeof bars / sizeof *bars; i++) {
		const char *w = _(bars[i].words);
		int need = 30 + (int)(utf8_chars(w) * LEGEND_CHAR_PX) + 6, slot = need > LEGEND_SLOT ? need : LEGEND_SLOT;
		if (x && x + need > right) {
			row++;
			x = 0;
		}
		if (draw) {
			fprintf(f, "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"24\" height=\"%d\"/><text x=\"%d\" y=\"%d\">",
				bars[i].cls, x, row * 22 + bars[i].dy, bars[i].h, x + 30, row * 22 + 11);
			xml_text(f, w);
			fputs("</text>", f);
		}
		x += slot;
	}
	int ay = (row + 1) * 22 + 4;   /* the arrows' row: 26 under one row of bars */
	if (draw)
		fprintf(f, "<rect class=\"exec\" x=\"%d\" y=\"%d\" width=\"2\" height=\"14\"/><text x=\"%d\" y=\"%d\">exec</text>",
			11, ay, 30, ay + 11);
	x = LEGEND_ARROWS_X;
	for (size_t i = 0; i < sizeof arrows / sizeof *arrows; i++) {
		const char *w = _(arrows[i].words);
		int need = 48 + (int)(utf8_chars(w) * LEGEND_CHAR_PX) + 6;
		int slot = need > LEGEND_ARROW_SLOT ? need : LEGEND_ARROW_SLOT;
		if (x > LEGEND_ARROWS_X && x + need > right) {
			ay += 22;
			x = LEGEND_ARROWS_X;
		}
		if (draw) {
			fprintf(f, "<path class=\"arrow %s\" d=\"M%d %dL%d %d\" marker-end=\"url(#head-%s)\"/><text x=\"%d\" y=\"%d\">",
				arrows[i].cls, x, ay + 7, x + 40, ay + 7, arrows[i].cls, x + 48, ay + 11);
			xml_text(f, w);
			fputs("</text>", f);
		}
		x += slot;
	}
	if (draw)
		fputs("</g>\n", f);
	return LEGEND_H + ay - 26;
}

const char *picture_heading(char *buf, size_t size, const struct picture *p)
{
	/* TRANSLATORS: the picture's heading: the program, how many processes and threads, how long */
	snprintf(buf, size, P_("%s: %d task, %.3f s", "%s: %d tasks, %.3f s", (unsigned long)p->ntasks), p->program,
		 p->ntasks, (double)p->t_end / 1e9);
	return buf;
}

void svg_write(FILE *f, const struct picture *p, int with_header)
{
	struct geo g = { .p = p, .plot_x = plot_x(p) };
	g.width = g.plot_x + PLOT_W + RIGHT_MARGIN;
	int head = with_header ? 8 + LINE_H + header(f, p, 0, 0) : 8;
	g.lanes_y = head + AXIS_H;
	int legend_h = legend(f, g.width, 0, 0);
	int height = g.lanes_y + p->nlanes * LANE_H + 8 + legend_h;
	g.scale = (double)PLOT_W / (double)(p->t_end ? p->t_end : 1);
	fprintf(f, "<svg %sclass=\"picture\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" data-plot-x=\"%d\" "
		"data-plot-w=\"%d\" data-t-end=\"%llu\" data-lane-h=\"%d\">\n",
		with_header ? "xmlns=\"http://www.w3.org/2000/svg\" " : "", g.width, height, g.width, height, g.plot_x, PLOT_W,
		(unsigned long long)p->t_end, LANE_H);
	fprintf(f, "<style>%s</style>\n", picture_css);
	defs(f, &g, height);
	if (with_header) {   /* the page has its own */
		char words[256];
		fprintf(f, "<text class=\"heading\" x=\"8\" y=\"%d\">", 8 + 12);
		xml_text(f, picture_heading(words, sizeof words, p));
		fputs("</text>\n", f);
		header(f, p, 8 + LINE_H, 1);
	}
	if (p->failed)
		fprintf(f, "<text class=\"note\" x=\"%d\" y=\"%d\">%s</text>\n", g.plot_x, head - 4,
			_("out of memory: this picture is not whole"));
	axis(f, &g, height, legend_h);
	for (int l = 0; l < p->nlanes; l++)
		lane(f, &g, l);
	svg_arrows(f, &g);
	legend(f, g.width, height - legend_h, 1);
	fputs("</svg>\n", f);
}
