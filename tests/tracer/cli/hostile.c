/* hostile: what a graded program might try against its grader. It prints
 * one line per try, with what the kernel said:
 *   "uid N"                    who it runs as
 *   "nproc N"                  its RLIMIT_NPROC ("unlimited" if none)
 *   "stop tracer: ERR"         kill(getppid(), SIGSTOP): its parent is the tracer
 *   "write FILE: ERR"          open FILE (argv[1]) for writing
 *   "kill -1: ERR"             kill(-1, SIGKILL), with a child of its own asleep
 *   "child killed by N"        what became of that child
 * ERR is "ok" or the errno's name. Run it only under --user, and inside a
 * PID namespace (unshare -fp): as root, kill(-1) kills every process. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *err(int rc)
{
	return rc == 0 ? "ok" : errno == EPERM ? "EPERM" : errno == EACCES ? "EACCES" : strerror(errno);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 2)
		return 2;
	printf("uid %d\n", (int)getuid());
	struct rlimit rl;
	if (getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		printf("nproc %llu\n", (unsigned long long)rl.rlim_cur);
	else
		printf("nproc unlimited\n");
	printf("stop tracer: %s\n", err(kill(getppid(), SIGSTOP)));
	int fd = open(argv[1], O_WRONLY | O_TRUNC);
	printf("write %s: %s\n", argv[1], err(fd < 0 ? -1 : 0));
	pid_t kid = fork();
	if (kid == 0) {
		sleep(30);
		_exit(0);
	}
	printf("kill -1: %s\n", err(kill(-1, SIGKILL)));
	int st = 0;
	waitpid(kid, &st, 0);
	printf("child killed by %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	return 0;
}
