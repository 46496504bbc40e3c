/* sleeps: calls that sleep and calls that do not, each with the program's
 * own evidence. Around each call it reads its thread's voluntary context
 * switches (getrusage), its wall clock and its CPU clock, and prints
 * "LABEL switches wall_us cpu_us":
 *   ready   read() of a pipe that already holds a byte
 *   busy    read() of 128 MiB from /dev/zero into memory already touched:
 *           milliseconds of CPU, nothing to wait for
 *   zombie  waitpid() of a child that /proc already shows as a zombie
 *   nohang  waitpid(WNOHANG) while a child still runs
 *   wait    read() of an empty pipe that a child fills 100 ms later
 * Then a thread sleeps in select() forever; once /proc shows it asleep
 * there the program prints "asleep TID" and waits in pause() until it is
 * killed. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BUSY_BYTES (128 << 20)

static struct rusage ru0;
static struct timespec wall0, cpu0;

static long us(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000L + (b->tv_nsec - a->tv_nsec) / 1000;
}

static void before(void)
{
	clock_gettime(CLOCK_MONOTONIC, &wall0);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu0);
	getrusage(RUSAGE_THREAD, &ru0);
}

static void after(const char *label)
{
	struct rusage ru;
	struct timespec wall, cpu;
	getrusage(RUSAGE_THREAD, &ru);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
	clock_gettime(CLOCK_MONOTONIC, &wall);
	printf("%s %ld %ld %ld\n", label, ru.ru_nvcsw - ru0.ru_nvcsw, us(&wall0, &wall), us(&cpu0, &cpu));
}

static char proc_state(pid_t pid, pid_t tid)
{
	char path[64], buf[512] = "";
	snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)pid, (int)tid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *paren = strrchr(buf, ')');
	return paren ? paren[2] : 0;
}

static long syscall_of(pid_t tid)
{
	char path[64];
	long nr = -1;
	snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)tid);
	FILE *f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%ld", &nr) != 1)
			nr = -1;
		fclose(f);
	}
	return nr;
}

static volatile pid_t selector;

static void *select_forever(void *arg)
{
	(void)arg;
	selector = (pid_t)syscall(SYS_gettid);
	select(0, NULL, NULL, NULL, NULL);
	return NULL;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	int p[2];
	char c, *big = malloc(BUSY_BYTES);
	if (pipe(p) != 0 || !big)
		return 1;
	memset(big, 1, BUSY_BYTES);   /* touched now: no page faults in the read */

	(void)!write(p[1], "x", 1);
	before();
	(void)!read(p[0], &c, 1);
	after("ready");

	FILE *zero = fopen("/dev/zero", "r");
	before();
	(void)!read(fileno(zero), big, BUSY_BYTES);
	after("busy");

	pid_t kid = fork();
	if (kid == 0)
		_exit(0);
	while (proc_state(kid, kid) != 'Z')
		usleep(1000);
	before();
	waitpid(kid, NULL, 0);
	after("zombie");

	kid = fork();
	if (kid == 0) {
		usleep(100000);
		(void)!write(p[1], "y", 1);
		_exit(0);
	}
	before();
	waitpid(kid, NULL, WNOHANG);
	after("nohang");
	before();
	(void)!read(p[0], &c, 1);
	after("wait");
	waitpid(kid, NULL, 0);

	pthread_t th;
	pthread_create(&th, NULL, select_forever, NULL);
	while (!selector || proc_state(getpid(), selector) != 'S' ||
	       (syscall_of(selector) != SYS_select && syscall_of(selector) != SYS_pselect6))
		usleep(1000);
	printf("asleep %d\n", (int)selector);
	pause();
	return 0;
}
