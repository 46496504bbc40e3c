/*
 * sockets.c - makes sockets for the socket() tests (test_view.py).
 *
 *   sockets          a few kinds, one that fails, each closed; says each fd
 *   sockets loop N   N socket()+close() pairs, then how many times it slept
 *                    meanwhile (voluntary context switches, from the kernel):
 *                    a tracer stop makes it sleep, so this says whether
 *                    socket() stopped it
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The kind of socket each call asks for; the last one is no kind at all. */
static const struct { int domain, type; } kinds[] = {
	{ AF_INET, SOCK_STREAM },
	{ AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC },
	{ AF_UNIX, SOCK_STREAM },
	{ AF_INET, 12345 },
};

/* This process's voluntary context switches so far, from /proc. */
static long voluntary_switches(void)
{
	char line[256];
	long n = -1;
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "voluntary_ctxt_switches: %ld", &n) == 1)
			break;
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "loop") == 0) {
		long n = atol(argv[2]), before = voluntary_switches();
		for (long i = 0; i < n; i++) {
			int fd = socket(AF_INET, SOCK_STREAM, 0);
			if (fd < 0)
				return 1;
			close(fd);
		}
		printf("slept %ld\n", voluntary_switches() - before);
		return 0;
	}
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		int fd = socket(kinds[i].domain, kinds[i].type, 0);
		printf("socket %d %s\n", fd, fd < 0 ? strerror(errno) : "ok");
		if (fd >= 0)
			close(fd);
	}
	return 0;
}
