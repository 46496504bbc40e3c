/*
 * spawn_time.c - how long each fork() and pthread_create() took
 * (--time-spawns): from the spawning call's entry stop to its fork event.
 *
 * The kernel reports a fork as a ptrace event without any syscall stop,
 * which is what keeps a fork cheap to trace; the price is that the call's
 * start is not seen. With --time-spawns the seccomp filter also stops
 * clone, fork and vfork at their entry (clone3 stops there anyway, for
 * untraced.c), so each spawn event gets "took_ns": the CPU time the
 * caller ran between the two stops (the kernel's count, schedstat), that
 * is the kernel's work of making the child. CPU time rather than the
 * clock's: on a busy machine the caller and the tracer wait their turn
 * for a CPU between the stops, which says nothing of fork. That costs one
 * stop more per fork, so it is asked for (lab 10 compares the cost of
 * creating a process and a thread), never the default.
 */
#include <seccomp.h>
#include <stdint.h>
#include <sys/syscall.h>
#include "core/stops.h"
#include "decode/tracee.h"

int spawn_time_filter_rules(void *ctx)
{
	static const int calls[] = { SYS_clone, SYS_fork, SYS_vfork };
	int rc = 0;
	for (size_t i = 0; i < sizeof calls / sizeof *calls && rc == 0; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), calls[i], 0);
	return rc;
}

int is_spawn_call(long nr)
{
	return nr == SYS_clone || nr == SYS_clone3 || nr == SYS_fork || nr == SYS_vfork;
}

/* The caller's CPU time at the entry, plus one so that 0 is still a value. */
void spawn_time_entry(struct tracer *tr, pid_t tid)
{
	if (!tr->time_spawns)
		return;
	idmap_del(&tr->spawn_entries, tid);   /* a restarted or failed call's */
	int64_t cpu = tracee_cpu_ns(tid);
	if (cpu >= 0 && idmap_put(&tr->spawn_entries, tid, (void *)(uintptr_t)(cpu + 1)) < 0)
		tr->lost++;
}

int64_t spawn_time_took(struct tracer *tr, pid_t tid)
{
	uintptr_t entry = (uintptr_t)idmap_del(&tr->spawn_entries, tid);
	int64_t now = entry ? tracee_cpu_ns(tid) : -1;
	if (now < 0 || (uint64_t)now < entry - 1)
		return -1;
	return now - (int64_t)(entry - 1);
}

void spawn_time_gone(struct tracer *tr, pid_t tid)
{
	idmap_del(&tr->spawn_entries, tid);
}
