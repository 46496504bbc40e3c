/* daemon: starts a child that leaves its session (setsid) and never ends,
 * then exits 0 itself, as a server that leaves a daemon behind. The
 * timeout must stop it, and the reason must not call it an endless loop. */
#include <unistd.h>

int main(void)
{
	if (fork() == 0) {
		setsid();
		for (;;)
			pause();
	}
	return 0;
}
