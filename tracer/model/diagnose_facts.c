/*
 * diagnose_facts.c - the facts a lab's lesson sentence and a --predict
 * question are made of (children, exited, threads, ... cpu_ms): counts
 * about the traced command's process, which diagnose.c gathers. Here are
 * their names, the check that a lesson names only known ones, and their
 * writing into the summary event as "facts" (see diagnose.h).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "common/holes.h"
#include "model/diagnose.h"
#include "model/diagnose_int.h"

#define US_PER_MS 1000
#define NS_PER_MS 1000000

/* The counts a lab's lesson sentence may name (lab.conf, "lesson"), all
 * of them about the traced command's process. */
enum fact_source { FROM_STAT, FROM_NEVER_JOINED, FROM_CPU_MS, FROM_BLOCKED_MS };
/* CALLS: counted from calls, known only when they stop (not -q alone). */
enum { ANY_RUN = 0, CALLS = 1 };
static const struct fact {
	const char *name;
	enum fact_source from;
	size_t offset;            /* FROM_STAT: an int of struct pstat */
	int needs;
} facts[] = {
	{ "children", FROM_STAT, offsetof(struct pstat, children_made), ANY_RUN },
	{ "exited", FROM_STAT, offsetof(struct pstat, children_exited), ANY_RUN },
	{ "threads", FROM_STAT, offsetof(struct pstat, threads_made), ANY_RUN },
	{ "joined", FROM_STAT, offsetof(struct pstat, joined), ANY_RUN },
	{ "detached", FROM_STAT, offsetof(struct pstat, detached), ANY_RUN },
	{ "never_joined", FROM_NEVER_JOINED, 0, ANY_RUN },
	{ "sigchld", FROM_STAT, offsetof(struct pstat, sigchld), ANY_RUN },
	{ "handler_runs", FROM_STAT, offsetof(struct pstat, handler_runs), ANY_RUN },
	{ "reaped", FROM_STAT, offsetof(struct pstat, reaped), ANY_RUN },
	{ "reaped_in_handler", FROM_STAT, offsetof(struct pstat, reaped_in_handler), ANY_RUN },
	{ "leaked", FROM_STAT, offsetof(struct pstat, leaked), ANY_RUN },
	{ "sigio", FROM_STAT, offsetof(struct pstat, sigio), ANY_RUN },
	{ "eagain", FROM_STAT, offsetof(struct pstat, eagain), CALLS },
	{ "eintr", FROM_STAT, offsetof(struct pstat, eintr_calls), CALLS },
	{ "accepted", FROM_STAT, offsetof(struct pstat, accepted), CALLS },
	{ "mux_waits", FROM_STAT, offsetof(struct pstat, mux_waits), CALLS },
	{ "blocked_ms", FROM_BLOCKED_MS, 0, CALLS },
	{ "cpu_ms", FROM_CPU_MS, 0, ANY_RUN },
};
#define NFACTS (sizeof facts / sizeof *facts)

static int fact_known(const char *name, size_t len, long long *v, void *ctx)
{
	(void)ctx;
	for (size_t i = 0; i < NFACTS; i++)
		if (strlen(facts[i].name) == len && strncmp(facts[i].name, name, len) == 0) {
			*v = 0;
			return 0;
		}
	return -1;
}

int diagnose_lesson_ok(const char *lesson, char *unknown, size_t n)
{
	return holes_fill(lesson, fact_known, NULL, NULL, unknown, n) == 0;
}

const char *diagnose_fact_names(void)
{
	static char names[512];
	size_t used = 0;
	for (size_t i = 0; i < NFACTS && used < sizeof names; i++)
		used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "", facts[i].name);
	return names;
}

void diagnose_put_facts(const struct pstat *r, int calls_seen, const struct fields *summary,
			struct fields *fs)
{
	struct fields *o = fs_obj(fs, "facts");
	const struct fields *nj = fs_getlist(summary, "never_joined");
	for (size_t i = 0; o && r && i < NFACTS; i++) {
		if (facts[i].needs == CALLS && !calls_seen) {
			fs_null(o, facts[i].name);
			continue;
		}
		switch (facts[i].from) {
		case FROM_STAT:
			fs_int(o, facts[i].name, *(const int *)((const char *)r + facts[i].offset));
			break;
		case FROM_NEVER_JOINED:
			fs_int(o, facts[i].name, nj ? nj->n : 0);
			break;
		case FROM_BLOCKED_MS:
			fs_int(o, facts[i].name, (r->blocked_ns + NS_PER_MS / 2) / NS_PER_MS);
			break;
		case FROM_CPU_MS:
			if (r->cpu_us >= 0)
				fs_int(o, facts[i].name, (r->cpu_us + US_PER_MS / 2) / US_PER_MS);
			else
				fs_null(o, facts[i].name);
			break;
		}
	}
}
