/*
 * launch.c - how tracing begins.
 *
 * Starting a command: fork; the child waits on a pipe until the tracer has
 * seized it (PTRACE_SEIZE, with EXITKILL so that the tree dies if the
 * tracer does), then installs the seccomp filter and execs. Seizing a
 * running child needs no stop at all, and nothing before the exec is traced.
 *
 * Attaching: seize every thread of the process, then interrupt each one
 * so it stops and the loop can start. A running process cannot be given a
 * seccomp filter from outside, so an attached trace stops at every syscall
 * and filters in the tracer: slower, but the same events.
 */
#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <poll.h>
#include <unistd.h>
#include "common/lang.h"
#include "core/filter.h"
#include "core/launch.h"
#include "decode/call.h"
#include "decode/tracee.h"

/* Find argv[0] as execvp would, so a typo is reported before anything runs. */
int launch_check(char *const *argv, char *path, size_t size)
{
	const char *cmd = argv[0];
	struct stat st;
	if (strchr(cmd, '/')) {
		snprintf(path, size, "%s", cmd);
	} else {
		const char *dirs = getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin";
		path[0] = '\0';
		while (*dirs) {
			size_t n = strcspn(dirs, ":");
			snprintf(path, size, "%.*s/%s", (int)n, n ? dirs : ".", cmd);
			if (access(path, X_OK) == 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode))
				break;
			path[0] = '\0';
			dirs += n + (dirs[n] == ':');
		}
		if (!path[0]) {
			fprintf(stderr, _("trace: no such command '%s': check the name, or give its path (./%s)\n"), cmd, cmd);
			return 2;
		}
	}
	if (stat(path, &st) != 0) {
		fprintf(stderr, _("trace: no such file '%s': check the path, or build it first (make)\n"), path);
		return 2;
	}
	if (S_ISDIR(st.st_mode) || access(path, X_OK) != 0) {
		fprintf(stderr, _("trace: '%s' is not an executable file: build it, or chmod +x it\n"), path);
		return 2;
	}
	return 0;
}

/* How long to wait for the command's execve to be done, one way or the
 * other, before the loop starts. A signal stop before the exec could hold
 * it longer: then the loop starts anyway, and the root's death tells. */
#define EXEC_WAIT_MS 5000

/* Did the execve in the child work? The child writes its errno to fd when
 * it fails; fd closes with nothing in it when the exec succeeds. On a
 * failure: one line, the child reaped, and 2 (a file that cannot run is
 * the user's to mend, like a missing one). */
int launch_outcome(struct tracer *tr, const struct launched *l)
{
	pid_t child = l->child;
	int fd = l->failed_fd;
	const char *path = l->path;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int err = 0, status;
	if (poll(&p, 1, EXEC_WAIT_MS) == 1 && read(fd, &err, sizeof err) == sizeof err) {
		if (err == EACCES && tr->run_as.set)
			fprintf(stderr, _("trace: cannot run %s as user %u: %s: that user must be able to "
				"enter its folders and read and run the file\n"), path,
				(unsigned)tr->run_as.uid, strerror(err));
		else
			fprintf(stderr, _("trace: cannot run %s: %s: is it a program for this machine, "
				"or a script with a right #! line?\n"), path, strerror(err));
		kill(child, SIGKILL);
		while (waitpid(child, &status, __WALL) < 0 && errno == EINTR)
			;
		tr->root = 0;
	}
	close(fd);
	return err ? 2 : 0;
}

