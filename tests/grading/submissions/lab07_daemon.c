/* A lab 7 that leaves a daemon behind, one the tracer was not meant to
 * see: started with clone(CLONE_UNTRACED), it leaves the session
 * (setsid) and never ends. Then the lab serves as it should. Its uid goes
 * to $HOSTILE_REPORT, if set. */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/syscall.h>
#include "labkit.h"

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
	if (report) {
		fprintf(report, "uid %d\n", (int)getuid());
		fclose(report);
	}
	int listenfd = tcp_listen(argc > 1 ? argv[1] : "0");
	/* The raw call: glibc's fork() would not pass CLONE_UNTRACED. */
	if (syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0) == 0) {
		Close(listenfd);
		setsid();
		for (;;)
			pause();
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
