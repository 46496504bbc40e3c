/*
 * svg_int.h - what the files that draw the SVG share (out_svg.c draws
 * the lanes, svg_arrows.c the arrows): the sizes, and where a time and a
 * lane are on the drawing.
 */
#ifndef TRACELAB_SVG_INT_H
#define TRACELAB_SVG_INT_H

#include <stdio.h>
#include "output/picture.h"

#define TREE_W 330            /* the tree on the left, at least: wider when its words need it */
#define TREE_GAP 10           /* between the tree and the plot */
#define PLOT_W 1040           /* the plot of time, whatever the tree's width */
#define RIGHT_MARGIN 20
#define LANE_H 24
#define BAR_H 14

struct geo {
	const struct picture *p;
	double scale;             /* px per ns */
	int lanes_y;              /* the first lane's top */
	int plot_x, width;        /* where the plot starts (the tree's width and the gap), the picture's width */
};

static inline double x_of(const struct geo *g, uint64_t t) { return g->plot_x + (double)t * g->scale; }
static inline int lane_y(const struct geo *g, int lane) { return g->lanes_y + lane * LANE_H; }

/* Characters (not bytes) of UTF-8 text. */
static inline size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}
/* The heading: "lab06: 6 tasks, 0.330 s", in buf. */
const char *picture_heading(char *buf, size_t size, const struct picture *p);
/* A <title> child with line (nothing when line is NULL). */
void svg_title(FILE *f, const char *line);
/* Every arrow: fork and pthread_create, signals, reaps. */
void svg_arrows(FILE *f, const struct geo *g);

#endif
