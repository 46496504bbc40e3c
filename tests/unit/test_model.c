/*
 * test_model.c - the process model on made-up event sequences.
 *
 * No ptrace here: each test tells the model what the kernel would have
 * reported and checks the events the model emits, its answers to the
 * loop's questions, and the summary it gives at the end.
 * Run by tests/unit/test_model_unit.py (and `make unit` builds it).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "common/idmap.h"
#include "model/model.h"

static int failures, checks;
#define CHECK(cond) do { checks++; if (!(cond)) { failures++; \
	fprintf(stderr, "%s:%d: %s: failed: %s\n", __FILE__, __LINE__, __func__, #cond); } } while (0)

/* A sink that keeps one line per event: "type k=v k=v". */
static char log_buf[1 << 16];

static void log_event(struct sink *s, const struct event *ev)
{
	(void)s;
	char line[256];
	int n = snprintf(line, sizeof line, "%s", ev_type_name[ev->type]);
	for (int i = 0; i < ev->f.n && n < (int)sizeof line; i++) {
		const struct field *f = &ev->f.f[i];
		if (f->kind == F_INT || f->kind == F_BOOL)
			n += snprintf(line + n, sizeof line - (size_t)n, " %s=%lld", f->key, (long long)f->i);
		else if (f->kind == F_STR)
			n += snprintf(line + n, sizeof line - (size_t)n, " %s=%s", f->key, f->s);
	}
	strncat(log_buf, line, sizeof log_buf - strlen(log_buf) - 2);
	strcat(log_buf, "\n");
}

static struct sink sink = { .event = log_event };
static struct stream out;

static struct model *fresh(void)
{
	log_buf[0] = '\0';
	out.sinks = NULL;
	stream_add(&out, &sink);
	struct model *m = model_new(&out, 1);
	model_root(m, 0, 100, "/bin/server", 0);
	return m;
}

/* The summary the model would give now. */
static struct arena sum_arena;
static struct fields sum;

static const struct fields *summary(const struct model *m)
{
	arena_reset(&sum_arena);
	fields_init(&sum, &sum_arena);
	model_summarize(m, &sum, 1);
	return &sum;
}

static int64_t zombies(const struct model *m, const char *key)
{
	return fs_geti(fs_getobj(summary(m), "zombies"), key, -1);
}

/* pid's node of the summary's tree. */
static const struct fields *node(const struct model *m, pid_t pid)
{
	const struct fields *tree = fs_getlist(summary(m), "tree");
	for (int i = 0; tree && i < tree->n; i++)
		if (fs_geti(tree->f[i].sub, "pid", 0) == pid)
			return tree->f[i].sub;
	return NULL;
}

static int64_t node_i(const struct model *m, pid_t pid, const char *key)
{
	return fs_geti(node(m, pid), key, -1);
}

static int logged(const char *needle) { return strstr(log_buf, needle) != NULL; }

#define EXITED(code) ((code) << 8)

static void test_wait_reaps_zombie(void)
{
	struct model *m = fresh();
	model_spawn(m, 10, 100, 101, 0, "fork", "clone", "SIGCHLD", -1);
	CHECK(logged("spawn child=101 kind=process call=fork"));
	model_death(m, 20, 101, EXITED(3));
	CHECK(logged("exit code=3"));
	CHECK(logged("state from=exited to=zombie"));
	CHECK(model_state(m, 101) == T_ZOMBIE);
	model_waited(m, 50, 100, 101, EXITED(3), 0);
	CHECK(logged("reap child=101 by=100 how=wait zombie_ns=30 leaked=0"));
	CHECK(model_state(m, 101) == T_REAPED);
	CHECK(zombies(m, "transient") == 1 && zombies(m, "max_concurrent") == 1);
	model_free(m);
}

static void test_ignored_sigchld_auto_reaps(void)
{
	struct model *m = fresh();
	model_sigaction(m, 100, SIGCHLD, D_IGN, 0);
	model_spawn(m, 10, 100, 101, 0, "fork", "clone", "SIGCHLD", -1);
	model_death(m, 20, 101, EXITED(0));
	CHECK(logged("reap child=101 by=100 how=auto zombie_ns=0"));
	CHECK(!logged("to=zombie"));
	CHECK(zombies(m, "auto") == 1 && zombies(m, "max_concurrent") == 0);
	model_free(m);
}

