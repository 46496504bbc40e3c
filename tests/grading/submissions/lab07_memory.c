/* A lab 7 whose children take 400 MB each, eight at once, touching every
 * page: 3.2 GB in all, though each child stays within the per-process
 * limit (512 MB). Only a limit on the whole tree stops it. Then it serves
 * as lab 7 should. Its uid goes to $HOSTILE_REPORT, if set. */
#include "labkit.h"

#define CHILDREN 8
#define EACH (400UL << 20)

static void on_sigchld(int signo)
{
	int saved = errno, status;
	(void)signo;
	while (waitpid(-1, &status, WNOHANG) > 0)
		;
	errno = saved;
}

static void hog(void)
{
	volatile char *p = malloc(EACH);
	for (size_t i = 0; p && i < EACH; i += 4096)
		p[i] = 1;
	sleep(1);     /* all eight hold their memory at once */
	_exit(p ? 0 : 1);
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
		if (fork() == 0)
			hog();
	while (wait(NULL) > 0)
		;

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
