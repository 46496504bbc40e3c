/* diag_reap_once: the classic bug. The SIGCHLD handler calls wait() once;
 * four children exit at about the same time, and (under --hold sigchld,
 * certainly) one signal stands for several exits. The parent then waits
 * 300 ms and exits. It prints "handler N reaped R" from its own counts,
 * the oracle of zombies-reaped-once-per-signal. With "never", there is
 * no handler and no wait at all (zombies-never-waited). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHILDREN 4

static volatile sig_atomic_t runs, reaped;

static void on_chld(int sig)
{
	(void)sig;
	runs++;
	if (wait(NULL) > 0)
		reaped++;
}

int main(int argc, char **argv)
{
	int never = argc > 1 && strcmp(argv[1], "never") == 0;
	if (!never)
		signal(SIGCHLD, on_chld);
	for (int i = 0; i < CHILDREN; i++)
		if (fork() == 0)
			_exit(0);
	struct timespec ts = { 0, 300 * 1000000L };
	while (nanosleep(&ts, &ts) != 0)
		;
	printf("handler %d reaped %d\n", (int)runs, (int)reaped);
	return 0;
}
