/*
 * lab12: two threads add to one shared counter, without and with a mutex.
 *
 * counter++ is three steps: read the counter, add one, write it back. Two
 * threads that both read before either writes both write the same value,
 * and one update is lost. That window is a few instructions wide, so a
 * plain run loses updates only now and then. This lab holds it open:
 *
 *   lab12 nolock  a pthread barrier between the read and the write: both
 *                 threads read before either writes, so every round loses
 *                 one update, every run (the arrangement, not luck).
 *   lab12 mutex   pthread_mutex_lock around the three steps. The holder
 *                 keeps the window open until the other thread is asleep
 *                 waiting for the lock (/proc says so): it cannot read
 *                 meanwhile, nothing is lost, and every run shows the wait.
 */
#include "labkit.h"
#include <sys/syscall.h>

#define THREADS 2
#define ROUNDS 5
#define POLL_US 1000   /* how often the holder looks whether the other sleeps */

static volatile long counter;   /* shared; volatile: every read and write happens */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t started, both_read;
static int use_mutex;
static pid_t tids[THREADS];
static int done[THREADS];       /* read by the other thread: __atomic */
static int waits_seen;          /* the other thread found asleep on the lock */

/* Is thread tid asleep ('S', /proc stat) in futex() on the lock (/proc syscall)? */
static int asleep_on_lock(pid_t tid)
{
	char path[64], buf[512], *p = NULL;
	long nr = -1;
	unsigned long addr = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)tid);
	if ((f = fopen(path, "r"))) {
		if (fscanf(f, "%ld %lx", &nr, &addr) != 2)
			nr = -1;
		fclose(f);
	}
	snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)tid);
	if (nr == SYS_futex && addr == (unsigned long)&lock && (f = fopen(path, "r"))) {
		p = fgets(buf, sizeof buf, f) ? strrchr(buf, ')') : NULL;
		fclose(f);
	}
	return p && p[1] == ' ' && p[2] == 'S';
}

/* Between the read and the write: wait until the other thread has tried
 * to read too. Without a lock it reads (the barrier); with one it sleeps. */
static void hold_window_open(int me)
{
	int other = THREADS - 1 - me;

	if (!use_mutex) {
		pthread_barrier_wait(&both_read);
		return;
	}
	while (!__atomic_load_n(&done[other], __ATOMIC_SEQ_CST)) {
		if (asleep_on_lock(tids[other])) {
			waits_seen++;   /* we hold the lock: no race on it */
			return;
		}
		usleep(POLL_US);
	}
}

static void *add(void *arg)
{
	int me = (int)(intptr_t)arg;

	tids[me] = (pid_t)syscall(SYS_gettid);
	pthread_barrier_wait(&started);   /* both tids are known */
	for (int round = 0; round < ROUNDS; round++) {
		if (use_mutex)
			pthread_mutex_lock(&lock);
		long value = counter;     /* read */
		hold_window_open(me);
		counter = value + 1;      /* write, over the other's? */
		if (use_mutex)
			pthread_mutex_unlock(&lock);
	}
	__atomic_store_n(&done[me], 1, __ATOMIC_SEQ_CST);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[THREADS];
	long expected = THREADS * ROUNDS;

	if (argc != 2 || (strcmp(argv[1], "nolock") && strcmp(argv[1], "mutex")))
		fatal("usage: lab12 nolock|mutex");
	use_mutex = strcmp(argv[1], "mutex") == 0;
	pthread_barrier_init(&started, NULL, THREADS);
	pthread_barrier_init(&both_read, NULL, THREADS);
	say(use_mutex ? N_("mutex: the holder waits, before it writes, until the other "
			   "thread sleeps on the lock at %p")
		      : N_("no lock: a barrier between read and write makes both threads "
			   "read first, every round (lock unused, at %p)"), (void *)&lock);
	for (intptr_t i = 0; i < THREADS; i++)
		if ((errno = pthread_create(&t[i], NULL, add, (void *)i)))
			die("pthread_create");
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	say("expected %ld, counter = %ld: %ld updates lost", expected, counter, expected - counter);
	if (use_mutex)
		say("a thread found the other asleep waiting for the lock %d times", waits_seen);
	return 0;
}