static void test_nocldwait_auto_reaps(void)
{
	struct model *m = fresh();
	model_sigaction(m, 100, SIGCHLD, D_HANDLER, SA_NOCLDWAIT);
	model_spawn(m, 10, 100, 101, 0, "fork", "clone", "SIGCHLD", -1);
	model_death(m, 20, 101, EXITED(0));
	CHECK(logged("how=auto"));
	CHECK(zombies(m, "auto") == 1);
	model_free(m);
}

static void test_leaked_when_parent_dies(void)
{
	struct model *m = fresh();
	model_spawn(m, 10, 100, 101, 0, "fork", "clone", "SIGCHLD", -1);
	model_death(m, 20, 101, EXITED(0));
	model_death(m, 30, 100, 15);   /* killed by SIGTERM */
	CHECK(logged("exit signal=SIGTERM core=0 process=1"));   /* a null code is not logged */
	CHECK(node_i(m, 101, "leaked") == 1);
	/* re-parented to the tracer, the zombie is reported again and reaped */
	model_death(m, 31, 101, EXITED(0));
	CHECK(logged("reap child=101 by=1 how=adopted zombie_ns=11 leaked=1"));
	CHECK(model_state(m, 101) == T_REAPED);
	model_free(m);
}

static void test_orphan_is_adopted_not_leaked(void)
{
	struct model *m = fresh();
	model_spawn(m, 10, 100, 101, 0, "fork", "clone", "SIGCHLD", -1);
	model_death(m, 20, 100, EXITED(0));
	CHECK(node_i(m, 101, "adopted") == 1 && model_parent(m, 101) == 0);
	model_death(m, 40, 101, EXITED(0));
	CHECK(logged("reap child=101 by=1 how=adopted zombie_ns=0 leaked=0"));
	CHECK(node_i(m, 101, "leaked") == 0);
	CHECK(zombies(m, "adopted") == 1);
	model_free(m);
}

static void test_untraced_asked_and_cleared(void)
{
	struct model *m = fresh();
	model_spawn_untraced(m, 10, 100, 101, 0, "fork", "clone", "CLONE_UNTRACED|SIGCHLD", -1);
	CHECK(logged("syscall=clone name=server depth=1 untraced=cleared"));
	CHECK(fs_geti(summary(m), "escaped", -1) == 0 && node_i(m, 101, "escaped") == 0);
	model_spawn(m, 11, 100, 102, 0, "fork", "clone", "SIGCHLD", -1);
	CHECK(!strstr(strstr(log_buf, "child=102"), "untraced"));   /* an ordinary one says nothing */
	model_free(m);
}

static void test_escaped_process_thread_and_orphan(void)
{
	struct model *m = fresh();
	/* found as a child of 100, with a program of its own, and its thread */
	model_escaped(m, 10, 100, 101, "sleeper", 0);
	CHECK(logged("spawn child=101 kind=process call=clone syscall=unreported name=sleeper depth=1 untraced=escaped"));
	model_escaped(m, 10, 101, 102, NULL, 1);
	CHECK(logged("spawn child=102 kind=thread call=clone syscall=unreported name=sleeper depth=1 untraced=escaped"));
	CHECK(model_pid_of(m, 102) == 101 && model_live_processes(m) == 2);
	/* found as the tracer's orphan, already dead: told as it ended */
	model_escaped(m, 20, 0, 103, "gone", 0);
	model_death(m, 20, 103, EXITED(3));
	CHECK(logged("reap child=103 by=1 how=adopted"));
	CHECK(model_parent(m, 103) == 0 && node_i(m, 103, "adopted") == 1);
	CHECK(node_i(m, 101, "escaped") == 1 && node_i(m, 103, "escaped") == 1 && node_i(m, 100, "escaped") == 0);
	CHECK(fs_geti(summary(m), "escaped", -1) == 3 && fs_geti(summary(m), "processes", -1) == 3);
	model_free(m);
}

