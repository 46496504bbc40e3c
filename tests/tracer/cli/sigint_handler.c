/* sigint_handler: a program with its own SIGINT handler, which counts.
 * Prints "ready" once the handler is set; after the first SIGINT it waits
 * a moment for more, prints how many came ("got SIGINT x1") and exits 3.
 * Its own report, for the Ctrl-C tests: the handler ran, and how often. */
#include <signal.h>
#include <stdio.h>
#include <time.h>

/* How long it waits, after the first SIGINT, for another one. */
#define MORE_MS 300

static volatile sig_atomic_t count;

static void on_sigint(int sig)
{
	(void)sig;
	count++;
}

int main(void)
{
	sigset_t block, old;
	struct sigaction sa = { .sa_handler = on_sigint };
	sigaction(SIGINT, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &old);   /* no SIGINT lost between the look and the wait */
	printf("ready\n");
	fflush(stdout);
	while (!count)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	struct timespec more = { 0, MORE_MS * 1000000L };
	while (nanosleep(&more, &more) != 0)
		;   /* another SIGINT: counted, sleep the rest */
	printf("got SIGINT x%d\n", (int)count);
	return 3;
}
