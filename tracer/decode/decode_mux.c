/*
 * decode_mux.c - select, poll and epoll: which fds a process waits on,
 * for how long, and which came back ready. The sets going in are read at
 * entry, because select() overwrites them with the ready ones.
 */
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <time.h>
#include "common/names.h"
#include "decode/call.h"

#define MAX_FDS 1024   /* FD_SETSIZE: what select can name */
#define MAX_POLL 512   /* entries decoded; more are counted, not listed */
#define NS_PER_S 1000000000LL
#define NS_PER_MS 1000000LL
#define NS_PER_US 1000LL
#define NO_TIMEOUT (-1)   /* wait until something is ready */

/* How long the call may wait, for the model's "blocked" state. */
struct mux_notes {
	int64_t timeout_ns;   /* NO_TIMEOUT, or 0 for a poll that never waits */
};

int mux_blocks(const struct call *c)
{
	const struct mux_notes *n = c->notes;
	return !n || n->timeout_ns != 0;
}

static void put_timeout(struct call *c, int64_t ns)
{
	struct mux_notes *n = call_notes(c, sizeof *n);
	if (n)
		n->timeout_ns = ns;
	if (ns < 0)
		fs_null(&c->in, "timeout_ns");
	else
		fs_int(&c->in, "timeout_ns", ns);
}

static void timeout_from_ts(struct call *c, uint64_t addr)
{
	struct timespec ts;
	int64_t ns = NO_TIMEOUT;
	if (addr && call_read(c, addr, &ts, sizeof ts) == 0)
		ns = (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
	put_timeout(c, ns);
}

static void timeout_from_ms(struct call *c, int ms)
{
	put_timeout(c, ms < 0 ? NO_TIMEOUT : (int64_t)ms * NS_PER_MS);
}

/* The set at addr, fds below nfds, as a list under key. With ignored (at
 * entry), the fds the set holds from nfds up to the end of nfds's byte go
 * there: select() looks below nfds only, so these are never watched
 * (nfds is the highest fd plus one; passing the highest fd is the usual
 * slip). The byte is read only when it is there to read. */
struct ignored {
	int fd[3 * 8];   /* up to 8 fds from each of the three sets */
	int n;
};

static void put_fdset(struct call *c, struct fields *fs, const char *key, uint64_t addr, int nfds,
		      struct ignored *ignored)
{
	fd_set set;
	if (!addr) {
		fs_null(fs, key);
		return;
	}
	if (nfds > MAX_FDS)
		nfds = MAX_FDS;
	int upto = nfds;   /* the bits read */
	if (nfds < 0)
		return;
	if (ignored && nfds < MAX_FDS && call_read(c, addr, &set, (size_t)nfds / 8 + 1) == 0)
		upto = (nfds / 8 + 1) * 8;
	else if (call_read(c, addr, &set, (size_t)(nfds + 7) / 8) < 0)
		return;
	struct fields *l = fs_list(fs, key);
	for (int fd = 0; l && fd < nfds; fd++)
		if (FD_ISSET(fd, &set))
			fs_int(l, NULL, fd);
	for (int fd = nfds; ignored && fd < upto; fd++)
		if (FD_ISSET(fd, &set) && ignored->n < (int)(sizeof ignored->fd / sizeof *ignored->fd))
			ignored->fd[ignored->n++] = fd;
}

static void sets(struct call *c, struct fields *fs, int entry)
{
	int nfds = (int)c->a[0];
	struct ignored seen = { .n = 0 }, *ignored = entry ? &seen : NULL;
	put_fdset(c, fs, "readfds", c->a[1], nfds, ignored);
	put_fdset(c, fs, "writefds", c->a[2], nfds, ignored);
	put_fdset(c, fs, "exceptfds", c->a[3], nfds, ignored);
	if (seen.n) {
		struct fields *l = fs_list(fs, "ignored");
		for (int i = 0; l && i < seen.n; i++)
			fs_int(l, NULL, seen.fd[i]);
	}
}

/* One entry of a poll or epoll set: {"fd": 3, "events": ["POLLIN"]}. */
static void put_entry(struct fields *list, const char *numkey, int num,
		      const struct flag *tab, unsigned events)
{
	char buf[256];
	struct fields *o = fs_obj(list, NULL);
	if (!o)
		return;
	fs_int(o, numkey, num);
	fs_names(o, "events", flags_name(tab, events, buf, sizeof buf));
}

void select_enter(struct call *c)
{
	struct timeval tv;
	int64_t ns = NO_TIMEOUT;
	fs_int(&c->in, "nfds", (int)c->a[0]);
	sets(c, &c->in, 1);
	if (c->a[4] && call_read(c, c->a[4], &tv, sizeof tv) == 0)
		ns = (int64_t)tv.tv_sec * NS_PER_S + tv.tv_usec * NS_PER_US;
	put_timeout(c, ns);
}

void select_leave(struct call *c)
{
	if (c->ret > 0)
		sets(c, &c->out, 0);
}

/* glibc's select() is pselect6 with no signal mask; pselect() passes one. */
void pselect_enter(struct call *c)
{
	fs_int(&c->in, "nfds", (int)c->a[0]);
	sets(c, &c->in, 1);
	timeout_from_ts(c, c->a[4]);
	if (c->a[5]) {
		uint64_t data[2];   /* { const sigset_t *ss; size_t ss_len; } */
		if (call_read(c, c->a[5], data, sizeof data) == 0 && data[0])
			c->call = "pselect";
	}
}

void pselect_leave(struct call *c) { select_leave(c); }

static void pollfds(struct call *c, struct fields *fs, int revents)
{
	struct pollfd pfd[MAX_POLL];
	int nfds = (int)c->a[1] < MAX_POLL ? (int)c->a[1] : MAX_POLL;
	if (nfds < 0 || call_read(c, c->a[0], pfd, sizeof *pfd * (size_t)nfds) < 0)
		return;
	struct fields *l = fs_list(fs, "fds");
	for (int i = 0; l && i < nfds; i++) {
		int ev = revents ? pfd[i].revents : pfd[i].events;
		if (!revents || ev)
			put_entry(l, "fd", pfd[i].fd, poll_events, (unsigned)ev);
	}
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

void epoll_wait_enter(struct call *c)
{
	fs_int(&c->in, "epfd", (int)c->a[0]);
	fs_int(&c->in, "maxevents", (int)c->a[2]);
	timeout_from_ms(c, (int)c->a[3]);
}

/* epoll_pwait with a signal mask is what the program asked for by name;
 * without one it is glibc's epoll_wait(). */
void epoll_pwait_enter(struct call *c)
{
	epoll_wait_enter(c);
	if (c->a[4])
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
	int n = c->ret < MAX_POLL ? (int)c->ret : MAX_POLL;
	if (n <= 0 || call_read(c, c->a[1], ev, sizeof *ev * (size_t)n) < 0)
		return;
	struct fields *l = fs_list(&c->out, "events");
	for (int i = 0; l && i < n; i++)
		put_entry(l, "fd_data", (int)ev[i].data.u64, epoll_events, ev[i].events);
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
	fs_str(&c->in, "op", op ? op : "?");
	fs_int(&c->in, "fd", (int)c->a[2]);
	if (c->a[3] && call_read(c, c->a[3], &ev, sizeof ev) == 0)
		fs_names(&c->in, "events", flags_name(epoll_events, ev.events, buf, sizeof buf));
}
