/* sigint_forks: on SIGINT (its handler notes it) it forks a child that
 * naps and exits 0, waits for it and says how it ended ("child exited 0"
 * or "child killed by signal N"), then exits 3. Prints "ready" once the
 * handler is set. A child made after the SIGINT must not get it. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How long the child naps: time for a stray SIGINT to reach it. */
#define NAP_MS 200

static volatile sig_atomic_t got;

static void on_sigint(int sig)
{
	(void)sig;
	got = 1;
}

int main(void)
{
	sigset_t block, old;
	int status;
	struct sigaction sa = { .sa_handler = on_sigint };
	sigaction(SIGINT, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old);
	printf("ready\n");
	fflush(stdout);
	while (!got)
		sigsuspend(&old);
	pid_t child = fork();
	if (child == 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		struct timespec nap = { 0, NAP_MS * 1000000L };
		nanosleep(&nap, NULL);
		_exit(0);
	}
	if (waitpid(child, &status, 0) != child)
		return 1;
	if (WIFSIGNALED(status))
		printf("child killed by signal %d\n", WTERMSIG(status));
	else
		printf("child exited %d\n", WEXITSTATUS(status));
	return 3;
}
