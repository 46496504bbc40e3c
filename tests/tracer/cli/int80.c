/* int80: system calls through int $0x80, the i386 entry, from a 64-bit
 * program. It prints "int80 getpid A getpid B" (the i386 getpid and
 * glibc's: the same pid), then forks through the i386 fork and prints
 * "forked PID reaped PID code 7". With "loop" it prints "ready" and
 * makes i386 read(-1) calls (number 3, which is close on x86-64) every
 * millisecond for 5 seconds: what a tracer attached with -p sees. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define I386_EXIT_CODE 7
enum { I386_FORK = 2, I386_READ = 3, I386_GETPID = 20 };

static long int80(long nr, long a1)
{
	long r;
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a1) : "memory");
	return r;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && strcmp(argv[1], "loop") == 0) {
		printf("ready\n");
		for (int i = 0; i < 5000; i++) {
			int80(I386_READ, -1);
			usleep(1000);
		}
		return 0;
	}
	printf("int80 getpid %ld getpid %d\n", int80(I386_GETPID, 0), (int)getpid());
	long kid = int80(I386_FORK, 0);
	if (kid == 0)
		_exit(I386_EXIT_CODE);
	int st = 0;
	pid_t got = waitpid((pid_t)kid, &st, 0);
	printf("forked %ld reaped %d code %d\n", kid, (int)got, WEXITSTATUS(st));
	return 0;
}
