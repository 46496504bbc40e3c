/* untraced_thread: a thread that escapes the trace all the same. The main
 * thread makes threads with clone3 and CLONE_UNTRACED (raw: its own small
 * stacks, no TLS of their own) while a helper thread keeps writing the flag
 * back into the struct clone_args: the tracer takes the flag out at the
 * call's entry, and the helper puts it back before the kernel reads it.
 * Each new thread reads TracerPid in /proc/thread-self/status (0: nobody
 * traces it). A traced one ends at once and the main thread tries again
 * (at most TRIES_MAX times); an untraced one stays until the main thread
 * has printed "escaped TID" and spent HOLD_MS making calls the tracer
 * stops at (sigaction, to read a disposition), then ends, and the program
 * exits 0. x86-64 only. */
#define _GNU_SOURCE
#include <linux/sched.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define TRIES_MAX 5000
#define STACK_SIZE 65536
#define HOLD_MS 600
#define NOT_YET (-2)

static struct clone_args ca;
static volatile int done, release;
static volatile long tracer = NOT_YET;   /* what the new thread read */
static char stack[STACK_SIZE] __attribute__((aligned(16)));

static void *rewrite(void *arg)
{
	(void)arg;
	while (!done)
		__atomic_store_n(&ca.flags, ca.flags | CLONE_UNTRACED, __ATOMIC_RELAXED);
	return NULL;
}

/* The new thread: raw system calls only (it shares the main thread's TLS). */
static void thread_body(void)
{
	char buf[2048], *line;
	long t = -1;
	int fd = (int)syscall(SYS_open, "/proc/thread-self/status", 0);
	long n = fd >= 0 ? syscall(SYS_read, fd, buf, sizeof buf - 1) : -1;
	if (fd >= 0)
		syscall(SYS_close, fd);
	if (n > 0) {
		buf[n] = '\0';
		if ((line = strstr(buf, "TracerPid:")))
			t = strtol(line + strlen("TracerPid:"), NULL, 10);
	}
	tracer = t;
	struct timespec nap = { 0, 1000000 };
	while (t == 0 && !release)
		syscall(SYS_nanosleep, &nap, NULL);
	syscall(SYS_exit, 0);
}

/* clone3 for a thread: the child calls fn on its new stack, then exits. */
static long clone3_thread(struct clone_args *args, void (*fn)(void))
{
	long ret;
	register void (*f)(void) __asm__("r12") = fn;
	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "call *%%r12\n\t"
			 "ud2\n"
			 "1:"
			 : "=a"(ret)
			 : "0"((long)SYS_clone3), "D"(args), "S"(sizeof *args), "r"(f)
			 : "rcx", "r11", "memory");
	return ret;
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	ca.flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
		   CLONE_SYSVSEM | CLONE_UNTRACED;
	ca.stack = (unsigned long long)(unsigned long)stack;
	ca.stack_size = STACK_SIZE;
	pthread_t th;
	if (pthread_create(&th, NULL, rewrite, NULL) != 0)
		return 1;
	long tid = -1;
	for (int tries = 0; tries < TRIES_MAX; tries++) {
		tracer = NOT_YET;
		tid = clone3_thread(&ca, thread_body);
		if (tid < 0)
			return 1;
		while (tracer == NOT_YET)
			;
		if (tracer == 0)
			break;
		/* a traced one: wait until it is gone before the stack is used again */
		char path[64];
		snprintf(path, sizeof path, "/proc/self/task/%ld", tid);
		while (access(path, F_OK) == 0)
			usleep(100);
		tid = -1;
	}
	done = 1;
	pthread_join(th, NULL);
	if (tid < 0)
		return 1;
	printf("escaped %ld\n", tid);
	for (int ms = 0; ms < HOLD_MS; ms++) {
		struct sigaction old;
		sigaction(SIGUSR2, NULL, &old);
		usleep(1000);
	}
	release = 1;
	return 0;
}
