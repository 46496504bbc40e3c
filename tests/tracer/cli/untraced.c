/* untraced CALL [escape | many N]: children made with CLONE_UNTRACED, which
 * asks the kernel to hide them from the tracer, through clone (CALL
 * "clone") or clone3 (CALL "clone3"), as fork would make them (no shared
 * memory, SIGCHLD at their end). Each child prints "child PID PPID
 * TRACERPID ERR": TracerPid from /proc/self/status (0 when nobody traces
 * it), and the errno of a sigaction() it makes (0 when it worked: a call
 * the tracer's seccomp filter stops fails with ENOSYS in a task that
 * nobody traces).
 *   (nothing)  one child exits 7; the parent waits for it and prints
 *              "reaped PID 7".
 *   escape     one child calls setsid() and sleeps 60 s; the parent exits
 *              at once, without waiting.
 *   many N     N children sleep 60 s each; the parent waits for them all. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILD_CODE 7
#define SLEEP_S 60

static long tracer_pid(void)
{
	char line[256];
	long t = -1;
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "TracerPid: %ld", &t) == 1)
			break;
	if (f)
		fclose(f);
	return t;
}

static pid_t spawn(const char *call)
{
	if (strcmp(call, "clone3") == 0) {
		struct clone_args ca;
		memset(&ca, 0, sizeof ca);
		ca.flags = CLONE_UNTRACED;
		ca.exit_signal = SIGCHLD;
		return (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
	}
	return (pid_t)syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
}

int main(int argc, char **argv)
{
	const char *call = argc > 1 ? argv[1] : "clone";
	const char *what = argc > 2 ? argv[2] : "";
	int escape = strcmp(what, "escape") == 0;
	int n = strcmp(what, "many") == 0 && argc > 3 ? atoi(argv[3]) : 1;
	setvbuf(stdout, NULL, _IONBF, 0);
	for (int i = 0; i < n; i++) {
		pid_t pid = spawn(call);
		if (pid < 0) {
			perror("untraced: clone");
			return 1;
		}
		if (pid == 0) {
			if (escape)
				setsid();
			struct sigaction sa;
			memset(&sa, 0, sizeof sa);
			sa.sa_handler = SIG_IGN;
			int err = sigaction(SIGUSR1, &sa, NULL) == 0 ? 0 : errno;
			printf("child %d %d %ld %d\n", getpid(), getppid(), tracer_pid(), err);
			if (*what)
				sleep(SLEEP_S);
			_exit(CHILD_CODE);
		}
	}
	if (escape)
		return 0;
	int st;
	pid_t pid;
	while ((pid = wait(&st)) > 0)
		printf("reaped %d %d\n", pid, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
