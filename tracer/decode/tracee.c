/*
 * tracee.c - reading a stopped tracee. process_vm_readv copies a whole
 * struct in one system call, where PTRACE_PEEKDATA would take one per word.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include "decode/call.h"
#include "decode/tracee.h"

int tracee_read(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len }, remote = { (void *)(uintptr_t)addr, len };
	if (!addr)
		return -1;
	return process_vm_readv(tid, &local, 1, &remote, 1, 0) == (ssize_t)len ? 0 : -1;
}

int call_read(const struct call *c, uint64_t addr, void *buf, size_t len)
{
	return tracee_read(c->tid, addr, buf, len);
}

int tracee_syscall_regs(pid_t tid, long *nr, uint64_t *arg0)
{
	struct user_regs_struct regs;
	if (ptrace(PTRACE_GETREGS, tid, 0, &regs) < 0)
		return -1;
	*nr = (long)regs.orig_rax;
	*arg0 = regs.rdi;
	return 0;
}

/* The auxiliary vector holds some 25 (type, value) pairs of 64 bits. */
#define AUXV_MAX_BYTES 4096
#define AUX_NULL 0
#define AUX_BASE 7

int tracee_dynamic(pid_t tid)
{
	char path[64];
	uint64_t aux[AUXV_MAX_BYTES / sizeof(uint64_t)];
	snprintf(path, sizeof path, "/proc/%d/auxv", tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, aux, sizeof aux);
	close(fd);
	/* A 32-bit program's pairs are of 32 bits: not read here. */
	if (n <= 0 || n % (2 * sizeof(uint64_t)) != 0)
		return -1;
	size_t pairs = (size_t)n / (2 * sizeof(uint64_t));
	if (aux[2 * (pairs - 1)] != AUX_NULL)
		return -1;
	for (size_t i = 0; i < pairs; i++)
		if (aux[2 * i] == AUX_BASE)
			return aux[2 * i + 1] != 0;
	return -1;
}

int tracee_exe(pid_t tid, char *buf, size_t size)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/exe", tid);
	ssize_t n = readlink(path, buf, size - 1);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

static ssize_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, size - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

int64_t tracee_cpu_ns(pid_t tid)
{
	char path[64], buf[96];
	snprintf(path, sizeof path, "/proc/%d/task/%d/schedstat", tid, tid);
	long long ns;
	if (read_file(path, buf, sizeof buf) <= 0 || sscanf(buf, "%lld", &ns) != 1 || ns < 0)
		return -1;
	return ns;
}

int tracee_argv(pid_t tid, char **bufp, const char ***argvp)
{
	char path[64];
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	*bufp = NULL;
	*argvp = NULL;
	snprintf(path, sizeof path, "/proc/%d/cmdline", tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || !buf) {
		if (fd >= 0)
			close(fd);
		free(buf);
		return -1;
	}
	for (;;) {   /* the whole argument area, however long (up to ARG_MAX) */
		if (len + 1 >= cap) {
			char *bigger = realloc(buf, cap *= 2);
			if (!bigger)
				break;
			buf = bigger;
		}
		ssize_t n = read(fd, buf + len, cap - len - 1);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	int argc = 0;
	for (size_t i = 0; i < len; i += strlen(buf + i) + 1)
		argc++;
	const char **argv = malloc(sizeof *argv * (size_t)(argc + 1));
	if (!argv) {
		free(buf);
		return -1;
	}
	argc = 0;
	for (size_t i = 0; i < len; i += strlen(buf + i) + 1)
		argv[argc++] = buf + i;
	argv[argc] = NULL;
	*bufp = buf;
	*argvp = argv;
	return argc;
}

int tracee_comm(pid_t pid, char *buf, size_t size)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/comm", pid);
	ssize_t n = read_file(path, buf, size);
	if (n <= 0)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* pidfd_getfd gives us our own copy of the server's socket, on which
 * getsockname tells the port the kernel picked for "port 0". */
int tracee_port(pid_t pid, int fd)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -1;
	int copy = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	close(pidfd);
	if (copy < 0)
		return -1;
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	int port = -1;
	if (getsockname(copy, (struct sockaddr *)&ss, &len) == 0) {
		if (ss.ss_family == AF_INET)
			port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		else if (ss.ss_family == AF_INET6)
			port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	}
	close(copy);
	return port;
}