static void test_threads(void)
{
	struct model *m = fresh();
	model_spawn(m, 10, 100, 102, 1, "pthread_create", "clone3", "CLONE_THREAD", -1);
	CHECK(logged("kind=thread call=pthread_create"));
	CHECK(fs_geti(summary(m), "threads", 0) == 1 && fs_geti(summary(m), "processes", 0) == 1);
	CHECK(model_pid_of(m, 102) == 100);
	CHECK(!model_quiet(m, 100));   /* a thread still works */
	model_death(m, 20, 102, EXITED(0));
	CHECK(logged("exit code=0 core=0 process=0"));   /* a thread's exit, not its process's */
	CHECK(!logged("to=zombie"));
	CHECK(model_quiet(m, 100));
	model_free(m);
}

static void test_exec_by_thread(void)
{
	struct model *m = fresh();
	model_spawn(m, 10, 100, 102, 1, "pthread_create", "clone3", "CLONE_THREAD", -1);
	model_spawn(m, 11, 100, 103, 1, "pthread_create", "clone3", "CLONE_THREAD", -1);
	model_death(m, 20, 103, EXITED(0));         /* killed by the exec */
	const char *argv[] = { "/bin/true" };
	model_exec(m, 21, 100, 102, "/bin/true", argv, 1, 1);
	CHECK(logged("exec path=/bin/true old_tid=102"));
	CHECK(model_pid_of(m, 102) == 0 && model_pid_of(m, 100) == 100);
	CHECK(model_quiet(m, 100) && model_live_tasks(m) == 1);
	CHECK(logged("name=true") && strcmp(fs_gets(node(m, 100), "name"), "true") == 0);
	model_free(m);
}

static void test_non_reaping_waits(void)
{
	struct model *m = fresh();
	model_spawn(m, 10, 100, 101, 0, "fork", "clone", "SIGCHLD", -1);
	model_death(m, 20, 101, EXITED(0));
	model_waited(m, 30, 100, 101, EXITED(0), WNOWAIT);    /* a peek */
	model_waited(m, 31, 100, 101, 0x137f, WUNTRACED);      /* a stop report */
	CHECK(model_state(m, 101) == T_ZOMBIE);
	model_waited(m, 32, 100, 101, EXITED(0), 0);
	CHECK(model_state(m, 101) == T_REAPED);
	model_free(m);
}

static void test_exec_resets_handlers(void)
{
	struct model *m = fresh();
	model_sigaction(m, 100, SIGCHLD, D_HANDLER, SA_RESTART);
	model_sigaction(m, 100, SIGPIPE, D_IGN, 0);
	const char *argv[] = { "x" };
	model_exec(m, 5, 100, 100, "/bin/x", argv, 1, 1);
	/* SIGCHLD's default is to ignore it (no handler runs); SA_RESTART is gone */
	CHECK(model_sig_action(m, 100, SIGCHLD) == ACT_IGNORE && !model_sig_restarts(m, 100, SIGCHLD));
	CHECK(model_sig_action(m, 100, SIGPIPE) == ACT_IGNORE);   /* SIG_IGN survives exec */
	CHECK(model_sig_action(m, 100, SIGTERM) == ACT_KILL);
	CHECK(model_sig_action(m, 100, SIGSEGV) == ACT_CORE);
	CHECK(model_sig_action(m, 100, SIGKILL) == ACT_KILL);
	model_free(m);
}

static void test_fork_inherits_dispositions(void)
{
	struct model *m = fresh();
	model_sigaction(m, 100, SIGCHLD, D_IGN, 0);
	model_spawn(m, 10, 100, 101, 0, "fork", "clone", "SIGCHLD", -1);
	model_spawn(m, 11, 101, 102, 0, "fork", "clone", "SIGCHLD", -1);
	model_death(m, 20, 102, EXITED(0));   /* 101 inherited SIG_IGN */
	CHECK(logged("reap child=102 by=101 how=auto"));
	CHECK(logged("child=102 kind=process call=fork syscall=clone name=server depth=2"));
	model_free(m);
}

