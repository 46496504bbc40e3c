/*
 * out_paths.h - do two of the output options name one file? (out_paths.c)
 */
#ifndef TRACELAB_OUT_PATHS_H
#define TRACELAB_OUT_PATHS_H

#include "core/options.h"

/* Two outputs that would write one file (or an output and the file
 * --replay reads, first): their options ("--json") and the name the
 * second was given. */
struct out_clash {
	const char *first, *second;
	const char *path;
};

/* 1 and *clash filled when two of -o, --json, --perfetto, --html and
 * --svg name the same file (or both say "-", stdout), or one of them
 * names the file of --replay; 0 otherwise. */
int out_paths_clash(const struct options *o, struct out_clash *clash);

#endif
