/* chatty N: N times, fork a child that exits at once, reap it, and write a
 * line of 200 bytes to stdout (one write each, as a program that shares
 * its stdout with ./trace --json - would). */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100;
	char line[201];
	memset(line, 'x', 199);
	line[199] = '\n';
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		waitpid(pid, NULL, 0);
		if (write(1, line, 200) != 200)
			return 1;
	}
	return 0;
}
