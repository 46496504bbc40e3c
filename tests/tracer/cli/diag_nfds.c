/* diag_nfds: select() with nfds = the fd itself, not the fd plus one.
 * The pipe has data, yet select() times out: it ignores the fd. Prints
 * "nfds N fd F ready R" (R: what select returned), the oracle of the
 * trace's select-nfds-too-small. */
#include <stdio.h>
#include <sys/select.h>
#include <unistd.h>

int main(void)
{
	int p[2];
	if (pipe(p) != 0)
		return 1;
	(void)!write(p[1], "x", 1);
	fd_set set;
	FD_ZERO(&set);
	FD_SET(p[0], &set);
	struct timeval tv = { 0, 50000 };
	int nfds = p[0];   /* the slip: should be p[0] + 1 */
	int ready = select(nfds, &set, NULL, NULL, &tv);
	printf("nfds %d fd %d ready %d\n", nfds, p[0], ready);
	return 0;
}
