/*
 * escapes.c - the backstop for processes that escape the trace all the
 * same: a CLONE_UNTRACED that got through (another thread rewrote clone3's
 * flags after untraced.c took the flag out), or a way out that the filter
 * does not see. The kernel still shows them in /proc: in the children lists
 * of the traced tasks, and in the tracer's own once their parent has died
 * (the tracer is the child subreaper, so orphans come to it).
 *
 * One found there is seized, as a command is, and traced from then on: its
 * threads too, and its children (made untraced as well). So is a thread
 * of a traced process that nobody traces (/proc/PID/task). The trace says
 * so (a spawn with untraced "escaped"), it counts against --max-procs, and
 * it is killed with the tree. One found dead (a zombie) is told as it
 * ended. One that cannot be traced (another tracer has it) is killed on
 * sight.
 *
 * They are looked for every ESCAPE_SCAN_NS while the loop has stops to
 * handle, when no traced task is left (before the loop would wait for
 * untraced ones), before the tree is killed (--timeout, Ctrl-C,
 * --max-procs), and when a process whose threads called clone3 enters a
 * wait (it may be about to reap one, which would then leave no trace: so
 * each is found alive, or as a zombie with its exit status). Never when
 * attached (-p): the children a process already had are not the trace's.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "core/launch.h"
#include "core/stops.h"
#include "decode/tracee.h"

#define NS_PER_MS 1000000ull
/* How often to look, at most, while stops come. */
#define ESCAPE_SCAN_NS (250 * NS_PER_MS)
/* A look may take 1/SCAN_SHARE of the time between looks, no more (a
 * program with thousands of threads has thousands of lists to read). */
#define SCAN_SHARE 50
/* Seizing one shows its children and threads, untraced too: look again,
 * this many times at most in one go. */
#define ROUNDS_MAX 64
/* /proc/PID/stat: the fields after the name, counted from the state (3). */
#define STAT_FIRST_FIELD 3
#define STAT_PPID 4
#define STAT_EXIT_CODE 52

/* A /proc file, whole, NUL-terminated; NULL when it cannot be read. */
static char *read_whole(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t n;
	while (buf && (n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (cap - len <= 1) {
			char *more = realloc(buf, cap *= 2);
			if (!more)
				free(buf);
			buf = more;
		}
	}
	close(fd);
	if (buf)
		buf[len] = '\0';
	return buf;
}

/* Field `field` (1-based, as in proc(5)) of /proc/pid/stat, and its state. */
static int stat_field(pid_t pid, int field, char *state, long long *value)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	char *buf = read_whole(path), *p = buf ? strrchr(buf, ')') : NULL;
	/* p: the space before each field in turn (the name may hold spaces) */
	int ok = p && sscanf(++p, " %c", state) == 1;
	for (int i = STAT_FIRST_FIELD; ok && i < field; i++)
		ok = (p = strchr(p + 1, ' ')) != NULL;
	ok = ok && sscanf(p, " %lld", value) == 1;
	free(buf);
	return ok ? 0 : -1;
}

static pid_t tracer_of(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/status", pid);
	char *buf = read_whole(path), *line = buf ? strstr(buf, "\nTracerPid:") : NULL;
	pid_t tracer = line ? (pid_t)strtol(line + strlen("\nTracerPid:"), NULL, 10) : -1;
	free(buf);
	return tracer;
}

/* Kill pid, if it is still the child of parent: through a pidfd, so that
 * a pid used again meanwhile is not hit. */
static int kill_if_child(pid_t pid, pid_t parent)
{
	char state;
	long long ppid;
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0)
		return -1;
	int rc = -1;
	if (stat_field(pid, STAT_PPID, &state, &ppid) == 0 && ppid == parent)
		rc = (int)syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
	close(fd);
	return rc;
}

/* Seize the threads of traced process pid that nobody traces, until a
 * look finds none (one not seized yet may make another meanwhile). A
 * thread traced already, its clone not reported yet, refuses (EPERM). */
static int seize_threads(struct tracer *tr, pid_t pid, uint64_t t)
{
	char path[64];
	int found = 0;
	snprintf(path, sizeof path, "/proc/%d/task", pid);
	for (int round = 0, added = 1; added && round < ROUNDS_MAX; round++) {
		DIR *d = opendir(path);
		struct dirent *de;
		added = 0;
		while (d && (de = readdir(d))) {
			pid_t tid = atoi(de->d_name);
			if (tid > 0 && tid != pid && !model_pid_of(tr->m, tid) && tracer_seize_found(tid) == 0) {
				model_escaped(tr->m, t, pid, tid, NULL, 1);
				added++;
			}
		}
		if (d)
			closedir(d);
		found += added;
	}
	return found;
}

/* It lived and died untraced: how it ended is in its stat, while it is
 * a zombie (its parent cannot reap it meanwhile: it is stopped, or gone). */
static int found_dead(struct tracer *tr, pid_t c, pid_t parent_tid, const char *comm, uint64_t t)
{
	char state;
	long long status;
	if (stat_field(c, STAT_EXIT_CODE, &state, &status) != 0 || state != 'Z')
		return 0;
	model_escaped(tr->m, t, parent_tid, c, comm, 0);
	model_death(tr->m, t, c, (int)status);
	return 1;
}

