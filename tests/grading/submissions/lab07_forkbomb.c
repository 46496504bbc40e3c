/* A lab 7 that turns into a fork bomb once it listens, for the grading
 * tests: every run must be stopped by --max-procs and score zero. */
#include "labkit.h"

int main(int argc, char **argv)
{
	int listenfd = tcp_listen(argc > 1 ? argv[1] : "0");

	(void)listenfd;
	for (;;)
		fork();
}
