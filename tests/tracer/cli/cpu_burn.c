/* cpu_burn: the CPU time each process reports for itself, the oracle of
 * the trace's cpu_user_us and cpu_system_us. A child burns CPU in its own
 * code (user time), then the parent reaps it and burns CPU in the kernel
 * (system time, through many getppid() calls) and in its own code. Each
 * prints "cpu PID USER_US SYSTEM_US" from getrusage(RUSAGE_SELF) just
 * before it exits, so the tracer's count can only be a little more. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHILD_USER_MS 150
#define PARENT_USER_MS 40
#define PARENT_CALLS 200000

static long long us(struct timeval tv) { return tv.tv_sec * 1000000LL + tv.tv_usec; }

static void report(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("cpu %d %lld %lld\n", (int)getpid(), us(ru.ru_utime), us(ru.ru_stime));
	fflush(stdout);
}

/* Spin in user space until the process has used ms of CPU. */
static void burn_user(long ms)
{
	struct timespec ts;
	volatile unsigned long x = 0;
	do {
		for (int i = 0; i < 100000; i++)
			x += i;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	} while (ts.tv_sec * 1000 + ts.tv_nsec / 1000000 < ms);
}

int main(void)
{
	pid_t child = fork();
	if (child < 0)
		return 1;
	if (child == 0) {
		burn_user(CHILD_USER_MS);
		report();
		_exit(0);
	}
	int status;
	if (waitpid(child, &status, 0) != child)
		return 1;
	for (int i = 0; i < PARENT_CALLS; i++)
		syscall(SYS_getppid);
	burn_user(PARENT_USER_MS + 0);
	report();
	return 0;
}
