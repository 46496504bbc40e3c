/* echo_server PORTFILE: a server in the style of UNP's tcpserv02. Its
 * SIGCHLD handler calls wait() once per signal; it forks one child per
 * connection, which echoes lines until the client closes. It writes its
 * port to PORTFILE when it listens, and ends when no client has come for
 * IDLE_MS after the last one (accept() times out), leaving the zombies it
 * did not reap. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* How long accept() waits for a client before the server ends. */
#define IDLE_MS 1500
/* Idle spells before the first client: then the client never came. */
#define FIRST_CLIENT_TRIES 20
/* The whole run's bound: a test's server never outlives it. */
#define LIFETIME_S 60

static void on_chld(int sig)
{
	int saved = errno, status;
	(void)sig;
	wait(&status);   /* one child per signal: the bug */
	errno = saved;
}

static void echo(int fd)
{
	char buf[4096];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		if (write(fd, buf, (size_t)n) != n)
			return;
}

static int write_port(const char *path, int port)
{
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f || fprintf(f, "%d\n", port) < 0 || fclose(f) != 0)
		return -1;
	return rename(tmp, path);   /* whole, or not there */
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: echo_server PORTFILE\n");
		return 2;
	}
	alarm(LIFETIME_S);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof addr;
	struct timeval idle = { IDLE_MS / 1000, (IDLE_MS % 1000) * 1000 };
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(lfd, 16) < 0 ||
	    setsockopt(lfd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof idle) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&addr, &len) < 0 || write_port(argv[1], ntohs(addr.sin_port)) < 0) {
		perror("echo_server");
		return 1;
	}
	signal(SIGCHLD, on_chld);
	int served = 0, idle_spells = 0;
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0 && errno == EINTR)
			continue;   /* the handler ran: accept again, as tcpserv02 does */
		if (fd < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (served || ++idle_spells == FIRST_CLIENT_TRIES)
				break;
			continue;
		}
		if (fd < 0) {
			perror("accept");
			return 1;
		}
		served++;
		pid_t pid = fork();
		if (pid == 0) {
			close(lfd);
			echo(fd);
			_exit(0);
		}
		close(fd);
	}
	return served ? 0 : 1;
}
