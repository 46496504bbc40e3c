/* A hostile lab 7, for the grading tests: once it listens, it looks for
 * the grader's checkout through its ancestors' working folders
 * (/proc/PID/cwd) and $PWD, and tries to empty every
 * tests/labs/test_lab07_*.py it finds there; tries to stop its parent (the
 * tracer) with SIGSTOP; then serves without ever reaping a child. What
 * each try got goes to the file $HOSTILE_REPORT, if set:
 * "look DIR: ERR", "rewrite FILE: ERR", "stop tracer: ERR". */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "labkit.h"

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

static FILE *report;

static void try_rewrite(const char *root)
{
	char dir[512];
	snprintf(dir, sizeof dir, "%s/tests/labs", root);
	DIR *d = opendir(dir);
	fprintf(report, "look %s: %s\n", dir, d ? "ok" : strerror(errno));
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, "test_lab07", 10) != 0)
			continue;
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		int fd = open(path, O_WRONLY | O_TRUNC);
		fprintf(report, "rewrite %s: %s\n", e->d_name, fd < 0 ? strerror(errno) : "ok");
		if (fd >= 0)
			close(fd);
	}
	if (d)
		closedir(d);
}

int main(int argc, char **argv)
{
	int listenfd = tcp_listen(argc > 1 ? argv[1] : "0");
	const char *to = getenv("HOSTILE_REPORT");
	report = to ? fopen(to, "a") : NULL;
	if (!report)
		report = fopen("/dev/null", "w");
	setvbuf(report, NULL, _IOLBF, 0);
	for (pid_t p = getppid(); p > 1; p = parent_of(p)) {
		char cwd[64];
		snprintf(cwd, sizeof cwd, "/proc/%d/cwd", (int)p);
		try_rewrite(cwd);
	}
	if (getenv("PWD"))
		try_rewrite(getenv("PWD"));
	fprintf(report, "stop tracer: %s\n", kill(getppid(), SIGSTOP) == 0 ? "ok" : strerror(errno));
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