char tracee_state(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if (read_file(path, buf, sizeof buf) <= 0)
		return 0;
	const char *paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' ? paren[2] : 0;
}

/* The ids in /proc/pid/stat after the state: ppid, pgrp, session. */
static int stat_ids(pid_t pid, char *state, pid_t *ppid, pid_t *pgrp, pid_t *session)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if (read_file(path, buf, sizeof buf) <= 0)
		return -1;
	const char *paren = strrchr(buf, ')');
	int p, g, s;
	if (!paren || sscanf(paren + 1, " %c %d %d %d", state, &p, &g, &s) != 4)
		return -1;
	*ppid = p, *pgrp = g, *session = s;
	return 0;
}

/* The kernel's will_become_orphaned_pgrp(), read from /proc: a group is
 * orphaned when none of its live members has a parent (other than init)
 * in another group of the same session, one that could continue it. */
int tracee_pgrp_orphaned(pid_t pid)
{
	char st;
	pid_t ppid, pgrp, session;
	if (stat_ids(pid, &st, &ppid, &pgrp, &session) < 0)
		return 0;
	DIR *d = opendir("/proc");
	struct dirent *de;
	int orphaned = 1;
	while (d && orphaned && (de = readdir(d))) {
		pid_t member = (pid_t)atoi(de->d_name), mppid, mpgrp, msession, ppgrp, psession, pp;
		char pst;
		if (member <= 0 || stat_ids(member, &st, &mppid, &mpgrp, &msession) < 0 ||
		    mpgrp != pgrp || st == 'Z' || mppid <= 1 ||
		    stat_ids(mppid, &pst, &pp, &ppgrp, &psession) < 0)
			continue;
		if (ppgrp != pgrp && psession == msession)
			orphaned = 0;
	}
	if (d)
		closedir(d);
	return orphaned;
}

pid_t tracee_tgid(pid_t tid)
{
	char path[64], buf[2048];
	snprintf(path, sizeof path, "/proc/%d/status", tid);
	if (read_file(path, buf, sizeof buf) <= 0)
		return -1;
	const char *line = strstr(buf, "\nTgid:");
	return line ? (pid_t)strtol(line + 6, NULL, 10) : -1;
}

pid_t tracee_ppid(pid_t pid)
{
	char path[64], buf[512];
	int ppid;
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if (read_file(path, buf, sizeof buf) <= 0)
		return -1;
	const char *paren = strrchr(buf, ')');   /* the name may hold spaces and ')' */
	return paren && sscanf(paren + 1, " %*c %d", &ppid) == 1 ? ppid : -1;
}

/* A signal set line of /proc/.../status ("SigPnd:\t0000000000000002"). */
static uint64_t status_mask(const char *status, const char *key)
{
	const char *line = strstr(status, key);
	return line ? strtoull(line + strlen(key), NULL, 16) : 0;
}

uint64_t tracee_deliverable(pid_t pid, pid_t tid)
{
	char path[96], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/task/%d/status", pid, tid);
	if (read_file(path, buf, sizeof buf) <= 0)
		return 0;
	return (status_mask(buf, "SigPnd:") | status_mask(buf, "ShdPnd:")) & ~status_mask(buf, "SigBlk:");
}

int tracee_sched(pid_t pid, pid_t tid, char *state, int64_t *switches)
{
	char path[96], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/task/%d/status", pid, tid);
	if (read_file(path, buf, sizeof buf) <= 0)
		return -1;
	const char *st = strstr(buf, "State:"), *vol = strstr(buf, "\nvoluntary_ctxt_switches:");
	if (!st || !vol)
		return -1;
	st += strlen("State:");
	while (*st == ' ' || *st == '\t')
		st++;
	*state = *st;
	*switches = strtoll(vol + strlen("\nvoluntary_ctxt_switches:"), NULL, 10);
	return 0;
}

int tracee_sig_pending(pid_t pid, int sig)
{
	char path[64], buf[2048];
	snprintf(path, sizeof path, "/proc/%d/status", pid);
	if (read_file(path, buf, sizeof buf) <= 0)
		return 0;
	const char *line = strstr(buf, "ShdPnd:");
	unsigned long long mask = line ? strtoull(line + 7, NULL, 16) : 0;
	return (mask >> (sig - 1)) & 1;
}
