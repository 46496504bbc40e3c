/*
 * kill_tree.c - the end of a trace that cannot wait (--timeout, Ctrl-C
 * after its grace, --max-procs): every traced process, the new children
 * not yet known, what escaped the trace and the lab's helpers get SIGKILL.
 * Before that, the tasks asleep in their calls are asked whether they
 * sleep (once killed, they cannot say).
 */
#include <signal.h>
#include "core/stops.h"

static void kill_one(pid_t pid, void *ctx) { (void)ctx; kill(pid, SIGKILL); }

void tracer_kill_tree(struct tracer *tr)
{
	tr->killing = 1;
	tr->kill_wanted = 0;
	sleep_check_process(tr, 0);
	model_ending(tr->m);   /* what dies now dies of the kill, not of a bug */
	escapes_find(tr, tracer_now(tr));   /* and dies with the tree */
	model_each_live_process(tr->m, kill_one, NULL);
	park_each(&tr->parking, kill_one, NULL);   /* new children not yet known */
	if (tr->hooks.kill)
		tr->hooks.kill(tr->hooks.ctx);
}
