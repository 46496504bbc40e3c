/*
 * labkit.c: the boring parts of every lab (see labkit.h).
 */
#include "labkit.h"
#include <stdarg.h>
#include <arpa/inet.h>
#include "kit_lang.h"

/* Where the catalogs are when ./trace does not say (TRACELAB_LOCALEDIR):
 * the Makefile builds the labs with its own build/locale. */
#ifndef LABKIT_LOCALEDIR
#define LABKIT_LOCALEDIR NULL
#endif

/* A lab's sentence in the student's language (po/labs/). */
#define T(msgid) kit_lang_text(KIT_LANG_LABS_DOMAIN, msgid)

/* The lab's messages locale (kit_lang.h says why it lives here). */
locale_t kit_lang_locale;

/* Set-up, before main: the catalog is loaded here, so that its system
 * calls come before the tracer's start marker, with the loader's, and
 * not among the lab's own (kit/hook/tlhook.c). */
__attribute__((constructor)) static void choose_language(void)
{
	int saved = errno;
	kit_lang_init(KIT_LANG_LABS_DOMAIN, LABKIT_LOCALEDIR);
	errno = saved;
}

void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what,
		strerror(errno));
	exit(1);
}

void fatal(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, T(fmt), ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/*
 * One write(2) per line, not stdio: a forked child would print again
 * whatever stdout still had buffered, and a server killed by SIGTERM
 * would lose it. One write also keeps lines from several processes or
 * threads whole. Not for signal handlers (vsnprintf is not safe there).
 */
void say(const char *fmt, ...)
{
	char line[512];
	int n, saved = errno;
	va_list ap;

	n = snprintf(line, sizeof line, "%s[%d]: ",
		     program_invocation_short_name, (int)getpid());
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof line - n - 1, T(fmt), ap);
	va_end(ap);
	if (n > (int)sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	if (write(1, line, n) < 0) {
		/* nowhere left to report it: stdout is gone */
	}
	errno = saved;
}

int Socket(int domain, int type, int protocol)
{
	int fd = socket(domain, type, protocol);

	if (fd < 0)
		die("socket");
	return fd;
}

void Bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	if (bind(fd, addr, len) < 0)
		die("bind");
}

void Listen(int fd, int backlog)
{
	if (listen(fd, backlog) < 0)
		die("listen");
}

void Connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	if (connect(fd, addr, len) < 0)
		die("connect");
}

void Setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	if (setsockopt(fd, level, name, val, len) < 0)
		die("setsockopt");
}

void Close(int fd)
{
	/* On Linux the fd is gone even when close says EINTR: never retry. */
	if (close(fd) < 0 && errno != EINTR)
		die("close");
}

ssize_t Write(int fd, const void *buf, size_t n)
{
	ssize_t w = write(fd, buf, n);

	if (w < 0)
		die("write");
	return w;
}

int Accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	int c = accept(fd, addr, len);

	if (c < 0 && errno != EINTR && errno != EAGAIN &&
	    errno != EWOULDBLOCK && errno != ECONNABORTED)
		die("accept");
	return c;
}

ssize_t Read(int fd, void *buf, size_t n)
{
	ssize_t r = read(fd, buf, n);

	if (r < 0 && errno == ECONNRESET)
		return 0;
	if (r < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
		die("read");
	return r;
}

ssize_t writen(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	size_t left = n;

	while (left > 0) {
		ssize_t w = write(fd, p, left);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			/* A non-blocking socket with a full send buffer:
			 * labs send small messages, so this spins rarely. */
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				continue;
			if (errno == EPIPE || errno == ECONNRESET)
				return -1;
			die("write");
		}
		p += w;
		left -= w;
	}
	return n;
}

ssize_t echo_once(int fd)
{
	char buf[4096];
	ssize_t n = Read(fd, buf, sizeof buf);

	if (n > 0 && writen(fd, buf, n) < 0)
		return 0;       /* the client left before its echo: gone */
	return n;
}

/* 127.0.0.1:port (or host:port) as a sockaddr; dies on a bad one. */
static struct sockaddr_in loopback(const char *host, const char *port)
{
	struct sockaddr_in sin;
	char *end;
	long p = strtol(port, &end, 10);

	if (*port == '\0' || *end != '\0' || p < 0 || p > 65535)
		fatal("bad port: %s", port);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(p);
	if (strcmp(host, "localhost") == 0)
		host = "127.0.0.1";
	if (inet_pton(AF_INET, host, &sin.sin_addr) != 1)
		fatal("bad address: %s (give a numeric IPv4 address)", host);
	return sin;
}

static int bound_port(int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;

	if (getsockname(fd, (struct sockaddr *)&sin, &len) < 0)
		die("getsockname");
	return ntohs(sin.sin_port);
}

int tcp_listen(const char *port)
{
	struct sockaddr_in sin = loopback("127.0.0.1", port);
	int fd = Socket(AF_INET, SOCK_STREAM, 0);
	int on = 1;

	/* Restart a lab at once on the same port, even with old connections
	 * still in TIME_WAIT. */
	Setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	Bind(fd, (struct sockaddr *)&sin, sizeof sin);
	/* A long queue: clients that connect while the server is busy wait
	 * here (lab 1), and lab 11 has over a hundred at once. */
	Listen(fd, SOMAXCONN);
	say("listening on 127.0.0.1:%d (tcp)", bound_port(fd));
	return fd;
}

int tcp_connect(const char *host, const char *port)
{
	struct sockaddr_in sin = loopback(host, port);
	int fd = Socket(AF_INET, SOCK_STREAM, 0);

	Connect(fd, (struct sockaddr *)&sin, sizeof sin);
	return fd;
}

int udp_bind(const char *port)
{
	int fd = Socket(AF_INET, SOCK_DGRAM, 0);

	udp_bind_fd(fd, port);
	return fd;
}

void udp_bind_fd(int fd, const char *port)
{
	struct sockaddr_in sin = loopback("127.0.0.1", port);

	Bind(fd, (struct sockaddr *)&sin, sizeof sin);
	say("listening on 127.0.0.1:%d (udp)", bound_port(fd));
}
