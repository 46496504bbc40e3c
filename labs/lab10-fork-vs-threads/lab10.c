/*
 * lab10: fork() or threads, when a handler crashes.
 *
 * The same echo handler runs per client, either in a forked child
 * ("lab10 PORT fork") or in a detached thread ("lab10 PORT thread").
 * A client that sends "crash\n" makes the handler write through a NULL
 * pointer, and the kernel kills with SIGSEGV... whom? A signal like that
 * kills a whole process. In fork mode the process is one child: it dies,
 * the parent reaps it and serves the next client. In thread mode the
 * process is the server itself: every client and the server die with it.
 */
#include "labkit.h"

static void handle(int fd)
{
	char buf[4096];
	ssize_t n;

	while ((n = Read(fd, buf, sizeof buf)) > 0) {
		if (n >= 6 && memcmp(buf, "crash\n", 6) == 0) {
			int *volatile p = NULL; /* volatile: the compiler
						   must really do it */
			*p = 1;                 /* SIGSEGV */
		}
		if (writen(fd, buf, n) < 0)
			break;
	}
}

static void *thread_main(void *arg)
{
	int fd = (int)(intptr_t)arg;

	handle(fd);
	Close(fd);
	return NULL;
}

/* Fork mode reaps its children properly (lab 7), crashed ones too. */
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
	int listenfd, use_fork;
	struct sigaction sa;

	if (argc < 3 || (strcmp(argv[2], "fork") && strcmp(argv[2], "thread")))
		fatal("usage: lab10 PORT fork|thread");
	use_fork = strcmp(argv[2], "fork") == 0;
	listenfd = tcp_listen(argv[1]);

	if (use_fork) {
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_sigchld;
		sa.sa_flags = SA_RESTART;       /* no EINTR from accept() */
		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGCHLD, &sa, NULL) < 0)
			die("sigaction");
	}

	for (;;) {
		pthread_t tid;
		int err, connfd = Accept(listenfd, NULL, NULL);
		if (connfd < 0)
			continue;

		if (use_fork) {
			pid_t pid = fork();
			if (pid < 0)
				die("fork");
			if (pid == 0) {
				Close(listenfd);
				handle(connfd);
				exit(0);
			}
			Close(connfd);
			say("client: child %d", (int)pid);
		} else {
			err = pthread_create(&tid, NULL, thread_main,
					     (void *)(intptr_t)connfd);
			if (err) {
				errno = err;
				die("pthread_create");
			}
			pthread_detach(tid);
			say("client: thread (same process %d)", (int)getpid());
		}
	}
}
