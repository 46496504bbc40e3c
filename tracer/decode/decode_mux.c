/*
 * decode_mux.c - select, poll and epoll: which fds a process waits on,
 * for how long, and which came back ready. The sets going in are read at
 * entry, because select() overwrites them with the ready ones.
 */
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <time.h>
#include "decode/call.h"
#include "common/names.h"

#define MAX_FDS 1024   /* FD_SETSIZE: what select can name */
#define MAX_POLL 512   /* entries decoded; more are counted, not listed */

void put_timeout_ns(struct fields *fs, const char *key, int64_t ns)
{
	if (ns < 0)
		fs_null(fs, key);
	else
		fs_int(fs, key, ns);
}

int mux_blocks(const struct call *c) { return c->timeout_ns != 0; }

static void put_fdset(struct call *c, struct fields *fs, const char *key, uint64_t addr, int nfds)
{
	fd_set set;
	int fds[MAX_FDS], n = 0;
	if (!addr) {
		fs_null(fs, key);
		return;
	}
	if (nfds > MAX_FDS)
		nfds = MAX_FDS;
	if (nfds < 0 || call_read(c, addr, &set, (size_t)(nfds + 7) / 8) < 0)
		return;
	for (int fd = 0; fd < nfds; fd++)
		if (FD_ISSET(fd, &set))
			fds[n++] = fd;
	fs_ints(fs, &c->arena, key, fds, n);
}

static void sets(struct call *c, struct fields *fs)
{
	int nfds = (int)c->a[0];
	put_fdset(c, fs, "readfds", c->a[1], nfds);
	put_fdset(c, fs, "writefds", c->a[2], nfds);
	put_fdset(c, fs, "exceptfds", c->a[3], nfds);
}

static void timeout_from_ts(struct call *c, uint64_t addr)
{
	struct timespec ts;
	c->timeout_ns = -1;
	if (addr && call_read(c, addr, &ts, sizeof ts) == 0)
		c->timeout_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	put_timeout_ns(&c->in, "timeout_ns", c->timeout_ns);
}

static void timeout_from_ms(struct call *c, int ms)
{
	c->timeout_ns = ms < 0 ? -1 : (int64_t)ms * 1000000;
	put_timeout_ns(&c->in, "timeout_ns", c->timeout_ns);
}

void select_enter(struct call *c)
{
	struct timeval tv;
	fs_int(&c->in, "nfds", (int)c->a[0]);
	sets(c, &c->in);
	c->timeout_ns = -1;
	if (c->a[4] && call_read(c, c->a[4], &tv, sizeof tv) == 0)
		c->timeout_ns = (int64_t)tv.tv_sec * 1000000000 + tv.tv_usec * 1000;
	put_timeout_ns(&c->in, "timeout_ns", c->timeout_ns);
}

void select_leave(struct call *c)
{
	if (c->ret > 0)
		sets(c, &c->out);
}

/* glibc's select() is pselect6 with no signal mask; pselect() passes one. */
void pselect_enter(struct call *c)
{
	fs_int(&c->in, "nfds", (int)c->a[0]);
	sets(c, &c->in);
	timeout_from_ts(c, c->a[4]);
	if (c->a[5]) {
		uint64_t data[2];
		if (call_read(c, c->a[5], data, sizeof data) == 0 && data[0])
			c->call = "pselect";
	}
}

void pselect_leave(struct call *c) { select_leave(c); }

static void pollfds(struct call *c, struct fields *fs, int revents)
{
	struct pollfd pfd[MAX_POLL];
	int pairs[2 * MAX_POLL], n = 0;
	int nfds = (int)c->a[1] < MAX_POLL ? (int)c->a[1] : MAX_POLL;
	if (nfds < 0 || call_read(c, c->a[0], pfd, sizeof *pfd * (size_t)nfds) < 0)
		return;
	for (int i = 0; i < nfds; i++) {
		int ev = revents ? pfd[i].revents : pfd[i].events;
		if (revents && !ev)
			continue;
		pairs[2 * n] = pfd[i].fd;
		pairs[2 * n + 1] = ev;
		n++;
	}
	fs_pairs(fs, &c->arena, "fds", "fd", "events", poll_events, pairs, n);
}

void poll_enter(struct call *c)
{
	fs_int(&c->in, "nfds", (int)c->a[1]);
	pollfds(c, &c->in, 0);
	timeout_from_ms(c, (int)c->a[2]);
}

void ppoll_enter(struct call *c)
{
	fs_int(&c->in, "nfds", (int)c->a[1]);
	pollfds(c, &c->in, 0);
	timeout_from_ts(c, c->a[2]);
	if (c->a[3])
		c->call = "ppoll";
}

void poll_leave(struct call *c)
{
	if (c->ret > 0)
		pollfds(c, &c->out, 1);
}

void epoll_enter(struct call *c)
{
	fs_int(&c->in, "epfd", (int)c->a[0]);
	fs_int(&c->in, "maxevents", (int)c->a[2]);
	timeout_from_ms(c, (int)c->a[3]);
	if (c->def->name[6] == 'p' && c->a[4])
		c->call = "epoll_pwait";
}

void epoll_pwait2_enter(struct call *c)
{
	fs_int(&c->in, "epfd", (int)c->a[0]);
	fs_int(&c->in, "maxevents", (int)c->a[2]);
	timeout_from_ts(c, c->a[3]);
}

void epoll_leave(struct call *c)
{
	struct epoll_event ev[MAX_POLL];
	int pairs[2 * MAX_POLL];
	int n = c->ret < MAX_POLL ? (int)c->ret : MAX_POLL;
	if (n <= 0 || call_read(c, c->a[1], ev, sizeof *ev * (size_t)n) < 0)
		return;
	for (int i = 0; i < n; i++) {
		pairs[2 * i] = (int)ev[i].data.u64;
		pairs[2 * i + 1] = (int)ev[i].events;
	}
	fs_pairs(&c->out, &c->arena, "events", "fd_data", "events", epoll_events, pairs, n);
}

/* epoll_ctl(epfd, op, fd, &event): how the interest list inside the kernel
 * is built, one fd at a time, before epoll_wait reads from it. */
void epoll_ctl_enter(struct call *c)
{
	static const struct flag ops[] = {
		{ EPOLL_CTL_ADD, "EPOLL_CTL_ADD" }, { EPOLL_CTL_DEL, "EPOLL_CTL_DEL" },
		{ EPOLL_CTL_MOD, "EPOLL_CTL_MOD" }, { 0, NULL },
	};
	struct epoll_event ev;
	char buf[256];
	const char *op = value_name(ops, c->a[1]);
	fs_int(&c->in, "epfd", (int)c->a[0]);
	fs_str(&c->in, &c->arena, "op", op ? op : "?");
	fs_int(&c->in, "fd", (int)c->a[2]);
	if (c->a[3] && call_read(c, c->a[3], &ev, sizeof ev) == 0)
		fs_names(&c->in, &c->arena, "events", flags_name(epoll_events, ev.events, buf, sizeof buf));
}
