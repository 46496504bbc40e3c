/* exec_threads: exec from a thread that is not the main one, while the
 * main thread sleeps in pause() and a third thread in read(). The exec'ing
 * thread waits until /proc shows both asleep in their calls, prints
 * "asleep MAIN READER EXECER", and execs this program again with "after",
 * which prints "after PID" and exits 0. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int pipefd[2];
static volatile pid_t reader_tid;

static int asleep_in(pid_t tid, long nr)
{
	char path[64], buf[512] = "";
	long in = -1;
	snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)tid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%ld", &in) != 1)
		in = -1;
	fclose(f);
	snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)tid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *paren = strrchr(buf, ')');
	return in == nr && paren && paren[2] == 'S';
}

static void *reader(void *arg)
{
	(void)arg;
	char c;
	reader_tid = (pid_t)syscall(SYS_gettid);
	(void)!read(pipefd[0], &c, 1);   /* nobody writes */
	return NULL;
}

static void *execer(void *arg)
{
	(void)arg;
	pid_t main_tid = getpid();
	while (!reader_tid || !asleep_in(main_tid, SYS_pause) || !asleep_in(reader_tid, SYS_read))
		usleep(1000);
	printf("asleep %d %d %d\n", (int)main_tid, (int)reader_tid, (int)syscall(SYS_gettid));
	fflush(stdout);
	char *argv[] = { "exec_threads", "after", NULL };
	execv("/proc/self/exe", argv);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "after") == 0) {
		printf("after %d\n", (int)getpid());
		return 0;
	}
	pthread_t a, b;
	if (pipe(pipefd) != 0 || pthread_create(&a, NULL, reader, NULL) != 0 ||
	    pthread_create(&b, NULL, execer, NULL) != 0)
		return 1;
	pause();
	return 2;
}