static void test_the_hook_starts_each_program(void)
{
	struct model *m = fresh();
	CHECK(!model_has_hook(m, 100));
	model_started(m, 5, 100);
	model_started(m, 6, 100);   /* a second marker of the same program */
	const char *first = strstr(log_buf, "\nstart\n");
	CHECK(model_has_hook(m, 100) && first && !strstr(first + 1, "\nstart\n"));   /* one event */
	model_spawn(m, 10, 100, 101, 0, "fork", "clone", "SIGCHLD", -1);
	CHECK(model_has_hook(m, 101));   /* a fork runs the same program */
	const char *argv[] = { "x" };
	model_exec(m, 20, 101, 101, "/bin/x", argv, 1, 1);
	CHECK(!model_has_hook(m, 101) && model_has_hook(m, 100));
	model_started(m, 30, 101);
	CHECK(model_has_hook(m, 101));
	model_free(m);
}

static void test_end_of_trace_leaks(void)
{
	struct model *m = fresh();
	model_spawn(m, 10, 100, 101, 0, "fork", "clone", "SIGCHLD", -1);
	model_death(m, 20, 101, EXITED(0));
	model_end(m);
	CHECK(node_i(m, 101, "leaked") == 1);
	CHECK(fs_getlist(fs_getobj(summary(m), "zombies"), "leaked")->n == 1);
	model_free(m);
}

static void test_sigchld_pending_and_handlers(void)
{
	struct model *m = fresh();
	model_spawn(m, 10, 100, 101, 0, "fork", "clone", "SIGCHLD", -1);
	CHECK(model_live_children(m, 100) == 1);
	model_death(m, 20, 101, EXITED(0));
	CHECK(model_live_children(m, 100) == 0);
	CHECK(!model_quiet(m, 100));   /* its SIGCHLD is on the way */
	model_delivered(m, 100, SIGCHLD);
	CHECK(model_quiet(m, 100));
	CHECK(fs_geti(fs_getobj(summary(m), "signals"), "SIGCHLD", 0) == 1);
	model_handler(m, 100, +1);
	CHECK(!model_quiet(m, 100));   /* the handler runs */
	model_handler(m, 100, -1);
	model_handler(m, 100, -1);   /* never below zero */
	CHECK(model_quiet(m, 100));
	model_handler(m, 100, +1);
	CHECK(!model_quiet(m, 100));
	model_free(m);
}

static void test_blocked_and_stopped_states(void)
{
	struct model *m = fresh();
	model_block(m, 5, 100, "waitpid");
	CHECK(!logged("to=blocked"));   /* known at the end of the spell, said then */
	model_unblock(m, 6, 100);
	CHECK(logged("from=blocked to=running call=waitpid since=5"));
	model_stopped(m, 7, 100);
	model_continued(m, 8, 100);
	CHECK(logged("to=stopped") && logged("from=stopped to=running"));
	model_block(m, 9, 100, "read");
	model_death(m, 10, 100, 0);
	CHECK(logged("from=blocked to=exited call=read since=9"));   /* died in it */
	model_free(m);
}

static void test_threads_ended_by_an_exec(void)
{
	struct model *m = fresh();
	model_spawn(m, 10, 100, 102, 1, "pthread_create", "clone3", "CLONE_THREAD", -1);
	model_spawn(m, 11, 100, 103, 1, "pthread_create", "clone3", "CLONE_THREAD", -1);
	model_block(m, 12, 100, "pause");
	model_ended_by_exec(m, 20, 102, 103);
	CHECK(logged("exit core=0 exec_by=103 process=0"));   /* no code, no signal: null */
	const char *argv[] = { "server", NULL };
	model_exec(m, 21, 100, 103, "/bin/server", argv, 1, 1);
	CHECK(logged("from=blocked to=running call=pause since=12"));   /* 103 runs as 100 now */
	const struct fields *nj = fs_getlist(summary(m), "never_joined");
	CHECK(nj && nj->n == 0);   /* neither was left unjoined: the exec ended them */
	CHECK(model_live_threads(m, 100) == 1);
	model_free(m);
}

