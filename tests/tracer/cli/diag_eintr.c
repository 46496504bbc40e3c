/* diag_eintr: a read() that a signal interrupts (its handler has no
 * SA_RESTART) fails with EINTR, and the program gives up and exits:
 * the trace's eintr-not-retried. It prints "eintr read" when it saw it. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void on_alarm(int sig) { (void)sig; }

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;   /* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);
	int p[2];
	if (pipe(p) != 0)
		return 1;
	alarm(1);
	char c;
	if (read(p[0], &c, 1) < 0 && errno == EINTR)
		printf("eintr read\n");
	return 0;
}
