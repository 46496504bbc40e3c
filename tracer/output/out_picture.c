/*
 * out_picture.c - the renderer behind --svg and --html: it builds the
 * picture of the run from the events (picture.c) and, at the end, writes
 * it as an SVG (out_svg.c), a page (out_html.c), or both from one picture.
 */
#include <stdlib.h>
#include <string.h>
#include "output/output.h"
#include "output/picture.h"

struct picture_sink {
	struct sink sink;
	struct picture p;
	FILE *svg, *html;
};

/* The picture, and the fd sets of a select, poll or epoll call for the
 * grid under it (the event's line: its index in the stream). */
static void picture_sink_event(struct sink *s, const struct event *ev)
{
	struct picture *p = &((struct picture_sink *)s)->p;
	int line = p->seq, task = picture_event(p, ev);
	if (task >= 0 && ev->type == EV_SYSCALL && strcmp(fs_str_or(&ev->f, "class", ""), "mux") == 0)
		picture_mux(p, task, line, ev);
}

static void picture_sink_finish(struct sink *s)
{
	struct picture_sink *ps = (struct picture_sink *)s;
	picture_end(&ps->p);
	if (ps->svg) {
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", ps->svg);
		svg_write(ps->svg, &ps->p, 1);
		fflush(ps->svg);
	}
	if (ps->html) {
		html_write(ps->html, &ps->p);
		fflush(ps->html);
	}
}

static void picture_sink_free(struct sink *s)
{
	struct picture_sink *ps = (struct picture_sink *)s;
	picture_free(&ps->p);
	free(ps);
}

struct sink *picture_sink_new(FILE *svg, FILE *html)
{
	struct picture_sink *ps = calloc(1, sizeof *ps);
	if (!ps || picture_init(&ps->p) < 0) {
		free(ps);
		return NULL;
	}
	ps->svg = svg;
	ps->html = html;
	ps->sink.event = picture_sink_event;
	ps->sink.finish = picture_sink_finish;
	ps->sink.free = picture_sink_free;
	return &ps->sink;
}
