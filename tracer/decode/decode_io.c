/*
 * decode_io.c - the calls of `--trace io`: socket, accept, connect, read and write,
 * the two ways to make a socket non-blocking or signal-driven (fcntl with
 * O_NONBLOCK/O_ASYNC/F_SETOWN, ioctl with FIONBIO/FIOASYNC), and listen
 * and bind with the port the socket got.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include "common/names.h"
#include "decode/call.h"
#include "decode/tracee.h"

void fd_enter(struct call *c) { fs_int(&c->in, "fd", (int)c->a[0]); }

/* socket(domain, type, protocol): the type carries SOCK_NONBLOCK and
 * SOCK_CLOEXEC beside the kind of socket; the new fd is what it returns. */
void socket_enter(struct call *c)
{
	char flags[48], type[80];
	int domain = (int)c->a[0], bits = (int)c->a[1], created = SOCK_NONBLOCK | SOCK_CLOEXEC;
	const char *name = value_name(sock_domains, (unsigned)domain);
	if (name)
		fs_str(&c->in, "domain", name);
	else
		fs_int(&c->in, "domain", domain);
	const char *kind = value_name(sock_types, (unsigned)(bits & ~created));
	char number[16];
	snprintf(number, sizeof number, "%d", bits & ~created);
	flags_name(sock_flags, (unsigned)(bits & created), flags, sizeof flags);
	snprintf(type, sizeof type, "%s%s%s", kind ? kind : number, flags[0] ? "|" : "", flags);
	fs_names(&c->in, "type", type);
	fs_int(&c->in, "protocol", (int)c->a[2]);
}

void accept_enter(struct call *c) { fd_enter(c); }

void accept4_enter(struct call *c)
{
	char buf[64];
	fd_enter(c);
	fs_names(&c->in, "flags", flags_name(sock_flags, c->a[3], buf, sizeof buf));
	if (c->a[3])
		c->call = "accept4";   /* glibc's accept() is accept4 with no flags */
}

/* read(fd, buf, count) and write(fd, buf, count) */
void read_enter(struct call *c)
{
	fd_enter(c);
	fs_int(&c->in, "count", (int64_t)c->a[2]);
}

/* recvfrom/sendto with no address are what recv()/send() become. */
void recvfrom_enter(struct call *c)
{
	read_enter(c);
	if (!c->a[4])
		c->call = "recv";
}

void sendto_enter(struct call *c)
{
	read_enter(c);
	if (!c->a[4])
		c->call = "send";
}

void fcntl_enter(struct call *c)
{
	char buf[128];
	int cmd = (int)c->a[1];
	const char *name = value_name(fcntl_cmds, (unsigned)cmd);
	fd_enter(c);
	if (name)
		fs_str(&c->in, "cmd", name);
	else
		fs_int(&c->in, "cmd", cmd);
	if (cmd == F_SETFL)
		fs_names(&c->in, "flags", flags_name(open_flags, c->a[2], buf, sizeof buf));
	else if (cmd == F_SETOWN || cmd == F_SETSIG || cmd == F_SETFD || cmd == F_DUPFD)
		fs_int(&c->in, "arg", (int)c->a[2]);
}

void ioctl_enter(struct call *c)
{
	int value;
	const char *name = value_name(ioctl_reqs, (unsigned)c->a[1]);
	fd_enter(c);
	if (name)
		fs_str(&c->in, "request", name);
	else
		fs_hex(&c->in, "request", (unsigned)c->a[1]);
	if ((c->a[1] == FIONBIO || c->a[1] == FIOASYNC) &&
	    call_read(c, c->a[2], &value, sizeof value) == 0)
		fs_int(&c->in, "value", value);
}

void listen_enter(struct call *c)
{
	fd_enter(c);
	fs_int(&c->in, "backlog", (int)c->a[1]);
}

/* After a successful listen or bind: the port the socket has (the kernel
 * picks one for port 0), read from the socket itself. */
void socket_port_leave(struct call *c)
{
	int port;
	if (c->ret == 0 && (port = tracee_port(c->pid, (int)c->a[0])) >= 0)
		fs_int(&c->out, "port", port);
}
