/* w4_echo: benchmark workload W4 - a fork-per-client TCP echo server on
 * 127.0.0.1 whose SIGCHLD handler reaps with a waitpid(-1, WNOHANG) loop,
 * plus its own client, so one command is one process tree:
 *   w4_echo [clients=200] [timeout_s=60]
 * The server listens on a kernel-chosen port, forks a client process that
 * makes the connections one after another (connect, send 64 bytes, read the
 * echo, close), serves that many clients, reaps every child and exits 0 if
 * all went well. alarm() bounds every process, so it never hangs. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define MSG 64

static volatile sig_atomic_t reaped, bad_children, client_failed;
static volatile pid_t client_pid;
static int lfd = -1;

static void on_chld(int sig)
{
	int saved = errno, st;
	pid_t pid;
	(void)sig;
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		int ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
		reaped++;
		if (pid == client_pid) {
			if (!ok) {
				client_failed = 1;
				shutdown(lfd, SHUT_RDWR); /* wakes accept() */
			}
		} else if (!ok) {
			bad_children++;
		}
	}
	errno = saved;
}

/* Timeout: kill the client (its death ends the echo children's reads),
 * reap every child so none is left orphaned, exit 2. SIGCHLD is blocked
 * here; SA_RESETHAND plus a fresh alarm bounds the reaping too. */
static void on_alrm(int sig)
{
	static const char m[] = "w4_echo: server timed out\n";
	(void)sig;
	if (write(2, m, sizeof m - 1) < 0) { /* nothing to do */ }
	alarm(5);
	if (client_pid > 0)
		kill(client_pid, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	_exit(2);
}

static int read_full(int fd, char *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += r;
	}
	return 0;
}

static int write_full(int fd, const char *buf, size_t n)
{
	size_t put = 0;
	while (put < n) {
		ssize_t r = send(fd, buf + put, n - put, MSG_NOSIGNAL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		put += r;
	}
	return 0;
}

/* Server child: echo one 64-byte message back, then exit. */
static void serve(int cfd)
{
	char buf[MSG];
	if (read_full(cfd, buf, MSG) < 0 || write_full(cfd, buf, MSG) < 0)
		_exit(1);
	close(cfd);
	_exit(0);
}

/* Client process: n connections, one after another. */
static void client(const struct sockaddr_in *addr, long n)
{
	char out[MSG], in[MSG];
	for (long i = 0; i < n; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0) {
			perror("w4_echo client: socket");
			_exit(1);
		}
		while (connect(fd, (const struct sockaddr *)addr, sizeof *addr) < 0) {
			if (errno != EINTR) {
				perror("w4_echo client: connect");
				_exit(1);
			}
		}
		memset(out, 'a' + i % 26, MSG);
		snprintf(out, MSG, "client message %ld", i);
		if (write_full(fd, out, MSG) < 0 || read_full(fd, in, MSG) < 0 ||
		    memcmp(in, out, MSG) != 0) {
			fprintf(stderr, "w4_echo client: bad echo on connection %ld\n", i);
			_exit(1);
		}
		close(fd);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 200;
	int timeout = argc > 2 ? atoi(argv[2]) : 60;
	if (n <= 0 || timeout <= 0) {
		fprintf(stderr, "usage: %s [clients>0] [timeout_s>0]\n", argv[0]);
		return 2;
	}

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGCHLD);
	sa.sa_handler = on_alrm;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGALRM, &sa, NULL);
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	sa.sa_handler = on_chld; /* no SA_RESTART: accept() sees EINTR */
	sigaction(SIGCHLD, &sa, NULL);
	alarm(timeout);

	struct sockaddr_in addr;
	socklen_t alen = sizeof addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = 0;
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0 ||
	    listen(lfd, 64) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&addr, &alen) < 0) {
		perror("w4_echo: listen socket");
		return 1;
	}

	/* SIGCHLD stays blocked until client_pid is set, so the handler
	 * always recognises the client. */
	sigset_t chld, old;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	long forked = 0;
	pid_t pid = fork();
	if (pid < 0) {
		perror("w4_echo: fork client");
		return 1;
	}
	if (pid == 0) {
		signal(SIGCHLD, SIG_DFL);
		sigprocmask(SIG_SETMASK, &old, NULL);
		close(lfd);
		alarm(timeout);
		client(&addr, n);
	}
	client_pid = pid;
	forked++;
	sigprocmask(SIG_SETMASK, &old, NULL);

	long served = 0;
	int failed = 0;
	while (served < n && !client_failed) {
		int cfd = accept(lfd, NULL, NULL);
		if (cfd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (!client_failed)
				perror("w4_echo: accept");
			failed = 1;
			break;
		}
		pid = fork();
		if (pid < 0) {
			perror("w4_echo: fork");
			close(cfd);
			failed = 1;
			break;
		}
		if (pid == 0) {
			signal(SIGCHLD, SIG_DFL);
			close(lfd);
			alarm(timeout);
			serve(cfd);
		}
		forked++;
		served++;
		close(cfd);
	}
	int fd = lfd;
	lfd = -1; /* the handler must not shut down a reused fd number */
	close(fd);

	/* Wait until the handler has reaped every child we forked. */
	sigprocmask(SIG_BLOCK, &chld, &old);
	while (reaped < forked)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);

	if (client_failed)
		fprintf(stderr, "w4_echo: client failed\n");
	if (bad_children)
		fprintf(stderr, "w4_echo: %d server children failed\n", (int)bad_children);
	return failed || client_failed || bad_children || served != n;
}
