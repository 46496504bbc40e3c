/*
 * replay.h - a trace recorded as JSON Lines (./trace --json FILE), read
 * back into events and sent to the same renderers as a live run:
 * `./trace --replay FILE` prints what the live run printed, line for line.
 */
#ifndef TRACELAB_REPLAY_H
#define TRACELAB_REPLAY_H

#include "event/event.h"

/* Parse one JSON object (a line of the trace) into ev, its fields in a.
 * 0, or -1 with *why set to what is wrong. */
int event_from_json(const char *line, struct event *ev, struct arena *a, const char **why);
/* Emit every event of the file at path ("-": stdin) to out: 0, or 2 after
 * one line on stderr saying what is wrong and where. */
int replay_file(const char *path, struct stream *out);

#endif
