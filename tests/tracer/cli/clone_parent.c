/* clone_parent: the first process forks a middle child, which makes a
 * sibling of itself with clone(CLONE_PARENT) and exits. The first process
 * reaps both with waitpid(-1) and prints each pid it reaped; the sibling
 * prints "parent PID" from getppid(). */
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/sched.h>

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	pid_t middle = fork();
	if (middle == 0) {
		pid_t sib = (pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
		if (sib == 0) {
			printf("parent %d\n", getppid());
			usleep(50000);
			_exit(0);
		}
		_exit(0);
	}
	for (int i = 0; i < 2; i++)
		printf("reaped %d\n", waitpid(-1, NULL, 0));
	printf("me %d\n", getpid());
	return 0;
}