int launch_command(struct tracer *tr, char *const *argv, const char *path, struct launched *l)
{
	int go[2], failed[2];
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(failed, O_CLOEXEC) < 0) {
		perror("trace: pipe");
		return 1;
	}
	pid_t parent = getpid();
	pid_t child = fork();
	if (child < 0) {
		perror("trace: fork");
		return 1;
	}
	if (child == 0) {
		char c;
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		close(go[1]);
		close(failed[0]);
		if (read(go[0], &c, 1) != 1)
			_exit(127);   /* the tracer gave up on us */
		/* Undo what the tracer set for itself. */
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGALRM, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		signal(SIGUSR2, SIG_DFL);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* The hook that reports pthread_join/detach, if it was built. */
		if (tr->preload) {
			const char *old = getenv("LD_PRELOAD");
			char preload[8400];
			snprintf(preload, sizeof preload, "%s%s%s", tr->preload, old && *old ? ":" : "", old ? old : "");
			setenv("LD_PRELOAD", preload, 1);
		}
		/* Into the cgroups first: joining one takes root, which the
		 * drop below gives up. */
		const char *refused;
		if (cgroups_join(&tr->cgroups, &refused) != 0) {
			fprintf(stderr, _("trace: cannot put the program in the cgroup %s: %s\n"),
				refused, strerror(errno));
			_exit(127);
		}
		if (run_as_drop(&tr->run_as, tr->max_procs) != 0) {
			fprintf(stderr, _("trace: cannot run the program as user %u: %s\n"),
				(unsigned)tr->run_as.uid, strerror(errno));
			_exit(127);
		}
		if (filter_install(tr->classes, !tr->show_calls, tr->time_spawns) != 0) {
			fprintf(stderr, _("trace: cannot install the seccomp filter: is seccomp enabled in this kernel?\n"));
			_exit(127);
		}
		lang_child_env();   /* the program's environment, as the user gave it */
		execv(path, argv);
		/* The tracer says it (failed[] closes by itself on a good exec). */
		int err = errno;
		if (write(failed[1], &err, sizeof err) != sizeof err)
			_exit(127);
		_exit(127);
	}
	close(go[0]);
	close(failed[1]);
	if (ptrace(PTRACE_SEIZE, child, 0, TRACE_OPTIONS | PTRACE_O_EXITKILL) < 0) {
		fprintf(stderr, _("trace: ptrace is not permitted here (%s): in a container, allow ptrace (CAP_SYS_PTRACE, a seccomp profile that allows it)\n"), strerror(errno));
		kill(child, SIGKILL);
		return 2;
	}
	tr->root = child;
	tracer_started(tr, argv[0]);
	if (write(go[1], "g", 1) != 1) {
		kill(child, SIGKILL);
		close(failed[0]);
		return 1;
	}
	close(go[1]);
	*l = (struct launched){ child, failed[0], path };
	return 0;
}

/* Why a seize failed, in words a student can act on. */
static void attach_error(pid_t pid, int err)
{
	char path[64], line[256];
	long tracer = 0;
	snprintf(path, sizeof path, "/proc/%d/status", pid);
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "TracerPid: %ld", &tracer) == 1)
			break;
	if (f)
		fclose(f);
	if (tracer > 0)
		fprintf(stderr, _("trace: cannot attach to %d: it is already traced by process %ld (a debugger or strace?); stop that one first\n"), pid, tracer);
	else if (err == EPERM)
		fprintf(stderr, _("trace: cannot attach to %d: not permitted; run as its owner or as root (and see /proc/sys/kernel/yama/ptrace_scope)\n"), pid);
	else
		fprintf(stderr, _("trace: cannot attach to %d: %s\n"), pid, strerror(err));
}

int launch_attach(struct tracer *tr, pid_t pid)
{
	char path[64], comm[64];
	snprintf(path, sizeof path, "/proc/%d/task", pid);
	DIR *d = opendir(path);
	if (!d || kill(pid, 0) != 0) {
		if (d)
			closedir(d);
		fprintf(stderr, _("trace: no such process %d: check the pid with ps\n"), pid);
		return 2;
	}
	if (tracee_comm(pid, comm, sizeof comm) < 0)
		strcpy(comm, "?");
	tr->root = pid;
	tr->attached = 1;
	tr->seccomp = 0;
	if (ptrace(PTRACE_SEIZE, pid, 0, TRACE_OPTIONS) < 0) {
		attach_error(pid, errno);
		closedir(d);
		return 2;
	}
	tracer_started(tr, comm);
	ptrace(PTRACE_INTERRUPT, pid, 0, 0);
	struct dirent *de;
	while ((de = readdir(d))) {
		pid_t tid = atoi(de->d_name);
		if (tid <= 0 || tid == pid)
			continue;
		if (ptrace(PTRACE_SEIZE, tid, 0, TRACE_OPTIONS) == 0) {
			model_attach_thread(tr->m, tracer_now(tr), pid, tid);
			ptrace(PTRACE_INTERRUPT, tid, 0, 0);
		}
	}
	closedir(d);
	return 0;
}
