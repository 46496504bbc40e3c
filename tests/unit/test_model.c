/*
 * test_model.c - the process model on made-up event sequences.
 *
 * No ptrace here: each test tells the model what the kernel would have
 * reported and checks the events the model emits and the state it keeps.
 * Run by tests/unit/test_model_unit.py (and `make unit` builds it).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "idmap.h"
#include "model.h"

static int failures, checks;
#define CHECK(cond) do { checks++; if (!(cond)) { failures++; \
	fprintf(stderr, "%s:%d: %s: failed: %s\n", __FILE__, __LINE__, __func__, #cond); } } while (0)

/* A sink that keeps one line per event: "type k=v k=v". */
static char log_buf[1 << 16];

static void log_event(struct sink *s, const struct event *ev, const struct model *m)
{
	(void)s; (void)m;
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

static struct sink sink = { log_event, NULL, NULL };
static struct stream out;

static struct model *fresh(void)
{
	log_buf[0] = '\0';
	out.sinks = NULL;
	stream_add(&out, &sink);
	struct model *m = model_new(&out, 1);
	model_root(m, 0, 100, "/bin/server");
	return m;
}

static int logged(const char *needle) { return strstr(log_buf, needle) != NULL; }

#define EXITED(code) ((code) << 8)

static void test_wait_reaps_zombie(void)
{
	struct model *m = fresh();
	model_spawn(m, 10, 100, 101, 0, "fork", "clone", "SIGCHLD");
	CHECK(logged("spawn child=101 kind=process call=fork"));
	model_death(m, 20, 101, EXITED(3));
	CHECK(logged("exit code=3"));
	CHECK(logged("state from=exited to=zombie"));
	CHECK(model_proc(m, 101)->state == T_ZOMBIE);
	CHECK(m->zombies_now == 1);
	model_waited(m, 50, 100, 101, EXITED(3), 0);
	CHECK(logged("reap child=101 by=100 how=wait zombie_ns=30 leaked=0"));
	CHECK(model_proc(m, 101)->state == T_REAPED);
	CHECK(m->zombies_now == 0 && m->zombies_transient == 1 && m->zombies_max == 1);
	model_free(m);
}

static void test_ignored_sigchld_auto_reaps(void)
{
	struct model *m = fresh();
	model_sigaction(m, 100, SIGCHLD, D_IGN, 0);
	model_spawn(m, 10, 100, 101, 0, "fork", "clone", "SIGCHLD");
	model_death(m, 20, 101, EXITED(0));
	CHECK(logged("reap child=101 by=100 how=auto zombie_ns=0"));
	CHECK(!logged("to=zombie"));
	CHECK(m->zombies_auto == 1 && m->zombies_max == 0);
	model_free(m);
}

static void test_nocldwait_auto_reaps(void)
{
	struct model *m = fresh();
	model_sigaction(m, 100, SIGCHLD, D_HANDLER, SA_NOCLDWAIT);
	model_spawn(m, 10, 100, 101, 0, "fork", "clone", "SIGCHLD");
	model_death(m, 20, 101, EXITED(0));
	CHECK(logged("how=auto"));
	CHECK(m->zombies_auto == 1);
	model_free(m);
}

static void test_leaked_when_parent_dies(void)
{
	struct model *m = fresh();
	model_spawn(m, 10, 100, 101, 0, "fork", "clone", "SIGCHLD");
	model_death(m, 20, 101, EXITED(0));
	model_death(m, 30, 100, 15);   /* killed by SIGTERM */
	CHECK(logged("exit code=") || logged("signal=SIGTERM"));
	CHECK(model_proc(m, 101)->leaked);
	/* re-parented to the tracer, the zombie is reported again and reaped */
	model_death(m, 31, 101, EXITED(0));
	CHECK(logged("reap child=101 by=1 how=adopted zombie_ns=11 leaked=1"));
	CHECK(model_proc(m, 101)->state == T_REAPED);
	model_free(m);
}

static void test_orphan_is_adopted_not_leaked(void)
{
	struct model *m = fresh();
	model_spawn(m, 10, 100, 101, 0, "fork", "clone", "SIGCHLD");
	model_death(m, 20, 100, EXITED(0));
	CHECK(model_proc(m, 101)->adopted && model_proc(m, 101)->ppid == 0);
	model_death(m, 40, 101, EXITED(0));
	CHECK(logged("reap child=101 by=1 how=adopted zombie_ns=0 leaked=0"));
	CHECK(!model_proc(m, 101)->leaked);
	CHECK(m->zombies_adopted == 1);
	model_free(m);
}

static void test_threads(void)
{
	struct model *m = fresh();
	model_spawn(m, 10, 100, 102, 1, "pthread_create", "clone3", "CLONE_THREAD");
	CHECK(logged("kind=thread call=pthread_create"));
	CHECK(m->threads == 1 && m->processes == 1);
	CHECK(model_task(m, 102)->pid == 100);
	model_death(m, 20, 102, EXITED(0));
	CHECK(logged("exit code=0 signal=") || logged("process=0"));
	CHECK(!logged("to=zombie"));
	CHECK(model_proc(m, 100)->live_threads == 1);
	model_free(m);
}

static void test_exec_by_thread(void)
{
	struct model *m = fresh();
	model_spawn(m, 10, 100, 102, 1, "pthread_create", "clone3", "CLONE_THREAD");
	model_spawn(m, 11, 100, 103, 1, "pthread_create", "clone3", "CLONE_THREAD");
	model_death(m, 20, 103, EXITED(0));         /* killed by the exec */
	const char *argv[] = { "/bin/true" };
	model_exec(m, 21, 100, 102, "/bin/true", argv, 1);
	CHECK(logged("exec path=/bin/true old_tid=102"));
	CHECK(model_task(m, 102) == NULL && model_task(m, 100) != NULL);
	CHECK(model_proc(m, 100)->live_threads == 1);
	CHECK(strcmp(model_proc(m, 100)->name, "true") == 0);
	model_free(m);
}

static void test_non_reaping_waits(void)
{
	struct model *m = fresh();
	model_spawn(m, 10, 100, 101, 0, "fork", "clone", "SIGCHLD");
	model_death(m, 20, 101, EXITED(0));
	model_waited(m, 30, 100, 101, EXITED(0), WNOWAIT);    /* a peek */
	model_waited(m, 31, 100, 101, 0x137f, WUNTRACED);      /* a stop report */
	CHECK(model_proc(m, 101)->state == T_ZOMBIE);
	model_waited(m, 32, 100, 101, EXITED(0), 0);
	CHECK(model_proc(m, 101)->state == T_REAPED);
	model_free(m);
}

static void test_exec_resets_handlers(void)
{
	struct model *m = fresh();
	model_sigaction(m, 100, SIGCHLD, D_HANDLER, SA_RESTART);
	model_sigaction(m, 100, SIGPIPE, D_IGN, 0);
	const char *argv[] = { "x" };
	model_exec(m, 5, 100, 100, "/bin/x", argv, 1);
	CHECK(model_sig(m, 100, SIGCHLD)->kind == D_DFL && model_sig(m, 100, SIGCHLD)->flags == 0);
	CHECK(model_sig(m, 100, SIGPIPE)->kind == D_IGN);
	CHECK(strcmp(model_sig_action(m, 100, SIGCHLD), "ignore") == 0);
	CHECK(strcmp(model_sig_action(m, 100, SIGTERM), "kill") == 0);
	CHECK(strcmp(model_sig_action(m, 100, SIGSEGV), "core") == 0);
	model_free(m);
}

static void test_fork_inherits_dispositions(void)
{
	struct model *m = fresh();
	model_sigaction(m, 100, SIGCHLD, D_IGN, 0);
	model_spawn(m, 10, 100, 101, 0, "fork", "clone", "SIGCHLD");
	model_spawn(m, 11, 101, 102, 0, "fork", "clone", "SIGCHLD");
	model_death(m, 20, 102, EXITED(0));   /* 101 inherited SIG_IGN */
	CHECK(logged("reap child=102 by=101 how=auto"));
	CHECK(model_proc(m, 102)->depth == 2);
	model_free(m);
}

static void test_end_of_trace_leaks(void)
{
	struct model *m = fresh();
	model_spawn(m, 10, 100, 101, 0, "fork", "clone", "SIGCHLD");
	model_death(m, 20, 101, EXITED(0));
	model_end(m, 99);
	CHECK(model_proc(m, 101)->leaked);
	model_free(m);
}

static void test_sigchld_pending_and_handlers(void)
{
	struct model *m = fresh();
	model_spawn(m, 10, 100, 101, 0, "fork", "clone", "SIGCHLD");
	CHECK(model_live_children(m, 100) == 1);
	model_death(m, 20, 101, EXITED(0));
	CHECK(model_live_children(m, 100) == 0);
	CHECK(model_proc(m, 100)->sigchld_pending);
	model_delivered(m, 100, SIGCHLD);
	CHECK(!model_proc(m, 100)->sigchld_pending && m->signals[SIGCHLD] == 1);
	model_handler(m, 100, +1);
	CHECK(model_task(m, 100)->in_handler == 1);
	model_handler(m, 100, -1);
	model_handler(m, 100, -1);   /* never below zero */
	CHECK(model_task(m, 100)->in_handler == 0);
	model_free(m);
}

static void test_blocked_and_stopped_states(void)
{
	struct model *m = fresh();
	model_block(m, 5, 100, "waitpid");
	CHECK(logged("state from=running to=blocked call=waitpid"));
	model_unblock(m, 6, 100);
	model_stopped(m, 7, 100);
	model_continued(m, 8, 100);
	CHECK(logged("from=blocked to=running") && logged("to=stopped") && logged("from=stopped to=running"));
	model_free(m);
}

static void test_join_and_detach_records(void)
{
	struct model *m = fresh();
	model_spawn(m, 10, 100, 102, 1, "pthread_create", "clone3", "CLONE_THREAD");
	model_spawn(m, 11, 100, 103, 1, "pthread_create", "clone3", "CLONE_THREAD");
	model_spawn(m, 12, 100, 104, 1, "pthread_create", "clone3", "CLONE_THREAD");
	model_thread_handle(m, 100, 102, 0x7000002d0);   /* pthread_t 0x700000000 */
	model_thread_handle(m, 100, 103, 0x7100002d0);
	model_thread_handle(m, 100, 104, 0x7200002d0);
	CHECK(model_thread_by_pthread(m, 100, 0x700000000) == 102);
	CHECK(model_thread_by_pthread(m, 100, 0x710000000) == 103);
	CHECK(model_thread_by_pthread(m, 100, 0x123) == 0);
	model_thread_joined(m, 100, 102);
	model_thread_detached(m, 100, 103);
	int tids[4];
	CHECK(model_never_joined(m, 100, tids, 4) == 1 && tids[0] == 104);
	/* a new thread in a reused pthread_t takes the handle over */
	model_death(m, 20, 102, EXITED(0));
	model_spawn(m, 21, 100, 105, 1, "pthread_create", "clone3", "CLONE_THREAD");
	model_thread_handle(m, 100, 105, 0x7000002d0);
	CHECK(model_thread_by_pthread(m, 100, 0x700000000) == 105);
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

int main(void)
{
	test_wait_reaps_zombie();
	test_ignored_sigchld_auto_reaps();
	test_nocldwait_auto_reaps();
	test_leaked_when_parent_dies();
	test_orphan_is_adopted_not_leaked();
	test_threads();
	test_exec_by_thread();
	test_non_reaping_waits();
	test_exec_resets_handlers();
	test_fork_inherits_dispositions();
	test_end_of_trace_leaks();
	test_sigchld_pending_and_handlers();
	test_blocked_and_stopped_states();
	test_join_and_detach_records();
	test_idmap_churn();
	printf("%d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
