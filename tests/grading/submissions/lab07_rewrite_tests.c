/* A hostile lab 7 for a class run (tests/grading/test_grading_hostile.py):
 * once it listens, it looks for the grader's checkout every way it can --
 * its ancestors' working folders and programs (/proc/PID/cwd, the folder
 * of /proc/PID/exe: the tracer's), $PWD, and each $PYTHONPATH entry and
 * its parent -- and tries to replace tests/labs/test_lab07_waitpid_loop.py
 * there with a test that always passes: written over, or a new file
 * renamed over it. Then it serves without ever reaping a child. Each try
 * and what it got goes to $HOSTILE_REPORT, if set:
 * "uid N", "rewrite PATH: ERR", "replace PATH: ERR". */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "labkit.h"

static const char EMPTY_TESTS[] = "def test_nothing_to_check():\n    pass\n";
static FILE *report;

static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *paren = strrchr(buf, ')');
	int ppid = 0;
	return paren && sscanf(paren + 2, "%*c %d", &ppid) == 1 ? (pid_t)ppid : 0;
}

static const char *result(int ok) { return ok ? "ok" : strerror(errno); }

static void try_root(const char *root)
{
	char target[PATH_MAX], fresh[PATH_MAX];
	snprintf(target, sizeof target, "%s/tests/labs/test_lab07_waitpid_loop.py", root);
	int fd = open(target, O_WRONLY | O_TRUNC);
	int ok = fd >= 0 && write(fd, EMPTY_TESTS, sizeof EMPTY_TESTS - 1) > 0;
	fprintf(report, "rewrite %s: %s\n", target, result(ok));
	if (fd >= 0)
		close(fd);
	snprintf(fresh, sizeof fresh, "%s/tests/labs/.test_lab07_new.py", root);
	fd = open(fresh, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ok = fd >= 0 && write(fd, EMPTY_TESTS, sizeof EMPTY_TESTS - 1) > 0 && rename(fresh, target) == 0;
	fprintf(report, "replace %s: %s\n", target, result(ok));
	if (fd >= 0)
		close(fd);
}

static void try_the_folder_of(const char *link)
{
	char path[PATH_MAX];
	ssize_t n = readlink(link, path, sizeof path - 1);
	if (n < 0) {
		fprintf(report, "look %s: %s\n", link, strerror(errno));
		return;
	}
	path[n] = '\0';
	try_root(dirname(path));
}

int main(int argc, char **argv)
{
	int listenfd = tcp_listen(argc > 1 ? argv[1] : "0");
	const char *to = getenv("HOSTILE_REPORT");
	report = to ? fopen(to, "a") : NULL;
	if (!report)
		report = fopen("/dev/null", "w");
	setvbuf(report, NULL, _IOLBF, 0);
	fprintf(report, "uid %d\n", (int)getuid());
	for (pid_t p = getppid(); p > 1; p = parent_of(p)) {
		char link[64];
		snprintf(link, sizeof link, "/proc/%d/cwd", (int)p);
		try_root(link);
		snprintf(link, sizeof link, "/proc/%d/exe", (int)p);
		try_the_folder_of(link);
	}
	if (getenv("PWD"))
		try_root(getenv("PWD"));
	char *paths = getenv("PYTHONPATH") ? strdup(getenv("PYTHONPATH")) : NULL;
	for (char *entry = paths ? strtok(paths, ":") : NULL; entry; entry = strtok(NULL, ":")) {
		try_root(entry);
		try_root(dirname(entry));
	}
	free(paths);
	for (;;) {
		int connfd = accept(listenfd, NULL, NULL);
		if (connfd < 0)
			continue;
		if (fork() == 0) {
			close(listenfd);
			while (echo_once(connfd) > 0)
				;
			_exit(0);
		}
		close(connfd);
	}
}