static void test_join_and_detach_records(void)
{
	struct model *m = fresh();
	model_spawn(m, 10, 100, 102, 1, "pthread_create", "clone3", "CLONE_THREAD", -1);
	model_spawn(m, 11, 100, 103, 1, "pthread_create", "clone3", "CLONE_THREAD", -1);
	model_spawn(m, 12, 100, 104, 1, "pthread_create", "clone3", "CLONE_THREAD", -1);
	model_thread_handle(m, 100, 102, 0x7000002d0);   /* pthread_t 0x700000000 */
	model_thread_handle(m, 100, 103, 0x7100002d0);
	model_thread_handle(m, 100, 104, 0x7200002d0);
	CHECK(model_thread_by_pthread(m, 100, 0x700000000) == 102);
	CHECK(model_thread_by_pthread(m, 100, 0x710000000) == 103);
	CHECK(model_thread_by_pthread(m, 100, 0x123) == 0);
	model_thread_joined(m, 100, 102);
	model_thread_detached(m, 100, 103);
	const struct fields *nj = fs_getlist(summary(m), "never_joined");
	CHECK(nj && nj->n == 1 && nj->f[0].i == 104);
	nj = fs_getlist(node(m, 100), "never_joined");
	CHECK(nj && nj->n == 1 && nj->f[0].i == 104);
	/* a new thread in a reused pthread_t takes the handle over */
	model_death(m, 20, 102, EXITED(0));
	model_spawn(m, 21, 100, 105, 1, "pthread_create", "clone3", "CLONE_THREAD", -1);
	model_thread_handle(m, 100, 105, 0x7000002d0);
	CHECK(model_thread_by_pthread(m, 100, 0x700000000) == 105);
	model_free(m);
}

static void test_summary_counts_every_signal_kind(void)
{
	struct model *m = fresh();
	int kinds = 0;
	for (int sig = 1; sig <= SIG_MAX; sig++)
		if (sig != SIGKILL && sig != SIGSTOP) {
			model_delivered(m, 100, sig);
			kinds++;
		}
	const struct fields *sigs = fs_getobj(summary(m), "signals");
	CHECK(sigs && sigs->n == kinds);   /* none dropped for want of room */
	CHECK(fs_geti(sigs, "SIGRT_32", 0) == 1 && fs_geti(sigs, "SIGHUP", 0) == 1);
	model_free(m);
}

static void test_never_joined_is_null_without_the_hook(void)
{
	struct model *m = fresh();
	model_spawn(m, 10, 100, 102, 1, "pthread_create", "clone3", "CLONE_THREAD", -1);
	arena_reset(&sum_arena);
	fields_init(&sum, &sum_arena);
	model_summarize(m, &sum, 0);
	CHECK(fs_get(&sum, "never_joined") && fs_get(&sum, "never_joined")->kind == F_NULL);
	model_free(m);
}

static void test_idmap_churn(void)
{
	struct idmap map = { 0 };
	for (int round = 0; round < 50; round++) {
		for (int id = 1; id <= 2000; id++)
			idmap_put(&map, id * 7 + round, (void *)(long)id);
		for (int id = 1; id <= 2000; id += 2)
			CHECK(idmap_del(&map, id * 7 + round) == (void *)(long)id);
		for (int id = 2; id <= 2000; id += 2)
			if (idmap_get(&map, id * 7 + round) != (void *)(long)id)
				CHECK(0);
		for (int id = 2; id <= 2000; id += 2)
			idmap_del(&map, id * 7 + round);
		if (map.len != 0)
			CHECK(map.len == 0);
	}
	CHECK(map.cap <= 4096);   /* it does not grow without bound */
	idmap_free(&map);
}

/* What sigaction() set, told apart from what a delivery does: SIGCHLD's
 * default action and SIG_IGN both "ignore" it, but only SIG_IGN (or
 * SA_NOCLDWAIT) makes the kernel reap the children. */
