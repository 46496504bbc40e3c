/*
 * picture_store.h - what the picture of a run is made of, in memory: its
 * tasks (one lane each) with their spans of state, the arrows and marks
 * between them, the lanes, the fd grid's calls; and picture_store.c's
 * functions that make, grow and free it. picture.h says how it is built
 * from the events and drawn; this file holds the data alone, so that the
 * store needs nothing of the builder that uses it.
 */
#ifndef TRACELAB_PICTURE_STORE_H
#define TRACELAB_PICTURE_STORE_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include "common/idmap.h"

/* At most this many lanes are drawn; beyond, children of one shape share a lane. */
#define PICTURE_LANES_MAX 200
/* Nested signal handlers deeper than this are drawn as this deep. */
#define PICTURE_HANDLERS_MAX 8
/* A task's ending in words, in bytes (UTF-8: Vietnamese takes more). */
#define PICTURE_END_MAX 192
/* "no line": the element's event had no timeline line. */
#define NO_LINE (-1L)

enum span_kind { SP_RUNNING, SP_BLOCKED, SP_STOPPED, SP_ZOMBIE, SP_UNFINISHED, SP_HANDLER, SP_DENSE,
		 SP_NKINDS };
/* Their CSS classes (the legend says what each means). */
extern const char *const span_class[SP_NKINDS];

struct span {
	uint64_t t0, t1;
	enum span_kind kind;
	int depth;             /* a handler's nesting (1: a handler; 2: a handler in one) */
	const char *call;      /* blocked: the call it slept in (interned), or NULL */
	long line;             /* index of its timeline line, or NO_LINE */
	int count;             /* SP_DENSE: how many spans it stands for */
};

/* A point in the time of a task, where an arrow starts or ends. */
struct end_point {
	int task;              /* index in tasks, or -1: outside the picture (the tracer) */
	uint64_t t;
};

enum arrow_kind { AR_SPAWN, AR_SIGNAL, AR_REAP, AR_NKINDS };
extern const char *const arrow_class[AR_NKINDS];

struct arrow {
	enum arrow_kind kind;
	const char *what;      /* fork, pthread_create, SIGCHLD, wait, adopted (interned) */
	pid_t from_pid, to_pid;
	struct end_point from, to;
	struct end_point *merged;   /* a SIGCHLD: the exits it stands for (from each child) */
	int nmerged;
	long line;
};

struct mark {                  /* exec: the task runs another program from here */
	int task;
	uint64_t t;
	const char *name;
	long line;
};

struct task {
	pid_t pid, tid;
	int parent;            /* index of the task that made it, or -1 */
	int thread;            /* a thread, not a process's main thread */
	const char *made;      /* fork, pthread_create, ... ("" for the traced command) */
	char name[32];
	uint64_t born, ended;  /* ended: 0 while it runs (reaped, or a thread's exit) */
	uint64_t t_exit;       /* its exit, or 0 */
	int state;             /* the state it is in (enum in picture.c), since `since` */
	uint64_t since;
	char end[PICTURE_END_MAX];   /* how it ended, in words, and how it was reaped */
	int exit_len;          /* end's bytes before the reap's words */
	int reap;              /* its entry of reap_words, or -1 (not reaped) */
	const char *shape;     /* made, how it ended, how it was reaped: children of one shape may share a lane */
	struct span *spans;
	int nspans, capspans;
	int handlers;                             /* handler runs going on */
	uint64_t handler_t0[PICTURE_HANDLERS_MAX];
	long handler_line[PICTURE_HANDLERS_MAX];
	int *exited_kids;      /* children that exited since its last SIGCHLD */
	int nexited, capexited;
	long first_line;       /* its first event's line: the lane's tooltip */
	long zombie_line;      /* "is a zombie now": the zombie bar's tooltip */
	int lane;              /* the lane it is drawn on (picture_lanes.c) */
	int shown;             /* its own lane, not a group's */
};

/* One row of the picture: a task, or a group of children of one shape. */
struct lane {
	int task;              /* the task, or the first of the group */
	int depth;             /* indent in the tree */
	int count;             /* 1, or how many children the group stands for */
	int rest;              /* the last lane, for all that did not fit (too many shapes) */
	char label[384];       /* a group's words: "19,800 more children of 1234: forked, exited, reaped" */
	struct span *spans;    /* a group's: how many of them were in each state, over time */
	int nspans;
};

/* A call of select, poll or epoll_wait, for the fd grid (labs 3 and 11). */
struct mux_call {
	int task;
	uint64_t t;
	long line;
	int nfds;
	int *fds;              /* the fds it watched */
	unsigned char *ready;  /* for each: 1 when it came back ready */
};

struct picture {
	struct task *tasks;
	int ntasks, captasks;
	struct idmap by_tid;   /* tid -> task index + 1, for the task alive with it */
	struct arrow *arrows;
	int narrows, caparrows;
	struct mark *marks;
	int nmarks, capmarks;
	struct mux_call *mux;
	int nmux, capmux;
	long mux_more;         /* calls past the grid's last column */
	struct epoll_fd { pid_t pid; int epfd, fd; } *epoll;   /* epoll_ctl's interest lists */
	int nepoll, capepoll;
	struct lane *lanes;
	int nlanes;
	/* the timeline lines, one per event with a line, from the text renderer */
	struct sink *text;
	FILE *text_f;
	char *text_buf;
	size_t text_len, text_used;
	size_t *line_at;       /* by event index: where its line starts in linebuf, plus 1; 0: none */
	long nlines, caplines;
	char *linebuf;         /* the lines, each ended by a NUL */
	size_t linebuf_len, linebuf_cap;
	long seq;              /* the index of the event being built */
	char **interned;       /* call, signal and program names, kept once: a hash table */
	unsigned ninterned, capinterned;
	uint64_t t_end;
	pid_t root, tracer_pid;
	char program[64];      /* the traced program (title) */
	char *lesson;          /* lab.conf's lesson, holes unfilled */
	char *about;           /* the lesson filled and the diagnoses, in lines (summary_advice.c) */
	int failed;            /* out of memory: the picture says it is incomplete */
};

/* An empty picture; free it. */
int picture_init(struct picture *p);
void picture_free(struct picture *p);
/* The task alive with tid, or -1. */
int task_of_tid(const struct picture *p, pid_t tid);
/* A new task (parent: the index of its maker, or -1) born at t: its index, or -1. */
int new_task(struct picture *p, pid_t pid, pid_t tid, int parent, uint64_t t);
/* The task an event is about: known, or seen for the first time. */
int task_at(struct picture *p, pid_t pid, pid_t tid, uint64_t t);
/* A span of task k from t0 to t1, or NULL (t1 < t0, or out of memory). */
struct span *add_span(struct picture *p, int k, enum span_kind kind, uint64_t t0, uint64_t t1, long line);

/* Grow an array of *cap elements of size sz to hold n + 1: 0, or -1 (no memory). */
int picture_grow(void *arr, int n, int *cap, size_t sz);
/* The same for one of p's arrays: 0, or -1 with p->failed set. */
#define GROW(p, arr, n, cap) (picture_grow(&(arr), (n), &(cap), sizeof *(arr)) < 0 ? ((p)->failed = 1, -1) : 0)

#endif
