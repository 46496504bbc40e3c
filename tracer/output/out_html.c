/*
 * out_html.c - the page of a run: one self-contained HTML file (its
 * script and styles inside, from tracer/output/page/; nothing fetched, so
 * it opens offline from file:// and can be mailed to a teacher). It holds
 * the lab's lesson and what went wrong, a panel that shows the timeline
 * line of what the pointer is on, the grid of fd sets when the run waited
 * in select, poll or epoll, and the picture (out_svg.c), which page.js
 * zooms and pans.
 */
#include <stdlib.h>
#include <string.h>
#include "common/lang.h"
#include "output/page_assets.h"
#include "output/picture.h"
#include "output/svg_int.h"

#define GRID_CELL 5            /* px of a cell of the fd grid: a small grid */
#define GRID_LEFT 44           /* the fds' names */
#define GRID_LABEL_EVERY 8     /* past 16 fds, every 8th row is named */
#define GRID_TOP 16
#define GRID_FDS_MAX 256       /* rows at most */

/* The lesson and diagnoses, as the summary wrote them: a heading line,
 * then its text indented and wrapped, which a paragraph joins again. */
static void about(FILE *f, const struct picture *p)
{
	const char *s = p->about ? p->about : "";
	int open = 0;
	fputs("<div class=\"about\">\n", f);
	while (*s) {
		size_t n = strcspn(s, "\n");
		int indent = strncmp(s, "  ", 2) == 0;
		const char *line = s + (indent ? 2 : 0);   /* n - indent bytes of it, whole however long */
		size_t len = n - (indent ? 2 : 0);
		if (!indent) {
			const char *wrong = _("what went wrong:");
			fputs(open ? "</p>\n" : "", f);
			fprintf(f, "<p class=\"head%s\">", len == strlen(wrong) && strncmp(line, wrong, len) == 0
							   ? " wrong" : "");
			xml_text_n(f, line, len);
			fputs("</p>\n", f);
			open = 0;
		} else {
			fputs(open ? " " : "<p>", f);
			xml_text_n(f, line, len);
			open = 1;
		}
		s += n + (s[n] == '\n');
	}
	fputs(open ? "</p>\n</div>\n" : "</div>\n", f);
}

static int by_fd(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

/* Rows: every fd any call watched, in order. */
static int grid_fds(const struct picture *p, int *fds)
{
	int n = 0;
	for (int i = 0; i < p->nmux; i++)
		for (int j = 0; j < p->mux[i].nfds; j++) {
			int k = 0;
			while (k < n && fds[k] != p->mux[i].fds[j])
				k++;
			if (k == n && n < GRID_FDS_MAX)
				fds[n++] = p->mux[i].fds[j];
		}
	qsort(fds, (size_t)n, sizeof *fds, by_fd);
	return n;
}

/* The fd sets of select, poll and epoll_wait as a grid: a row per fd, a
 * column per call; light: in the set, dark: came back ready. */
static void grid(FILE *f, const struct picture *p)
{
	static int fds[GRID_FDS_MAX];
	int nfds = grid_fds(p, fds);
	if (!p->nmux || !nfds)
		return;
	int w = GRID_LEFT + p->nmux * GRID_CELL + 8, h = GRID_TOP + nfds * GRID_CELL + 4;
	fputs("<h2>", f);
	xml_text(f, _("The fd sets of each select, poll and epoll_wait"));
	fputs("</h2>\n<p class=\"legend-line\">", f);
	xml_text(f, _("A column per call, a row per fd:"));
	fputs("<span class=\"swatch\" style=\"background:#bcd9ee\"></span>", f);
	/* TRANSLATORS: the fd grid's legend: a light cell, the fd was in the call's set */
	xml_text(f, _("watched"));
	fputs("<span class=\"swatch\" style=\"background:#0072B2\"></span>", f);
	xml_text(f, _("came back ready. Point at a column for its line."));
	if (p->mux_more) {
		fputc(' ', f);
		xml_text(f, _("Only the first calls are shown."));
	}
	fputs("</p>\n", f);
	fprintf(f, "<div class=\"grid-box\"><svg class=\"fdgrid\" width=\"%d\" height=\"%d\" data-calls=\"%d\" data-more=\"%ld\">\n",
		w, h, p->nmux, p->mux_more);
	for (int r = 0; r < nfds; r++)
		if (nfds <= 16 || r % GRID_LABEL_EVERY == 0)
			fprintf(f, "<text x=\"4\" y=\"%d\">fd %d</text>", GRID_TOP + r * GRID_CELL + GRID_CELL, fds[r]);   /* fd: C's word */
	for (int i = 0; i < p->nmux; i++) {
		const struct mux_call *c = &p->mux[i];
		int x = GRID_LEFT + i * GRID_CELL;
		fprintf(f, "\n<g class=\"mux-call\" data-pid=\"%d\" data-tid=\"%d\" data-t0=\"%llu\">", (int)p->tasks[c->task].pid,
			(int)p->tasks[c->task].tid, (unsigned long long)c->t);
		for (int j = 0; j < c->nfds; j++) {
			int r = 0;
			while (r < nfds && fds[r] != c->fds[j])
				r++;
			if (r < nfds)
				fprintf(f, "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" data-fd=\"%d\"/>",
					c->ready[j] ? "ready" : "in", x, GRID_TOP + r * GRID_CELL, GRID_CELL - 1, GRID_CELL - 1,
					c->fds[j]);
		}
		fprintf(f, "<rect class=\"col\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\">", x, GRID_TOP, GRID_CELL,
			nfds * GRID_CELL);
		svg_title(f, picture_line(p, c->line));
		fputs("</rect></g>", f);
	}
	fputs("\n</svg></div>\n", f);
}

/* The words page.js writes itself (the axis's minutes), in the chosen
 * language: a JSON object it reads, so that po/ holds every word. */
static void page_words(FILE *f)
{
	static const struct { const char *key, *words; } words[] = {
		{ "minutes", N_("%s min %s s") },
	};
	fputs("<script type=\"application/json\" id=\"page-words\">{", f);
	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		fprintf(f, "%s\"%s\":\"", i ? "," : "", words[i].key);
		for (const char *c = _(words[i].words); *c; c++)
			if (*c == '"' || *c == '\\')
				fprintf(f, "\\%c", *c);
			else if (*c == '<' || (unsigned char)*c < 0x20)   /* no "</script>" inside */
				fprintf(f, "\\u%04x", (unsigned char)*c);
			else
				fputc(*c, f);
		fputc('"', f);
	}
	fputs("}</script>\n", f);
}

void html_write(FILE *f, const struct picture *p)
{
	char words[512];
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<title>", lang_code());
	/* TRANSLATORS: the page's title; %s: the program */
	snprintf(words, sizeof words, _("%s: the picture of a run"), p->program);
	xml_text(f, words);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", page_css);
	xml_text(f, picture_heading(words, sizeof words, p));
	fputs("</h1>\n", f);
	about(f, p);
	fputs("<div id=\"panel\"><div class=\"hint\">", f);
	xml_text(f, _("Point at or click anything for its line in the timeline. "
		      "Wheel: zoom the time; drag: move along it; double click: the whole run."));
	fputs("</div><pre id=\"line\"></pre></div>\n<div id=\"view\">\n", f);
	svg_write(f, p, 0);
	fputs("</div>\n", f);
	grid(f, p);
	page_words(f);
	fprintf(f, "<script>\n%s</script>\n</body>\n</html>\n", page_js);
}
