/*
 * perfetto_int.h - what the files of the Perfetto writer share, and
 * nothing else includes: a task (a track) and the sink's state
 * (out_perfetto.c), and the states drawn as slices (perfetto_states.c).
 */
#ifndef TRACELAB_PERFETTO_INT_H
#define TRACELAB_PERFETTO_INT_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include "common/idmap.h"
#include "event/event.h"
#include "output/output.h"

#define NAME_MAX_LEN 160   /* a process's programs, "sh -> ls": enough for a lane's label */
#define LABEL_LEN 96

/* One of the states drawn as a slice (perfetto_states.c). */
struct spell_kind;

struct task {
	pid_t pid, tid;
	int order;               /* when first seen: the lanes' order */
	char name[NAME_MAX_LEN];
	const struct spell_kind *open;   /* the state drawn now, or NULL */
	int had_state;           /* a state event was seen */
	uint64_t since;          /* when the open state (or none) began */
	/* The last two states in which it could make calls (running,
	 * blocked, stopped), the latest at [1]: where its calls are drawn. */
	uint64_t calls_from[2], calls_until[2];
	int calls_open;          /* [1] lasts still */
	int calls_known;         /* how many of them there are, up to 2 */
};

struct perfetto_sink {
	struct sink sink;
	FILE *out;
	int *failed;
	struct pf_file *pf;
	struct idmap by_tid;     /* tid -> struct task */
	struct task **tasks;     /* in the order first seen */
	int ntasks, cap;
	pid_t tracer_pid;
	const char *root_name;   /* the trace line's name, for the first task */
	uint64_t end;            /* the last event's time */
	uint64_t flows;          /* flow ids given so far */
	char *other;             /* otherData's members: the trace and summary lines */
	size_t other_len;
	FILE *other_f;
};

/* perfetto_states.c: a state event: the slice of the state it ends, and
 * the state it begins opened. */
void perfetto_state(struct perfetto_sink *p, struct task *t, const struct event *ev);
/* Close what is open at at (ev ended it; NULL: the end of the trace). */
void perfetto_close_spell(struct perfetto_sink *p, struct task *t, uint64_t at, const struct event *ev);

#endif
