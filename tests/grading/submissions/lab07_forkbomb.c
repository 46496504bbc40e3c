/* A lab 7 that turns into a fork bomb once it listens, for the grading
 * tests: every run must be stopped by --max-procs and score zero. Its uid
 * goes to $HOSTILE_REPORT, if set. */
#include "labkit.h"

int main(int argc, char **argv)
{
	const char *path = getenv("HOSTILE_REPORT");
	FILE *report = path ? fopen(path, "a") : NULL;
	if (report) {
		fprintf(report, "uid %d\n", (int)getuid());
		fclose(report);
	}
	int listenfd = tcp_listen(argc > 1 ? argv[1] : "0");

	(void)listenfd;
	for (;;)
		fork();
}
