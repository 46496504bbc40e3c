/*
 * diagnose.h - the classic pitfalls, found in any traced program, and the
 * facts a lab's lesson sentence is made of.
 *
 * A sink on the event stream, beside the renderers: it reads what the
 * model and the decoders said (calls, signals, reaps, exits) and keeps a
 * few counts per process. At the end it adds to the summary event
 * "diagnoses" (each pitfall seen, with its numbers) and "facts" (counts
 * about the traced command's process), so that the summary renderer can
 * say them in words, and a replayed trace says them the same way.
 */
#ifndef TRACELAB_DIAGNOSE_H
#define TRACELAB_DIAGNOSE_H

#include <stddef.h>
#include "event/event.h"

/* calls_seen: the calls stop (the run is not -q alone), so the facts
 * counted from them (accepted, eagain, ...) are known; else they are null. */
struct sink *diagnose_sink_new(int calls_seen);
/* Add "facts" and "diagnoses" to fs, the summary event's fields, once
 * its "tree" is there (the leaked zombies are read from it); t_end: the
 * trace's end, in ns. */
void diagnose_summarize(struct sink *s, struct fields *fs, uint64_t t_end);
/* Does lab.conf's lesson name only facts the summary gives? If not, the
 * first unknown name goes to unknown (size n). */
int diagnose_lesson_ok(const char *lesson, char *unknown, size_t n);
/* The facts' names, "children, exited, ...", for an error message. */
const char *diagnose_fact_names(void);

#endif
