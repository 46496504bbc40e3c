/*
 * output.h - the renderers over the event stream. They read events and
 * nothing else: the same events, live or replayed, give the same output.
 */
#ifndef TRACELAB_OUTPUT_H
#define TRACELAB_OUTPUT_H

#include <stdio.h>
#include "event/event.h"

/* Every event as a line of JSON (docs/trace-format.md), each written
 * whole as it happens; *failed gets the errno of a write that failed. */
struct sink *json_sink_new(FILE *f, int *failed);
/* How many bytes of valid UTF-8 start at s (1 to 4), or 0 when the byte
 * at s does not start a valid sequence (the JSON renderer writes U+FFFD
 * for such a byte, and so do the pictures, so that live and replayed
 * pictures are the same). */
int utf8_len(const unsigned char *s);
/* Fields as one JSON object (no newline), as the JSON renderer writes them. */
void json_put_object(FILE *f, const struct fields *fs);
/* A string as JSON (bytes that are not UTF-8 as U+FFFD); a whole event as
 * the object its JSON line holds (no newline). */
void json_put_string(FILE *f, const char *s);
void json_put_event(FILE *f, const struct event *ev);
/* The timeline a student reads; color: 1 to use ANSI colours; numbered:
 * each line starts with the index of its event in the stream (the line of
 * the JSON file, from 0) and a tab, for tools that quote the timeline
 * (one line per event, never wrapped); verbose: the expert's view (every
 * call, the kernel's names) rather than the beginner's. */
struct sink *text_sink_new(FILE *f, int color, int numbered, int verbose);
/* How to read the timeline: whole (--legend), or short (for --help). */
void text_legend(FILE *f, int whole);
/* The end-of-run summary in words, from the summary event. */
struct sink *summary_sink_new(FILE *f, int color);
/* The run as a Chrome trace-event JSON file (docs/perfetto.md), for
 * ui.perfetto.dev and chrome://tracing: held in memory and written whole
 * to f when the stream finishes; *failed gets the errno of a failure
 * (no memory), and the caller checks f for a failed write. */
struct sink *perfetto_sink_new(FILE *f, int *failed);
/* The picture of the run, written at the end: as SVG to svg, as a
 * self-contained HTML page to html (either may be NULL). */
struct sink *picture_sink_new(FILE *svg, FILE *html);

#endif