/* Child c of the task parent_tid (of process parent; both 0: the tracer's
 * child). 1 if it had escaped and is known now. */
static int look_at(struct tracer *tr, pid_t c, pid_t parent, pid_t parent_tid, uint64_t t)
{
	enum tstate known = model_state(tr->m, c);
	if (known != T_NEW && known != T_REAPED)
		return 0;   /* traced, or dead and known to be */
	if (tr->hooks.helper && tr->hooks.helper(tr->hooks.ctx, c))
		return 0;   /* the lab runner's, untraced on purpose */
	pid_t me = getpid(), tracer = tracer_of(c);
	if (tracer == me || tracer < 0)
		return 0;   /* traced, its fork not reported yet; or gone */
	char state, comm[64];
	long long ppid;
	if (stat_field(c, STAT_PPID, &state, &ppid) != 0 || ppid != (parent ? parent : me))
		return 0;   /* not that child any more */
	if (tracee_comm(c, comm, sizeof comm) < 0)
		strcpy(comm, "?");
	if (state == 'Z')
		return found_dead(tr, c, parent_tid, comm, t);
	if (tracer == 0 && tracer_seize_found(c) == 0) {
		model_escaped(tr->m, t, parent_tid, c, comm, 0);
		seize_threads(tr, c, t);
		if (tr->killing)
			kill(c, SIGKILL);
		return 1;
	}
	if (tracer == 0 && errno != EPERM)
		return 0;   /* gone meanwhile */
	/* A zombie now (it died meanwhile); or another tracer has it, or it may
	 * not be traced (set-uid): then it may not run untraced either. */
	if (stat_field(c, STAT_PPID, &state, &ppid) == 0 && state == 'Z')
		return found_dead(tr, c, parent_tid, comm, t);
	if (kill_if_child(c, parent ? parent : me) == 0)
		tr->untraceable_killed++;
	return 0;
}

/* The children of task tid of process pid (0: the tracer). */
static int look_at_children(struct tracer *tr, pid_t pid, pid_t tid, uint64_t t)
{
	char path[96];
	pid_t me = getpid();
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", pid ? tid : me, pid ? tid : me);
	char *list = read_whole(path), *p = list, *end;
	int found = 0;
	for (long c; list && (c = strtol(p, &end, 10)) > 0; p = end)
		found += look_at(tr, (pid_t)c, pid, tid, t);
	free(list);
	return found;
}

struct tids {
	pid_t *v;
	int n, cap;
};

static void add_tid(pid_t tid, void *ctx)
{
	struct tids *l = ctx;
	if (l->n < l->cap)
		l->v[l->n++] = tid;
}

/* One look at the tracer's children, every traced task's, and the
 * threads of every traced process. */
static int look_once(struct tracer *tr, uint64_t t)
{
	struct tids l = { NULL, 0, model_live_tasks(tr->m) };
	if (l.cap && !(l.v = malloc((size_t)l.cap * sizeof *l.v)))
		return 0;
	model_each_task(tr->m, add_tid, &l);
	int found = look_at_children(tr, 0, 0, t);
	for (int i = 0; i < l.n; i++) {
		pid_t pid = model_pid_of(tr->m, l.v[i]);
		if (pid)
			found += look_at_children(tr, pid, l.v[i], t);
		if (pid && pid == l.v[i])
			found += seize_threads(tr, pid, t);
	}
	free(l.v);
	return found;
}

/* They count against --max-procs, as the traced ones do. */
static void count_them(struct tracer *tr, int found)
{
	if (found && !tr->killing && tr->max_procs && model_live_processes(tr->m) > tr->max_procs) {
		tr->limit = "max-procs";
		tr->kill_wanted = 1;   /* the loop kills the tree before it waits again */
	}
}

void escapes_find(struct tracer *tr, uint64_t t)
{
	if (tr->attached)
		return;
	int found = 0, more = 1;
	for (int round = 0; more && round < ROUNDS_MAX; round++)
		found += more = look_once(tr, t);
	count_them(tr, found);
}

void escapes_before_reap(struct tracer *tr, pid_t pid, uint64_t t)
{
	int found = 0;
	if (tr->attached)
		return;
	idmap_each(&tr->clone3_makers, i) {
		pid_t tid = tr->clone3_makers.slots[i].id;
		if ((pid_t)(intptr_t)tr->clone3_makers.slots[i].val == pid && model_pid_of(tr->m, tid) == pid)
			found += look_at_children(tr, pid, tid, t);
	}
	count_them(tr, found);
}

void escapes_tick(struct tracer *tr, uint64_t t)
{
	if (t < tr->escapes_next || tr->attached)
		return;
	uint64_t start = tracer_now(tr);
	escapes_find(tr, t);
	uint64_t cost = tracer_now(tr) - start;
	tr->escapes_next = t + (cost * SCAN_SHARE > ESCAPE_SCAN_NS ? cost * SCAN_SHARE : ESCAPE_SCAN_NS);
}

void escapes_before_wait(struct tracer *tr)
{
	if (model_live_tasks(tr->m) == 0)
		escapes_find(tr, tracer_now(tr));
}
