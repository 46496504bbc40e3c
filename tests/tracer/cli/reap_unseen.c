/* reap_unseen: two children exit; the first is reaped by a waitpid whose
 * status pointer is bad (it returns EFAULT, yet reaps), the second by a
 * waitid with no siginfo to fill (it returns 0 and reaps). It prints, for
 * each, "gone PID" when kill(PID, 0) says the child no longer exists. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t child(void)
{
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	return pid;
}

static void report(pid_t pid)
{
	if (kill(pid, 0) < 0 && errno == ESRCH)
		printf("gone %d\n", pid);
}

int main(void)
{
	pid_t a = child(), b = child();
	usleep(100000);   /* both are zombies now */
	int r = waitpid(a, (int *)8, 0);
	printf("waitpid %d %s\n", r, r < 0 && errno == EFAULT ? "EFAULT" : "?");
	report(a);
	r = (int)syscall(SYS_waitid, P_PID, b, NULL, WEXITED, NULL);
	printf("waitid %d\n", r);
	report(b);
	return 0;
}
