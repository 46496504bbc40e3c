/*
 * options.h - what the user asked for on the command line.
 */
#ifndef TRACELAB_OPTIONS_H
#define TRACELAB_OPTIONS_H

#include "core/cgroup_join.h"
#include "core/run_as.h"

#include <sys/types.h>

struct options {
	char **argv;             /* the command to trace, NULL-terminated */
	const char *lab;         /* or a lab's name */
	const char *variant;     /* and one of its variants (./trace lab10 thread) */
	pid_t attach;            /* or a running process */
	const char *out_path;    /* -o: the timeline to a file */
	const char *json_path;   /* --json: "-" for stdout */
	const char *perfetto_path;   /* --perfetto: the Chrome trace-event file, "-" for stdout */
	const char *svg_path;    /* --svg: the picture of the run, as SVG */
	const char *html_path;   /* --html: the picture of the run, as a page */
	int quiet;               /* -q: the summary only */
	int numbered;            /* --numbered: timeline lines start with their event's index */
	int verbose;             /* --verbose: the expert's timeline (every call, the kernel's names) */
	int color;               /* 0 never, 1 always, -1 auto */
	int classes;
	int classes_set;
	int timeout_s;
	int hold_sigchld;
	int time_spawns;           /* --time-spawns */
	int list;                /* --list (--json: as JSON Lines) */
	const char *replay;      /* --replay FILE: render a recorded trace */
	int max_procs;           /* kill the tree when more are alive at once */
	int max_mem_mb;          /* address space of each traced process */
	struct run_as run_as;    /* --user: the program runs as this user */
	struct cgroups cgroups;  /* --cgroup: the program runs in these cgroups */
	int predict;             /* --predict: ask the lab's questions before the run */
};

/* 0 to go on, or the exit status to leave with (after --help, or an error). */
int options_parse(struct options *o, int argc, char **argv);

#endif
