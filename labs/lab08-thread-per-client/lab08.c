/*
 * lab08: one thread per client, with pthread_create(). No new process:
 * every client is served by a thread of this same process (same pid,
 * its own tid), sharing its memory and its fds.
 *
 * Each thread is detached: when it returns, the system frees it at once
 * and nobody has to (or can) pthread_join() it. Compare the zombies of
 * lab 5: a detached thread leaves nothing behind.
 */
#include "labkit.h"

static void *serve(void *arg)
{
	int fd = (int)(intptr_t)arg;

	say("thread %d: serving fd %d", (int)gettid(), fd);
	while (echo_once(fd) > 0)
		;
	Close(fd);      /* shared fd table: nobody else will close it */
	return NULL;
}

int main(int argc, char **argv)
{
	int listenfd = tcp_listen(argc > 1 ? argv[1] : "0");

	for (;;) {
		pthread_t tid;
		int err, connfd = Accept(listenfd, NULL, NULL);
		if (connfd < 0)
			continue;

		/* The fd travels inside the pointer argument: each thread
		 * gets its own copy, so the next accept() cannot change it. */
		err = pthread_create(&tid, NULL, serve, (void *)(intptr_t)connfd);
		if (err) {
			errno = err;    /* pthreads return the error number */
			die("pthread_create");
		}
		pthread_detach(tid);
	}
}
