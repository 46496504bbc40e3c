/* sigchld_disposition default|ignore: sets SIGCHLD to SIG_DFL or SIG_IGN,
 * says what /proc/self/status's SigIgn has for SIGCHLD ("sigign 0|1"),
 * forks a child that exits at once, and says whether the child stayed a
 * zombie ("zombie PID stays") or vanished without a wait ("zombie PID
 * gone"), as /proc shows it. Then it sends itself a SIGCHLD (so that SIG_IGN
 * has a delivery to show too), reaps what is left, and exits 0. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define POLL_NS 10000000L   /* 10 ms between looks at /proc */
#define LOOKS 300           /* 3 s in all: the tracer reaps it well before */
#define STAYS_LOOKS 30      /* a zombie still there after 300 ms stays */

/* 'Z', another state letter, or 0 when the process is gone. */
static char state_of(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	char *paren = strrchr(buf, ')');
	return paren && paren[1] == ' ' ? paren[2] : '?';
}

static int sigchld_ignored(void)
{
	char line[256];
	unsigned long long mask = 0;
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "SigIgn: %llx", &mask) == 1)
			break;
	if (f)
		fclose(f);
	return (int)((mask >> (SIGCHLD - 1)) & 1);
}

int main(int argc, char **argv)
{
	struct timespec tick = { 0, POLL_NS };
	int ignore = argc > 1 && strcmp(argv[1], "ignore") == 0;
	if (signal(SIGCHLD, ignore ? SIG_IGN : SIG_DFL) == SIG_ERR)
		return 1;
	printf("sigign %d\n", sigchld_ignored());
	pid_t child = fork();
	if (child < 0)
		return 1;
	if (child == 0)
		_exit(0);
	int zombie_looks = 0, gone = 0;
	for (int i = 0; i < LOOKS && zombie_looks < STAYS_LOOKS && !gone; i++) {
		char s = state_of(child);
		gone = s == 0;
		zombie_looks = s == 'Z' ? zombie_looks + 1 : 0;
		nanosleep(&tick, NULL);
	}
	printf("zombie %d %s\n", child, gone ? "gone" : zombie_looks >= STAYS_LOOKS ? "stays" : "unknown");
	fflush(stdout);
	kill(getpid(), SIGCHLD);
	while (wait(NULL) > 0)
		;
	return 0;
}
