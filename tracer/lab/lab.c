/*
 * lab.c - labs as scenarios.
 *
 * A lab folder holds its program and lab.conf, which says how to run it:
 *
 *     program = lab03            the binary, built in the folder by make
 *     args    = 0                its arguments (port 0: the kernel picks)
 *     ready   = listen           start the load when listen() succeeds (UDP: bind)
 *     load    = --clients 5      the load generator's options (--port is added)
 *     stop    = SIGTERM          sent to the server when the load is done, or none
 *     classes = process,signal   which calls stop the server
 *     hold    = sigchld          arrange the SIGCHLD race (hold.h)
 *
 *     [thread]                   a variant: `./trace lab10 thread` reads the
 *     args    = 0 thread         lines above, then these over them
 *
 * The load generator is started by the tracer itself, not by the server,
 * so it is never traced: the trace shows the server's life alone.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "decode/call.h"
#include "lab/lab.h"
#include "core/loop.h"
#include "common/names.h"
#include "decode/tracee.h"

/* The kit is the nearest folder, from ./trace's own upwards, that holds
 * labs/ (so a build in build/asan/ finds the same labs). */
const char *kit_root(void)
{
	static char root[PATH_MAX];
	char probe[PATH_MAX + 16];
	if (root[0])
		return root;
	ssize_t n = readlink("/proc/self/exe", root, sizeof root - 1);
	root[n > 0 ? n : 0] = '\0';
	for (int up = 0; up < 4; up++) {
		char *slash = strrchr(root, '/');
		if (!slash || slash == root)
			break;
		*slash = '\0';
		snprintf(probe, sizeof probe, "%s/labs", root);
		if (access(probe, F_OK) == 0)
			return root;
	}
	n = readlink("/proc/self/exe", root, sizeof root - 1);
	root[n > 0 ? n : 0] = '\0';
	char *slash = strrchr(root, '/');
	if (slash)
		*slash = '\0';
	return root;
}

int lab_is_name(const char *word)
{
	return strncmp(word, "lab", 3) == 0 && word[3] >= '0' && word[3] <= '9' && !strchr(word, '/');
}

/* "lab3", "lab03" and "lab03-select" all name labs/lab03-select. */
static int lab_matches(const char *folder, const char *name)
{
	if (strcmp(folder, name) == 0)
		return 1;
	int want = atoi(name + 3), have = atoi(folder + 3);
	const char *dash = strchr(name, '-');
	return lab_is_name(folder) && want == have && !dash;
}

/* $TRACELAB_LABS points at another folder of labs (a student's copy, for
 * grading); by default the kit's own labs/. */
static int labs_dir(char *buf, size_t size)
{
	const char *env = getenv("TRACELAB_LABS");
	if (env && *env)
		return snprintf(buf, size, "%s", env) < (int)size ? 0 : -1;
	return snprintf(buf, size, "%s/labs", kit_root()) < (int)size ? 0 : -1;
}

