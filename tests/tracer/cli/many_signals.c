/* many_signals: catch 16 kinds of signal, raise each once, and report how
 * many deliveries of each the handler saw (one line: "caught SIGNO xN ..."). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM,
		      SIGTERM, SIGCHLD, SIGCONT, SIGTSTP, SIGURG, SIGWINCH, SIGIO,
		      0, 0 /* SIGRTMIN and SIGRTMIN + 1: not constants in glibc */ };
#define NSIGS (int)(sizeof sigs / sizeof sigs[0])

static volatile sig_atomic_t caught[65];

static void on_signal(int sig) { caught[sig]++; }

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigs[NSIGS - 2] = SIGRTMIN;
	sigs[NSIGS - 1] = SIGRTMIN + 1;
	for (int i = 0; i < NSIGS; i++)
		if (sigaction(sigs[i], &sa, NULL) != 0)
			return 1;
	for (int i = 0; i < NSIGS; i++)
		raise(sigs[i]);
	printf("caught");
	for (int i = 0; i < NSIGS; i++)
		printf(" %d x%d", sigs[i], (int)caught[sigs[i]]);
	printf("\n");
	return 0;
}
