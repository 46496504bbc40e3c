/*
 * output.h - the renderers over the event stream.
 */
#ifndef TRACELAB_OUTPUT_H
#define TRACELAB_OUTPUT_H

#include <stdio.h>
#include "event/event.h"

struct sink *json_sink_new(FILE *f);
/* The live timeline; color: 1 to use ANSI colours. */
struct sink *text_sink_new(FILE *f, int color);
/* The end-of-run summary in words (it reads the summary event). */
struct sink *summary_sink_new(FILE *f, int color);

struct tracer;
/* Build and emit the last event: the summary of the whole run. */
void summary_emit(struct tracer *tr, int exit_status, uint64_t t);

#endif