static void test_dispositions_and_auto_reap(void)
{
	struct model *m = fresh();
	CHECK(model_sig_disp(m, 100, SIGCHLD) == D_DFL && !model_auto_reaps(m, 100));
	model_sigaction(m, 100, SIGCHLD, D_IGN, 0);
	CHECK(model_sig_disp(m, 100, SIGCHLD) == D_IGN && model_auto_reaps(m, 100));
	CHECK(model_sig_action(m, 100, SIGCHLD) == ACT_IGNORE);
	model_sigaction(m, 100, SIGCHLD, D_DFL, SA_NOCLDWAIT);
	CHECK(model_sig_disp(m, 100, SIGCHLD) == D_DFL && model_auto_reaps(m, 100));
	model_sigaction(m, 100, SIGUSR1, D_HANDLER, 0);
	CHECK(model_sig_disp(m, 100, SIGUSR1) == D_HANDLER);
	model_sigaction(m, 100, SIGKILL, D_IGN, 0);   /* the kernel refuses it; the model never sees it */
	CHECK(model_sig_disp(m, 100, SIGKILL) == D_DFL);
	CHECK(strcmp(disp_name[D_DFL], "default") == 0 && strcmp(disp_name[D_IGN], "ignore") == 0);
	model_free(m);
}

/* The events of a task running a handler say how deep: a reap made by a
 * wait in the handler has in_handler, one after its sigreturn has none. */
static void test_events_in_a_handler_are_marked(void)
{
	struct model *m = fresh();
	model_spawn(m, 10, 100, 101, 0, "fork", "clone", "SIGCHLD", -1);
	model_spawn(m, 11, 100, 102, 0, "fork", "clone", "SIGCHLD", -1);
	model_death(m, 20, 101, EXITED(0));
	model_death(m, 21, 102, EXITED(0));
	model_handler(m, 100, +1);
	model_handler(m, 100, +1);
	CHECK(model_in_handler(m, 100) == 2 && model_in_handler(m, 101) == 0);
	log_buf[0] = 0;
	model_waited(m, 30, 100, 101, EXITED(0), 0);
	CHECK(logged("reap child=101") && logged("in_handler=2"));
	model_handler(m, 100, -1);
	model_handler(m, 100, -1);
	log_buf[0] = 0;
	model_waited(m, 40, 100, 102, EXITED(0), 0);
	CHECK(logged("reap child=102") && !logged("in_handler"));
	model_free(m);
}

/* The kernel counts a reaped child's CPU time in its parent's; the model
 * takes it out. An auto-reaped child's is in nobody's; an unknown count
 * stays unknown. */
static void test_cpu_time_is_each_process_own(void)
{
	struct model *m = fresh();
	model_spawn(m, 10, 100, 101, 0, "fork", "clone", "SIGCHLD", -1);
	model_spawn(m, 11, 100, 102, 0, "fork", "clone", "SIGCHLD", -1);
	model_cpu(m, 101, 3000, 500);
	model_death(m, 20, 101, EXITED(0));
	CHECK(logged("cpu_user_us=3000 cpu_system_us=500"));
	model_waited(m, 30, 100, 101, EXITED(0), 0);
	model_death(m, 40, 102, EXITED(0));       /* no count for this one */
	CHECK(node_i(m, 102, "cpu_user_us") == -1);   /* null */
	model_waited(m, 45, 100, 102, EXITED(0), 0);
	model_cpu(m, 100, 4000, 2500);            /* its own 1000 + 2000, and 101's */
	model_death(m, 50, 100, EXITED(0));
	CHECK(logged("cpu_user_us=1000 cpu_system_us=2000"));
	CHECK(node_i(m, 100, "cpu_user_us") == 1000 && node_i(m, 101, "cpu_system_us") == 500);
	model_free(m);
}

int main(void)
{
	test_wait_reaps_zombie();
	test_ignored_sigchld_auto_reaps();
	test_nocldwait_auto_reaps();
	test_leaked_when_parent_dies();
	test_orphan_is_adopted_not_leaked();
	test_untraced_asked_and_cleared();
	test_escaped_process_thread_and_orphan();
	test_threads();
	test_exec_by_thread();
	test_non_reaping_waits();
	test_exec_resets_handlers();
	test_fork_inherits_dispositions();
	test_the_hook_starts_each_program();
	test_end_of_trace_leaks();
	test_sigchld_pending_and_handlers();
	test_blocked_and_stopped_states();
	test_join_and_detach_records();
	test_threads_ended_by_an_exec();
	test_summary_counts_every_signal_kind();
	test_never_joined_is_null_without_the_hook();
	test_idmap_churn();
	test_dispositions_and_auto_reap();
	test_events_in_a_handler_are_marked();
	test_cpu_time_is_each_process_own();
	arena_free(&sum_arena);
	printf("%d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
