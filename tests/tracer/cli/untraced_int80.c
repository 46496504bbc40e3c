/* untraced_int80: a child made with CLONE_UNTRACED through the i386 clone
 * (int $0x80, number 120, fork-like: no new stack, SIGCHLD at its end),
 * from a 64-bit program. The child prints "child PID PPID TRACERPID"
 * (TracerPid from /proc/self/status: 0 when nobody traces it) and exits
 * 5; the parent waits for it and prints "reaped PID 5". */
#define _GNU_SOURCE
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define I386_CLONE 120
#define CHILD_CODE 5

static long tracer_pid(void)
{
	char line[256];
	long t = -1;
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "TracerPid: %ld", &t) == 1)
			break;
	if (f)
		fclose(f);
	return t;
}

int main(void)
{
	long pid, flags = CLONE_UNTRACED | SIGCHLD;
	setvbuf(stdout, NULL, _IONBF, 0);
	/* ebx flags, ecx new stack (0: this one, copied); edx, esi, edi unused */
	__asm__ volatile("int $0x80"
			 : "=a"(pid)
			 : "a"((long)I386_CLONE), "b"(flags), "c"(0L), "d"(0L), "S"(0L), "D"(0L)
			 : "memory", "r8", "r9", "r10", "r11");
	if (pid < 0)
		return 1;
	if (pid == 0) {
		printf("child %d %d %ld\n", getpid(), getppid(), tracer_pid());
		_exit(CHILD_CODE);
	}
	int st;
	if (waitpid((pid_t)pid, &st, 0) != (pid_t)pid)
		return 1;
	printf("reaped %ld %d\n", pid, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
