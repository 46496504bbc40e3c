/* echo_client PORTFILE N: a client in the style of UNP's tcpcli04. It
 * waits for the server's port in PORTFILE, opens N connections, sends one
 * line on the first and reads it back, then exits: the kernel closes the
 * N connections at once, and the server's N children end together. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CONNECTIONS_MAX 64
/* How long it waits for the server to listen. */
#define PORT_WAIT_MS 20000
#define POLL_MS 5

static int read_port(const char *path)
{
	for (int waited = 0; waited < PORT_WAIT_MS; waited += POLL_MS) {
		FILE *f = fopen(path, "r");
		int port = 0;
		if (f) {
			int got = fscanf(f, "%d", &port);
			fclose(f);
			if (got == 1)
				return port;
		}
		usleep(POLL_MS * 1000);
	}
	return -1;
}

int main(int argc, char **argv)
{
	int n = argc == 3 ? atoi(argv[2]) : 0;
	if (n < 1 || n > CONNECTIONS_MAX) {
		fprintf(stderr, "usage: echo_client PORTFILE N (1 to %d)\n", CONNECTIONS_MAX);
		return 2;
	}
	int port = read_port(argv[1]);
	if (port < 0) {
		fprintf(stderr, "echo_client: no port in %s\n", argv[1]);
		return 1;
	}
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fds[CONNECTIONS_MAX];
	for (int i = 0; i < n; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (fds[i] < 0 || connect(fds[i], (struct sockaddr *)&addr, sizeof addr) < 0) {
			perror("echo_client: connect");
			return 1;
		}
	}
	const char line[] = "one line\n";
	char back[sizeof line];
	size_t got = 0;
	ssize_t r;
	if (write(fds[0], line, strlen(line)) != (ssize_t)strlen(line))
		return 1;
	while (got < strlen(line) && (r = read(fds[0], back + got, strlen(line) - got)) > 0)
		got += (size_t)r;
	return got == strlen(line) ? 0 : 1;   /* exit closes all n at once */
}
