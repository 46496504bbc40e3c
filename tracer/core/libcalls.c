/*
 * libcalls.c - library calls the kernel never sees as such: the preloaded
 * hook (kit/hook) reports pthread_join, pthread_detach and a thread
 * created detached with a marker, ioctl(-1, TLHOOK_MAGIC, what, thread,
 * result), which the seccomp filter stops and this file turns into an event.
 * The same marker, sent just before the program's main(), says where the
 * program's own code starts (TLHOOK_START): the model records it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include "core/stops.h"
#include "../../kit/hook/tlhook.h"

/* The marker's arguments: ioctl(-1, TLHOOK_MAGIC, what, pthread_t, result,
 * what a joined thread returned). */
enum { MARK_FD, MARK_MAGIC, MARK_WHAT, MARK_THREAD, MARK_RESULT, MARK_VALUE, MARK_ARGS };

static const char *const libcall_names[] = {
	[TLHOOK_JOIN] = "pthread_join", [TLHOOK_DETACH] = "pthread_detach",
	[TLHOOK_CREATE_DETACHED] = "pthread_create",
};
#define NLIBCALLS (sizeof libcall_names / sizeof libcall_names[0])

/* A pthread_join kept until the joined thread's death is reported. */
struct pending_join {
	pid_t thread;
	uint64_t a[MARK_ARGS];
};

int is_libcall_marker(long nr, const uint64_t *a)
{
	return nr == SYS_ioctl && (int)a[MARK_FD] == -1 && a[MARK_MAGIC] == TLHOOK_MAGIC;
}

/* Emit the library call and tell the model what it did. */
static void libcall_done(struct tracer *tr, pid_t tid, pid_t pid, const uint64_t *a,
			 pid_t thread, uint64_t t)
{
	int what = (int)a[MARK_WHAT], ret = (int)a[MARK_RESULT];
	struct event *e = tracer_event(tr, EV_LIBCALL, t, pid, tid);
	fs_str(&e->f, "name", libcall_names[what]);
	struct fields *args = fs_obj(&e->f, "args");
	if (args) {
		fs_int(args, "thread", thread);
		if (what == TLHOOK_CREATE_DETACHED)
			fs_str(args, "attr", "PTHREAD_CREATE_DETACHED");
	}
	fs_int(&e->f, "ret", ret);
	if (what == TLHOOK_JOIN && ret == 0) {
		/* The thread's void *, as the joiner got it: a number (most
		 * labs return one) or PTHREAD_CANCELED. */
		int64_t value = (int64_t)a[MARK_VALUE];
		fs_int(&e->f, "returned", value);
		if (value == (int64_t)(intptr_t)PTHREAD_CANCELED)
			fs_bool(&e->f, "canceled", 1);
	}
	tracer_emit(tr);
	if (ret == 0 && thread) {
		if (what == TLHOOK_JOIN)
			model_thread_joined(tr->m, pid, thread);
		else
			model_thread_detached(tr->m, pid, thread);
	}
}

struct next stop_libcall(struct tracer *tr, pid_t tid, const uint64_t *a, uint64_t t)
{
	pid_t pid = model_pid_of(tr->m, tid);
	if (pid && a[MARK_WHAT] == TLHOOK_START)
		model_started(tr->m, t, tid);
	if (!pid || a[MARK_WHAT] < 1 || a[MARK_WHAT] >= NLIBCALLS)
		return GO;
	pid_t thread = model_thread_by_pthread(tr->m, pid, a[MARK_THREAD]);
	/* pthread_join returns as soon as the thread clears its tid, a moment
	 * before the kernel reports the thread dead. Keep the joiner here
	 * until the report, so the timeline says "exited" before "joined". */
	struct pending_join *j;
	if (a[MARK_WHAT] == TLHOOK_JOIN && (int)a[MARK_RESULT] == 0 && thread &&
	    model_pid_of(tr->m, thread) && (j = malloc(sizeof *j))) {
		j->thread = thread;
		memcpy(j->a, a, sizeof j->a);
		if (park(&tr->parking, tid, PARK_JOIN, j) == 0)
			return (struct next){ NEXT_PARKED, 0 };
		free(j);
	}
	libcall_done(tr, tid, pid, a, thread, t);
	return GO;
}

static int joins(const struct parked *p, void *thread)
{
	const struct pending_join *j = p->data;
	return j->thread == *(pid_t *)thread;
}

void libcall_thread_gone(struct tracer *tr, pid_t thread, uint64_t t)
{
	struct parked *p = park_find(&tr->parking, PARK_JOIN, joins, &thread);
	if (!p)
		return;
	struct pending_join *j = p->data;
	pid_t pid = model_pid_of(tr->m, p->tid);
	if (pid)
		libcall_done(tr, p->tid, pid, j->a, thread, t);
	unpark(&tr->parking, p->tid, 0);
}
