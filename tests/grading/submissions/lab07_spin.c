/* A lab 7 that, once it listens, starts 4 children that only compute and
 * never end: together they take every CPU the machine has. Each child
 * prints the CPU time it has used so far (its own getrusage, in
 * microseconds) every SAY_EVERY_US of it: "cpu <pid> <us>", the oracle
 * the test holds against the cgroup's count. Then the lab serves as it
 * should. Its uid goes to $HOSTILE_REPORT, if set. */
#include <sys/resource.h>
#include "labkit.h"

#define CHILDREN 4
#define SAY_EVERY_US 20000L

static void on_sigchld(int signo)
{
	int saved = errno, status;
	(void)signo;
	while (waitpid(-1, &status, WNOHANG) > 0)
		;
	errno = saved;
}

static long used_us(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000L +
	       ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

static void spin(void)
{
	volatile unsigned long n = 0;
	long said = 0;
	for (;;) {
		for (int i = 0; i < 1000000; i++)
			n++;
		long now = used_us();
		if (now - said >= SAY_EVERY_US) {
			dprintf(STDOUT_FILENO, "cpu %d %ld\n", (int)getpid(), now);
			said = now;
		}
	}
}

int main(int argc, char **argv)
{
	const char *path = getenv("HOSTILE_REPORT");
	FILE *report = path ? fopen(path, "a") : NULL;
	if (report) {
		fprintf(report, "uid %d\n", (int)getuid());
		fclose(report);
	}
	int listenfd = tcp_listen(argc > 1 ? argv[1] : "0");
	for (int i = 0; i < CHILDREN; i++)
		if (fork() == 0) {
			Close(listenfd);
			spin();
		}

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigchld;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	for (;;) {
		int connfd = Accept(listenfd, NULL, NULL);
		if (connfd < 0)
			continue;
		if (fork() == 0) {
			Close(listenfd);
			while (echo_once(connfd) > 0)
				;
			exit(0);
		}
		Close(connfd);
	}
}
