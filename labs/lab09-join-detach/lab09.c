/*
 * lab09: joinable versus detached threads.
 *
 * A new thread is joinable: when it ends, its exit value and its stack
 * stay allocated until some thread calls pthread_join() on it (the thread
 * world's zombie). A detached thread is cleaned up as soon as it ends.
 * Clients get these three kinds of thread in turn:
 *
 *   1 detached        pthread_detach(), once it has ended: freed then
 *   2 never joined    joinable, but we forget its id: a leak
 *   3 joined          joinable; main pthread_join()s it at the end and
 *                     gets its return value (bytes echoed)
 *
 * Usage: lab09 PORT [N]. After N clients (default 6) main joins its
 * joinable threads and exits.
 */
#include "labkit.h"
#include <dirent.h>

#define MAXCLIENTS 300
enum { DETACHED, NEVER_JOINED, JOINED };
static const char *kind_said[] = {
	N_("client %d: thread detached"), N_("client %d: thread joinable, never joined (leak)"),
	N_("client %d: thread joinable, joined at the end")
};

/* Arranged for the lesson: wait until main is the only thread left (the
 * kernel lists each thread of ours in /proc/self/task until it is gone),
 * so pthread_detach() names a thread that has already ended, every run. */
static void wait_until_alone(void)
{
	int n = 0;

	while (n != 1) {
		DIR *d = opendir("/proc/self/task");
		if (!d)
			die("/proc/self/task");
		for (n = 0; readdir(d); n++)
			;
		closedir(d);
		n -= 2;         /* "." and ".." */
		if (n != 1)
			nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	}
}

static void *serve(void *arg)
{
	int fd = (int)(intptr_t)arg;
	long total = 0;
	ssize_t n;

	while ((n = echo_once(fd)) > 0)
		total += n;
	Close(fd);
	return (void *)(intptr_t)total;         /* what pthread_join gets */
}

int main(int argc, char **argv)
{
	int listenfd = tcp_listen(argc > 1 ? argv[1] : "0");
	int nclients = argc > 2 ? atoi(argv[2]) : 6;
	pthread_t joinable[MAXCLIENTS];
	int i, err, kind, njoin = 0;

	if (nclients < 1 || nclients > MAXCLIENTS)
		fatal("N must be from 1 to %d", MAXCLIENTS);

	for (i = 1; i <= nclients; i++) {
		pthread_t tid;
		int connfd = Accept(listenfd, NULL, NULL);
		if (connfd < 0) {
			i--;
			continue;
		}
		/* The last client's thread is always joined, so main cannot
		 * exit (killing every thread) while that client still talks. */
		kind = i == nclients ? JOINED : (i - 1) % 3;

		err = pthread_create(&tid, NULL, serve, (void *)(intptr_t)connfd);
		if (err) {
			errno = err;
			die("pthread_create");
		}
		if (kind == DETACHED) {
			wait_until_alone();     /* its client has come and gone */
			pthread_detach(tid);    /* allowed: it is freed now */
		} else if (kind == JOINED) {
			joinable[njoin++] = tid;
		}
		/* NEVER_JOINED: tid is dropped here; no one can join it now. */
		say(kind_said[kind], i);
	}

	for (i = 0; i < njoin; i++) {
		void *ret;

		/* Blocks until that thread has returned. */
		err = pthread_join(joinable[i], &ret);
		if (err) {
			errno = err;
			die("pthread_join");
		}
		say("joined a thread: it echoed %ld bytes", (long)(intptr_t)ret);
	}
	say("%d clients served; exiting", nclients);
	return 0;
}
