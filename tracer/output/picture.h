/*
 * picture.h - the picture of a run, as the SVG and HTML writers draw it,
 * built from the events alone (picture.c): the tasks (one lane each),
 * each one's states over time, its signal handler runs, exec marks, and
 * the arrows between tasks (fork and pthread_create, signals, reaps).
 * picture_lanes.c chooses what is drawn when there are too many tasks to
 * see (children of one shape grouped into one lane) and thins bars that
 * would be narrower than a pixel. Each drawn thing keeps the index of its
 * event's timeline line (the text renderer's), which is its tooltip.
 * What a picture is made of, and its memory: picture_store.h.
 */
#ifndef TRACELAB_PICTURE_H
#define TRACELAB_PICTURE_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include "event/event.h"
#include "output/picture_store.h"

/* picture_text.c: how a reap ends a task's words (words, %d: the reaper),
 * and a group's (group); by how: wait, auto, adopted, leaked. Ends with
 * how NULL. */
struct reap_words { const char *how, *words, *group; };
extern const struct reap_words reap_words[];

/* picture.c: feed it every event. Returns the index of the task the
 * event is about, or -1. */
int picture_event(struct picture *p, const struct event *ev);
void picture_end(struct picture *p);      /* after the last event: close spans, choose lanes */

/* picture_text.c: the timeline line at index line, or NULL. */
const char *picture_line(const struct picture *p, long line);
/* A name kept for the picture's lifetime. */
const char *picture_intern(struct picture *p, const char *s);
/* Keep the line the text renderer just wrote for event p->seq. */
void picture_keep_line(struct picture *p);

/* picture_mux.c: a select, poll or epoll call's fd sets, for the grid. */
void picture_mux(struct picture *p, int task, int line, const struct event *ev);
/* picture_lanes.c: the lanes (all tasks, or groups past PICTURE_LANES_MAX),
 * and spans thinned to at most one per slot of the picture's width. */
void picture_lanes(struct picture *p);

/* out_svg.c: the picture as SVG; with_header: the lesson and the
 * diagnoses above it (the HTML page puts them in its own header). */
void svg_write(FILE *f, const struct picture *p, int with_header);
/* out_html.c: the page: the lesson, the fd grid, the picture, its script. */
void html_write(FILE *f, const struct picture *p);
/* Text as XML character data (& < > " escaped). */
void xml_text(FILE *f, const char *s);
/* The same for the first len bytes of s (a line of a longer text). */
void xml_text_n(FILE *f, const char *s, size_t len);

#endif
