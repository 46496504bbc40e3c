/*
 * lab10: fork() or threads, when a handler crashes.
 *
 * The same echo handler runs per client, either in a forked child
 * ("lab10 PORT fork") or in a detached thread ("lab10 PORT thread").
 * "lab10 PORT join N" makes joinable threads, joins each, ends after N clients.
 * A client that sends "crash\n" makes the handler write through a NULL
 * pointer, and the kernel kills with SIGSEGV... whom? A signal like that
 * kills a whole process. In fork mode the process is one child: it dies,
 * the parent reaps it and serves the next client. In thread mode the
 * process is the server itself: every client and the server die with it.
 *
 * Each handler also passes back how many messages it echoed: a child as
 * its exit status (waitpid reads it), a thread as its return value
 * (pthread_join reads it). And each costs something to make: the server
 * holds a 32 MB table, whose page tables fork() copies and a thread shares.
 */
#include <sys/mman.h>
#include "labkit.h"

/* The server's data (a cache, say), in small pages (huge ones hide the cost). */
#define TABLE_BYTES (32 << 20)
static char table[TABLE_BYTES] __attribute__((aligned(4096)));

static int handle(int fd)
{
	char buf[4096];
	ssize_t n;
	int echoed = 0;

	while ((n = Read(fd, buf, sizeof buf)) > 0) {
		if (n >= 6 && memcmp(buf, "crash\n", 6) == 0) {
			int *volatile p = NULL; /* volatile: really written */
			*p = 1;                 /* SIGSEGV */
		}
		if (writen(fd, buf, n) < 0)
			break;
		echoed++;
	}
	return echoed;
}

static void *thread_main(void *arg)
{
	int fd = (int)(intptr_t)arg, echoed = handle(fd);

	Close(fd);
	return (void *)(intptr_t)echoed;   /* what pthread_join gets */
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
	int listenfd, use_fork, join, limit = argc > 3 ? atoi(argv[3]) : 0;
	struct sigaction sa;

	if (argc < 3 || (strcmp(argv[2], "fork") && strcmp(argv[2], "thread")
				 && strcmp(argv[2], "join")))
		fatal("usage: lab10 PORT fork|thread|join [N]");
	use_fork = strcmp(argv[2], "fork") == 0;
	join = strcmp(argv[2], "join") == 0;
	listenfd = tcp_listen(argv[1]);
	madvise(table, sizeof table, MADV_NOHUGEPAGE);
	memset(table, 1, sizeof table);   /* touched: its pages are really there */

	if (use_fork) {
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_sigchld;
		sa.sa_flags = SA_RESTART;       /* no EINTR from accept() */
		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGCHLD, &sa, NULL) < 0)
			die("sigaction");
	}

	for (int served = 0; !limit || served < limit; served++) {
		pthread_t tid;
		void *echoed;
		int connfd = Accept(listenfd, NULL, NULL);
		if (connfd < 0)
			continue;
		if (use_fork) {
			pid_t pid = fork();
			if (pid < 0)
				die("fork");
			if (pid == 0) {
				Close(listenfd);
				int echoed = handle(connfd);
				say("child: %d messages echoed", echoed);
				exit(echoed);   /* what waitpid gets */
			}
			Close(connfd);
			say("client: child %d", (int)pid);
		} else {
			if ((errno = pthread_create(&tid, NULL, thread_main,
						    (void *)(intptr_t)connfd)))
				die("pthread_create");
			say("client: thread (same process %d)", (int)getpid());
			if (!join)
				pthread_detach(tid);
			else if (pthread_join(tid, &echoed) == 0)
				say("client: the thread returned %d", (int)(intptr_t)echoed);
		}
	}
	return 0;
}
