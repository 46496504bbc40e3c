/*
 * syscalls.c - the calls that may stop a tracee, by class.
 *
 * fork, clone, execve and exit are not here: the kernel reports them as
 * ptrace events (PTRACE_EVENT_FORK, _EXEC, a death in waitpid) without any
 * syscall stop, which is much cheaper. What is here stops at entry through
 * the seccomp filter, and at return unless entry_only.
 */
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include "decode/call.h"

const struct clsname cls_names[] = {
	{ "process", CLS_PROCESS }, { "signal", CLS_SIGNAL }, { "wait", CLS_WAIT },
	{ "mux", CLS_MUX }, { "io", CLS_IO }, { "all", CLS_ALL }, { NULL, 0 },
};

struct scdef sc_table[] = {
	/* name            class       call          enter              leave          blocks */
	{ "wait4",         CLS_WAIT,   "waitpid",    wait4_enter,       wait4_leave,   wait_blocks,   0, -1 },
	{ "waitid",        CLS_WAIT,   "waitid",     waitid_enter,      waitid_leave,  wait_blocks,   0, -1 },
	{ "rt_sigaction",  CLS_SIGNAL, "sigaction",  sigaction_enter,   NULL,          NULL,          0, -1 },
	{ "rt_sigprocmask",CLS_SIGNAL, "sigprocmask",sigprocmask_enter, NULL,          NULL,          1, -1 },
	{ "rt_sigsuspend", CLS_SIGNAL, "sigsuspend", sigsuspend_enter,  NULL,          always_blocks, 0, -1 },
	{ "pause",         CLS_SIGNAL, "pause",      NULL,              NULL,          always_blocks, 0, -1 },
	{ "rt_sigreturn",  CLS_SIGNAL, "sigreturn",  NULL,              NULL,          NULL,          1, -1 },
	{ "kill",          CLS_SIGNAL, "kill",       kill_enter,        NULL,          NULL,          0, -1 },
	{ "tgkill",        CLS_SIGNAL, "tgkill",     tgkill_enter,      NULL,          NULL,          0, -1 },
	{ "tkill",         CLS_SIGNAL, "tkill",      kill_enter,        NULL,          NULL,          0, -1 },
	{ "select",        CLS_MUX,    "select",     select_enter,      select_leave,  mux_blocks,    0, -1 },
	{ "pselect6",      CLS_MUX,    "select",     pselect_enter,     pselect_leave, mux_blocks,    0, -1 },
	{ "poll",          CLS_MUX,    "poll",       poll_enter,        poll_leave,    mux_blocks,    0, -1 },
	{ "ppoll",         CLS_MUX,    "poll",       ppoll_enter,       poll_leave,    mux_blocks,    0, -1 },
	{ "epoll_wait",    CLS_MUX,    "epoll_wait", epoll_enter,       epoll_leave,   mux_blocks,    0, -1 },
	{ "epoll_pwait",   CLS_MUX,    "epoll_wait", epoll_enter,       epoll_leave,   mux_blocks,    0, -1 },
	{ "epoll_pwait2",  CLS_MUX,    "epoll_wait", epoll_pwait2_enter,epoll_leave,   mux_blocks,    0, -1 },
	{ "epoll_create1", CLS_MUX,    "epoll_create1", NULL,           NULL,          NULL,          0, -1 },
	{ "epoll_ctl",     CLS_MUX,    "epoll_ctl",  epoll_ctl_enter,   NULL,          NULL,          0, -1 },
	{ "accept",        CLS_IO,     "accept",     accept_enter,      NULL,          always_blocks, 0, -1 },
	{ "accept4",       CLS_IO,     "accept",     accept_enter,      NULL,          always_blocks, 0, -1 },
	{ "connect",       CLS_IO,     "connect",    fd_enter,          NULL,          always_blocks, 0, -1 },
	{ "read",          CLS_IO,     "read",       rw_enter,          NULL,          always_blocks, 0, -1 },
	{ "write",         CLS_IO,     "write",      rw_enter,          NULL,          NULL,          0, -1 },
	{ "recvfrom",      CLS_IO,     "recvfrom",   rw_enter,          NULL,          always_blocks, 0, -1 },
	{ "sendto",        CLS_IO,     "sendto",     rw_enter,          NULL,          NULL,          0, -1 },
	{ "recvmsg",       CLS_IO,     "recvmsg",    fd_enter,          NULL,          always_blocks, 0, -1 },
	{ "sendmsg",       CLS_IO,     "sendmsg",    fd_enter,          NULL,          NULL,          0, -1 },
	{ "close",         CLS_IO,     "close",      fd_enter,          NULL,          NULL,          0, -1 },
	{ "fcntl",         CLS_IO,     "fcntl",      fcntl_enter,       NULL,          NULL,          0, -1 },
	{ "ioctl",         CLS_IO,     "ioctl",      ioctl_enter,       NULL,          NULL,          0, -1 },
	{ "listen",        CLS_IO | CLS_READY, "listen", listen_enter,  NULL,          NULL,          0, -1 },
	{ "bind",          CLS_IO | CLS_READY, "bind",   fd_enter,      NULL,          NULL,          0, -1 },
	{ NULL, 0, NULL, NULL, NULL, NULL, 0, -1 },
};

/* Numbers on x86-64 stay below 512; a flat index keeps the lookup at one load. */
#define NR_MAX 512
static const struct scdef *by_nr[NR_MAX];

int sc_init(void)
{
	for (struct scdef *d = sc_table; d->name; d++) {
		d->nr = seccomp_syscall_resolve_name(d->name);
		if (d->nr == __NR_SCMP_ERROR)
			return -1;
		if (d->nr >= 0 && d->nr < NR_MAX)
			by_nr[d->nr] = d;
	}
	return 0;
}

const struct scdef *sc_by_nr(long nr)
{
	return nr >= 0 && nr < NR_MAX ? by_nr[nr] : NULL;
}

const struct scdef *sc_by_name(const char *name)
{
	for (struct scdef *d = sc_table; d->name; d++)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

int cls_parse(const char *list, char *bad, size_t badsize)
{
	int bits = 0;
	char word[32];
	while (*list) {
		size_t n = strcspn(list, ",");
		if (n == 0 || n >= sizeof word) {
			snprintf(bad, badsize, "%.*s", (int)(n < 31 ? n : 31), list);
			return -1;
		}
		memcpy(word, list, n);
		word[n] = '\0';
		const struct clsname *c = cls_names;
		while (c->name && strcmp(c->name, word) != 0)
			c++;
		if (!c->name) {
			snprintf(bad, badsize, "%s", word);
			return -1;
		}
		bits |= c->bits;
		list += n + (list[n] == ',');
	}
	return bits;
}

const char *cls_name(int cls)
{
	for (const struct clsname *c = cls_names; c->name; c++)
		if (cls & c->bits)
			return c->name;
	return "?";
}

int sc_model_needs(const struct scdef *d)
{
	return d->enter == wait4_enter || d->enter == waitid_enter ||
	       d->enter == sigaction_enter || (d->cls & CLS_READY);
}

int sc_traced(const struct scdef *d, int classes, int summary_only)
{
	if (!(d->cls & classes))
		return 0;
	return !summary_only || sc_model_needs(d) || strcmp(d->name, "rt_sigreturn") == 0;
}

int always_blocks(const struct call *c) { (void)c; return 1; }
