/*
 * park.h - tasks the tracer keeps stopped on purpose, in one place.
 *
 * A stop handler normally lets its task go on at once (it returns what
 * the loop should do). A few stops must wait for something else first:
 *   - a new child that stopped before its parent's fork event told us
 *     whose it is;
 *   - a pthread_join that returned before the joined thread's death was
 *     reported (libcalls.c), so the timeline does not show the join first.
 * Such a task is parked here. When its moment comes, a handler releases
 * it, and the loop (the only place that resumes tasks) lets it go.
 */
#ifndef TRACELAB_PARK_H
#define TRACELAB_PARK_H

#include <sys/types.h>
#include "common/idmap.h"

enum park_why { PARK_EARLY_CHILD, PARK_JOIN };

struct parked {
	pid_t tid;
	enum park_why why;
	void *data;        /* the parker's own note, malloc'd; park.c frees it with the entry */
	int released;      /* the loop may resume it now */
	int sig;           /* with this signal (0: none) */
};

struct parking {
	struct idmap tasks;      /* tid -> struct parked */
	int released;            /* how many wait for the loop */
};

/* Keep tid stopped; data (malloc'd, or NULL) is freed with the entry. */
int park(struct parking *pk, pid_t tid, enum park_why why, void *data);
/* The entry for tid, if it is parked for why; NULL otherwise. */
struct parked *parked(const struct parking *pk, pid_t tid, enum park_why why);
/* The first task parked for why (not yet released) that match accepts. */
struct parked *park_find(const struct parking *pk, enum park_why why,
			 int (*match)(const struct parked *p, void *ctx), void *ctx);
/* Any parked task (released or not), or NULL when none is. */
struct parked *park_any(const struct parking *pk);
/* Let tid go on (delivering sig); the loop resumes it after this stop. */
void unpark(struct parking *pk, pid_t tid, int sig);
/* tid died: forget it without resuming. */
void park_forget(struct parking *pk, pid_t tid);
/* For the loop: take one released task (1), or none is left (0). */
int park_take_released(struct parking *pk, pid_t *tid, int *sig);
/* Call fn for every parked task (the tree is being killed). */
void park_each(const struct parking *pk, void (*fn)(pid_t tid, void *ctx), void *ctx);
void park_free(struct parking *pk);

#endif
