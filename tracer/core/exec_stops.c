/*
 * exec_stops.c - execve and execveat seen at their entry.
 *
 * When one thread of a process calls exec, the kernel ends every other
 * thread first, and the tracer hears of their deaths before the exec
 * event itself; each looks like exit(0) (the kernel's de_thread). Knowing
 * that an exec is under way in the process, and in which thread, is what
 * tells those deaths from real exits. The entry is also the last moment
 * the other threads can be asked whether they are asleep in their calls.
 */
#include <stdint.h>
#include <sys/syscall.h>
#include "core/stops.h"

#include <stdlib.h>

/* An exec seen at its entry, in execing (pid ->): which thread, and
 * whether its event came. The other threads' deaths may be reported
 * before the event or after it; the entry stays until all have been. */
struct exec_pending {
	pid_t tid;
	int done;
};

int is_exec_call(long nr)
{
	return nr == SYS_execve || nr == SYS_execveat;
}

struct next stop_exec_entry(struct tracer *tr, pid_t tid)
{
	pid_t pid = model_pid_of(tr->m, tid);
	struct exec_pending *e = pid ? calloc(1, sizeof *e) : NULL;
	if (!e)
		return GO;
	e->tid = tid;
	free(idmap_del(&tr->execing, pid));
	if (idmap_put(&tr->execing, pid, e) < 0) {
		free(e);
		return GO;
	}
	sleep_check_process(tr, pid);   /* the other threads, while they are there */
	return (struct next){ NEXT_TO_RETURN, 0 };   /* to see it fail */
}

pid_t exec_under_way(const struct tracer *tr, pid_t pid)
{
	const struct exec_pending *e = idmap_get(&tr->execing, pid);
	return e ? e->tid : 0;
}

/* Forget the exec once it is done and no thread it ended is left to report. */
static void forget_if_over(struct tracer *tr, pid_t pid)
{
	struct exec_pending *e = idmap_get(&tr->execing, pid);
	if (e && e->done && model_live_threads(tr->m, pid) <= 1)
		free(idmap_del(&tr->execing, pid));
}

void exec_done(struct tracer *tr, pid_t pid)
{
	struct exec_pending *e = idmap_get(&tr->execing, pid);
	if (e)
		e->done = 1;
	forget_if_over(tr, pid);
}

void exec_ended_thread(struct tracer *tr, pid_t pid)
{
	forget_if_over(tr, pid);
}

void exec_failed(struct tracer *tr, pid_t tid)
{
	if (!tr->execing.len)
		return;
	pid_t pid = model_pid_of(tr->m, tid);
	const struct exec_pending *e = pid ? idmap_get(&tr->execing, pid) : NULL;
	if (e && e->tid == tid && !e->done)
		free(idmap_del(&tr->execing, pid));
}

void exec_forget_all(struct tracer *tr)
{
	idmap_each(&tr->execing, i)
		free(tr->execing.slots[i].val);
	idmap_free(&tr->execing);
}
