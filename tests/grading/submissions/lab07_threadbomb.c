/* A lab 7 that starts threads until pthread_create fails (small stacks,
 * so that its address space is not what stops it), then serves as lab 7
 * should. Only a limit on the tree's tasks stops it: it has few processes.
 * Its uid goes to $HOSTILE_REPORT, if set. */
#include <pthread.h>
#include "labkit.h"

#define STACK (64 << 10)
#define MOST 100000

static void *idle(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void on_sigchld(int signo)
{
	int saved = errno, status;
	(void)signo;
	while (waitpid(-1, &status, WNOHANG) > 0)
		;
	errno = saved;
}

int main(int argc, char **argv)
{
	const char *path = getenv("HOSTILE_REPORT");
	FILE *report = path ? fopen(path, "a") : NULL;
	int listenfd = tcp_listen(argc > 1 ? argv[1] : "0");
	pthread_attr_t attr;
	pthread_t t;
	int n = 0;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, STACK);
	while (n < MOST && pthread_create(&t, &attr, idle, NULL) == 0)
		n++;
	if (report) {
		fprintf(report, "uid %d\nthreads %d\n", (int)getuid(), n);
		fclose(report);
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
