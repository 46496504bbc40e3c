/*
 * picture_mux.c - the fd sets of select, poll and epoll_wait, for the
 * page's grid (labs 3 and 11): for each call, the fds it watched and
 * those that came back ready. A list of 100 fds per call reads badly as
 * text; as a grid (a row per fd, a column per call) it shows at a glance
 * which fds were watched and which were ready. epoll_wait's watched fds
 * are its interest list, which the process's epoll_ctl calls made.
 */
#include <stdlib.h>
#include <string.h>
#include "output/picture.h"

/* Columns of the grid; the calls past it are counted. */
#define MUX_CALLS_MAX 400

/* The fds a set names: a list of numbers (select), or of objects with
 * "fd" (poll) or "fd_data" (epoll_wait). */
static void add_fds(struct picture *p, struct mux_call *c, const struct fields *set, int ready, int *cap)
{
	for (int i = 0; set && i < set->n; i++) {
		const struct field *f = &set->f[i];
		int64_t fd = f->kind == F_INT ? f->i
			   : f->kind == F_OBJ ? fs_geti(f->sub, "fd", fs_geti(f->sub, "fd_data", -1)) : -1;
		if (fd < 0 || fd > INT32_MAX)
			continue;
		int j = 0;
		while (j < c->nfds && c->fds[j] != (int)fd)
			j++;
		if (j == c->nfds) {
			/* Both arrays grow, or cap stays: with fds grown and ready
			 * not, a cap taken from fds would let ready overflow. */
			int fds_cap = *cap, ready_cap = *cap;
			if (picture_grow(&c->fds, c->nfds, &fds_cap, sizeof *c->fds) < 0 ||
			    picture_grow(&c->ready, c->nfds, &ready_cap, sizeof *c->ready) < 0) {
				p->failed = 1;
				return;
			}
			*cap = fds_cap;
			c->fds[c->nfds] = (int)fd;
			c->ready[c->nfds++] = 0;
		}
		c->ready[j] |= (unsigned char)ready;
	}
}

static const char *const set_names[] = { "readfds", "writefds", "exceptfds", "fds" };
static const char *const wait_calls[] = { "pselect6", "select", "poll", "ppoll", "epoll_wait", "epoll_pwait",
					  "epoll_pwait2" };

static int in(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return 1;
	return 0;
}

/* epoll_ctl: the interest list of (process, epfd) changes. */
static void epoll_ctl(struct picture *p, const struct event *ev)
{
	const struct fields *args = fs_getobj(&ev->f, "args");
	const char *op = fs_str_or(args, "op", "");
	int epfd = (int)fs_geti(args, "epfd", -1), fd = (int)fs_geti(args, "fd", -1);
	if (fs_geti(&ev->f, "ret", -1) != 0)
		return;
	for (int i = 0; i < p->nepoll; i++)
		if (p->epoll[i].pid == ev->pid && p->epoll[i].epfd == epfd && p->epoll[i].fd == fd) {
			if (strcmp(op, "EPOLL_CTL_DEL") == 0)
				p->epoll[i] = p->epoll[--p->nepoll];
			return;
		}
	if (strcmp(op, "EPOLL_CTL_ADD") == 0 && picture_grow(&p->epoll, p->nepoll, &p->capepoll, sizeof *p->epoll) == 0)
		p->epoll[p->nepoll++] = (struct epoll_fd){ ev->pid, epfd, fd };
}

void picture_mux(struct picture *p, int task, int line, const struct event *ev)
{
	const char *name = fs_str_or(&ev->f, "name", "");
	if (strcmp(name, "epoll_ctl") == 0) {
		epoll_ctl(p, ev);
		return;
	}
	if (!in(name, wait_calls, sizeof wait_calls / sizeof *wait_calls))
		return;
	if (p->nmux >= MUX_CALLS_MAX) {
		p->mux_more++;
		return;
	}
	if (picture_grow(&p->mux, p->nmux, &p->capmux, sizeof *p->mux) < 0) {
		p->failed = 1;
		return;
	}
	struct mux_call *c = &p->mux[p->nmux++];
	*c = (struct mux_call){ .task = task, .t = ev->t, .line = line };
	int cap = 0;
	const struct fields *args = fs_getobj(&ev->f, "args"), *out = fs_getobj(&ev->f, "out");
	if (strncmp(name, "epoll", 5) == 0) {
		int epfd = (int)fs_geti(args, "epfd", -1);
		for (int i = 0; i < p->nepoll; i++) {
			if (p->epoll[i].pid != ev->pid || p->epoll[i].epfd != epfd)
				continue;
			struct field one = { .kind = F_INT, .i = p->epoll[i].fd };
			struct fields set = { .f = &one, .n = 1 };
			add_fds(p, c, &set, 0, &cap);
		}
		add_fds(p, c, fs_getlist(out, "events"), 1, &cap);
		return;
	}
	for (size_t i = 0; i < sizeof set_names / sizeof *set_names; i++) {
		add_fds(p, c, fs_getlist(args, set_names[i]), 0, &cap);
		add_fds(p, c, fs_getlist(out, set_names[i]), 1, &cap);
	}
}
