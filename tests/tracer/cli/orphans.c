/* orphans N: N times, a child forks a grandchild and exits; the grandchild
 * spins until it has been re-parented (so its parent is dead) and exits.
 * Every grandchild dies after its parent, by construction. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200;
	for (int i = 0; i < n; i++) {
		pid_t middle = fork();
		if (middle < 0)
			return 1;
		if (middle == 0) {
			pid_t me = getpid();
			if (fork() == 0) {
				while (getppid() == me)
					;
				_exit(0);
			}
			_exit(0);
		}
		if (waitpid(middle, NULL, 0) != middle)
			return 1;
	}
	return 0;
}