/* Split s in place on blanks into words; returns the count. */
static int split(char *s, char **words, int max)
{
	int n = 0;
	for (char *w = strtok(s, " \t"); w && n < max - 1; w = strtok(NULL, " \t"))
		words[n++] = w;
	words[n] = NULL;
	return n;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

static int parse_conf(struct lab *lab, FILE *f)
{
	char line[512], args[512] = "", load[512] = "";
	size_t used = 0;
	int in_variant = 0, found = !lab->variant[0];
	lab->classes = CLS_DEFAULT;
	strcpy(lab->ready, "listen");
	lab->stop_sig = SIGTERM;
	lab->variants[0] = '\0';
	while (fgets(line, sizeof line, f)) {
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *word = trim(line);
		if (word[0] == '[') {
			/* A variant's section: only the chosen one is read. */
			word[strcspn(word, "]")] = '\0';
			word++;
			size_t n = strlen(lab->variants);
			snprintf(lab->variants + n, sizeof lab->variants - n, "%s%s", n ? ", " : "", word);
			in_variant = 1;
			if (strcmp(word, lab->variant) == 0)
				found = 1, in_variant = 0;
			continue;
		}
		if (in_variant)
			continue;
		char *eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = '\0';
		char *key = trim(line), *val = trim(eq + 1);
		char bad[32];
		if (strcmp(key, "program") == 0) {
			snprintf(lab->program, sizeof lab->program, "%s/%s", lab->dir, val);
		} else if (strcmp(key, "args") == 0) {
			snprintf(args, sizeof args, "%s", val);
		} else if (strcmp(key, "load") == 0) {
			snprintf(load, sizeof load, "%s", val);
		} else if (strcmp(key, "ready") == 0) {
			snprintf(lab->ready, sizeof lab->ready, "%s", val);
		} else if (strcmp(key, "stop") == 0) {
			lab->stop_sig = strcmp(val, "none") == 0 ? 0 : sig_number(val);
			if (lab->stop_sig < 0) {
				fprintf(stderr, "trace: %s/lab.conf: stop = %s is not a signal: use a name like SIGTERM, or none\n", lab->dir, val);
				return 2;
			}
		} else if (strcmp(key, "classes") == 0) {
			lab->classes = cls_parse(val, bad, sizeof bad);
			if (lab->classes < 0) {
				fprintf(stderr, "trace: %s/lab.conf: unknown class '%s': use process, signal, wait, mux, io or all\n", lab->dir, bad);
				return 2;
			}
		} else if (strcmp(key, "hold") == 0) {
			lab->hold_sigchld = strcmp(val, "sigchld") == 0;
		}
	}
	if (!found) {
		fprintf(stderr, "trace: %s has no variant '%s': %s%s\n", lab->name, lab->variant,
			lab->variants[0] ? "its variants are " : "it has none", lab->variants);
		return 2;
	}
	if (!lab->program[0]) {
		fprintf(stderr, "trace: %s/lab.conf has no 'program = ...' line: add one\n", lab->dir);
		return 2;
	}
	/* argv: the program, then its args; load: the generator, --port later. */
	int n = snprintf(lab->strings, sizeof lab->strings, "%s", args);
	used = (size_t)n + 1;
	lab->argv[0] = lab->program;
	split(lab->strings, lab->argv + 1, 30);
	snprintf(lab->strings + used, sizeof lab->strings - used, "%s", load);
	split(lab->strings + used, lab->load, 32);
	lab->classes |= CLS_READY;
	return 0;
}

int lab_load(struct lab *lab, const char *name, const char *variant)
{
	char root[PATH_MAX + 16];
	memset(lab, 0, sizeof *lab);
	snprintf(lab->variant, sizeof lab->variant, "%s", variant ? variant : "");
	labs_dir(root, sizeof root);
	DIR *d = opendir(root);
	if (!d) {
		fprintf(stderr, "trace: no labs folder at %s: run ./trace from the kit, or trace a command with ./trace -- CMD\n", root);
		return 2;
	}
	struct dirent *de;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && lab_matches(de->d_name, name)) {
			snprintf(lab->name, sizeof lab->name, "%s", de->d_name);
			break;
		}
	closedir(d);
	if (!lab->name[0]) {
		fprintf(stderr, "trace: no lab named '%s': ./trace --list shows the labs\n", name);
		return 2;
	}
	snprintf(lab->dir, sizeof lab->dir, "%s/%s", root, lab->name);
	char conf[2 * PATH_MAX];
	snprintf(conf, sizeof conf, "%s/lab.conf", lab->dir);
	FILE *f = fopen(conf, "r");
	if (!f) {
		fprintf(stderr, "trace: %s has no lab.conf: add one (see docs/instructors.md)\n", lab->dir);
		return 2;
	}
	int rc = parse_conf(lab, f);
	fclose(f);
	if (rc)
		return rc;
	if (access(lab->program, X_OK) != 0) {
		fprintf(stderr, "trace: %s is not built: run `make lab%d` first\n", lab->name, atoi(lab->name + 3));
		return 2;
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int lab_list(void)
{
	char root[PATH_MAX + 16], *names[128];
	int n = 0;
	labs_dir(root, sizeof root);
	DIR *d = opendir(root);
	if (!d) {
		fprintf(stderr, "trace: no labs folder at %s\n", root);
		return 2;
	}
	struct dirent *de;
	while ((de = readdir(d)) && n < 128)
		if (lab_is_name(de->d_name))
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, (size_t)n, sizeof *names, by_name);
	for (int i = 0; i < n; i++) {
		/* The title is the README's first heading. */
		char path[2 * PATH_MAX], line[256] = "";
		snprintf(path, sizeof path, "%s/%s/README.md", root, names[i]);
		FILE *f = fopen(path, "r");
		if (f) {
			if (!fgets(line, sizeof line, f))
				line[0] = '\0';
			fclose(f);
		}
		char *title = trim(line);
		while (*title == '#' || *title == ' ')
			title++;
		snprintf(path, sizeof path, "%s/%s/lab.conf", root, names[i]);
		int built = 1;
		struct lab lab;
		memset(&lab, 0, sizeof lab);
		snprintf(lab.dir, sizeof lab.dir, "%s/%s", root, names[i]);
		FILE *c = fopen(path, "r");
		if (c) {
			if (parse_conf(&lab, c) == 0 && access(lab.program, X_OK) != 0)
				built = 0;
			fclose(c);
		}
		printf("lab%-3d %-28s %s", atoi(names[i] + 3), names[i], title);
		if (lab.variants[0])
			printf("  (variants: %s)", lab.variants);
		if (!built)
			printf("  (not built: make lab%d)", atoi(names[i] + 3));
		putchar('\n');
		free(names[i]);
	}
	return 0;
}

/* How long the server may take to settle after the load before it is
 * stopped anyway: a bound, never a wait that a correct lab needs. */
#define STOP_GRACE_NS 2000000000ull

static void on_wakeup(int sig) { (void)sig; }

/* A one-shot timer whose signal interrupts the loop's waitpid at the
 * deadline, so that the check above runs even if nothing else happens. */
static void arm_wakeup(void)
{
	static timer_t timer;
	static int made;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_wakeup;
	sigaction(SIGUSR2, &sa, NULL);
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR2 };
	if (!made && timer_create(CLOCK_MONOTONIC, &sev, &timer) == 0)
		made = 1;
	struct itimerspec its = { .it_value = { STOP_GRACE_NS / 1000000000ull + 0, 10000000 } };
	if (made)
		timer_settime(timer, 0, &its, NULL);
}

