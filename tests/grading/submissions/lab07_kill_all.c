/* A lab 7 whose child sends SIGKILL to every process it may signal,
 * kill(-1, SIGKILL), again and again for a second. As root it would kill
 * every process on the machine; as the grading user, in the run's PID
 * namespace, it reaches its own processes only (its parent first: the
 * kernel spares the caller). Its uid goes to $HOSTILE_REPORT, if set. */
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
	if (fork() == 0) {
		for (int i = 0; i < 100; i++) {
			kill(-1, SIGKILL);
			usleep(10000);
		}
		_exit(0);
	}
	for (;;)
		pause();
}
