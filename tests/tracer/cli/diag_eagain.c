/* diag_eagain: a busy loop. A child writes one byte after 100 ms; the
 * parent polls the pipe with non-blocking read() meanwhile, and prints
 * how many reads failed with EAGAIN ("eagain N"), the oracle of the
 * trace's eagain-busy-loop diagnosis. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	int p[2];
	if (pipe(p) != 0)
		return 1;
	pid_t child = fork();
	if (child == 0) {
		struct timespec ts = { 0, 100 * 1000000L };
		nanosleep(&ts, NULL);
		(void)!write(p[1], "x", 1);
		_exit(0);
	}
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	long eagain = 0;
	char c;
	while (read(p[0], &c, 1) != 1)
		if (errno == EAGAIN)
			eagain++;
	waitpid(child, NULL, 0);
	printf("eagain %ld\n", eagain);
	return 0;
}