static void emit_lab(struct tracer *tr, uint64_t t, const char *what, const char *key, int64_t v)
{
	struct event e = { .type = EV_LAB, .t = t, .pid = tr->root, .tid = tr->root };
	struct arena a;
	arena_reset(&a);
	fs_str(&e.f, &a, "what", what);
	if (key)
		fs_int(&e.f, key, v);
	model_emit(tr->m, &e);
}

void lab_ready(struct tracer *tr, pid_t pid, const char *call, int fd, uint64_t t)
{
	struct lab *lab = tr->lab;
	if (lab->ready_seen || pid != tr->root || strcmp(call, lab->ready) != 0)
		return;
	lab->ready_seen = 1;
	lab->port = tracee_port(pid, fd);
	emit_lab(tr, t, "ready", "port", lab->port);

	char gen[PATH_MAX + 32], port[16];
	snprintf(gen, sizeof gen, "%s/kit/loadgen/loadgen", kit_root());
	snprintf(port, sizeof port, "%d", lab->port);
	char *argv[40];
	int n = 0;
	argv[n++] = gen;
	argv[n++] = "--port";
	argv[n++] = port;
	for (int i = 0; lab->load[i] && n < 39; i++)
		argv[n++] = lab->load[i];
	argv[n] = NULL;

	pid_t child = fork();
	if (child == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, 1);
		execv(gen, argv);
		fprintf(stderr, "trace: cannot run the load generator %s: %s: run `make` first\n", gen, strerror(errno));
		_exit(127);
	}
	lab->loadgen = child > 0 ? child : 0;
	emit_lab(tr, t, "load-start", "pid", child);
}

int lab_owns(struct tracer *tr, pid_t pid, int status, uint64_t t)
{
	struct lab *lab = tr->lab;
	if (!lab->loadgen || pid != lab->loadgen)
		return 0;
	if (!WIFEXITED(status) && !WIFSIGNALED(status))
		return 1;
	lab->loadgen = 0;
	emit_lab(tr, t, "load-done", "exit", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	if (lab->stop_sig && !tr->root_done && !tr->killing) {
		lab->stop_pending = 1;
		lab->stop_deadline = t + STOP_GRACE_NS;
		arm_wakeup();
		lab_check_stop(tr, t);
	}
	return 1;
}

/* Is the server done with the load? No child alive, no SIGCHLD on its way,
 * no handler running, no thread but main: then stopping it now cuts no
 * lesson short (a SIGCHLD handler that has not run yet would look like a
 * leaked zombie). */
static int server_quiet(const struct tracer *tr)
{
	const struct proc *p = model_proc(tr->m, tr->root);
	if (!p || p->exited)
		return 1;
	if (model_live_children(tr->m, tr->root) || p->sigchld_pending || p->live_threads > 1)
		return 0;
	idmap_each(&tr->m->tasks, i) {
		const struct task *k = tr->m->tasks.slots[i].val;
		if (k->pid == tr->root && k->in_handler)
			return 0;
	}
	return 1;
}

void lab_check_stop(struct tracer *tr, uint64_t t)
{
	struct lab *lab = tr->lab;
	if (lab->loadgen && tr->root_done && lab->loadgen_deadline && t >= lab->loadgen_deadline)
		kill(lab->loadgen, SIGKILL);   /* the server is gone and it still talks to it */
	if (!lab->stop_pending || tr->killing)
		return;
	if (tr->root_done || tr->root_dying) {   /* it ends by itself, or of a fatal signal */
		lab->stop_pending = 0;
		return;
	}
	if (!server_quiet(tr) && t < lab->stop_deadline)
		return;
	lab->stop_pending = 0;
	kill(tr->root, lab->stop_sig);
	emit_lab(tr, t, "stop", "sig", lab->stop_sig);
}

/* The server is gone: the load generator is finishing, or failing to
 * connect (lab 10's crash). Give it the grace period to end by itself. */
void lab_root_gone(struct tracer *tr, uint64_t t)
{
	if (tr->lab && tr->lab->loadgen) {
		tr->lab->loadgen_deadline = t + STOP_GRACE_NS;
		arm_wakeup();
	}
}

void lab_kill(struct tracer *tr)
{
	if (tr->lab && tr->lab->loadgen)
		kill(tr->lab->loadgen, SIGKILL);
}
