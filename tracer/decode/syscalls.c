/*
 * syscalls.c - the calls that may stop a tracee, by class (a call's life
 * from entry to return is call.c's).
 *
 * fork, clone, execve and exit are not here: the kernel reports them as
 * ptrace events (PTRACE_EVENT_FORK, _EXEC, a death in waitpid) without any
 * syscall stop, which is much cheaper (clone3, and clone with
 * CLONE_UNTRACED, stop at entry all the same: core/untraced.c; so does
 * execve, for core/exec_stops.c). What is
 * here stops at entry through the seccomp filter, and at return unless
 * entry_only.
 */
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "decode/call.h"

const struct clsname cls_names[] = {
	{ "process", CLS_PROCESS }, { "signal", CLS_SIGNAL }, { "wait", CLS_WAIT },
	{ "mux", CLS_MUX }, { "io", CLS_IO }, { "sync", CLS_SYNC }, { "all", CLS_ALL }, { NULL, 0 },
};

#define S CLS_SIGNAL
#define W CLS_WAIT
#define M CLS_MUX
#define IO CLS_IO
#define READY (CLS_IO | CLS_READY)
#define SY CLS_SYNC
/* A thread's signal to itself (abort(), raise()): thread-crashed-process
 * needs it, and it is rare enough to stop for under -q alone. */
#define SK (CLS_SIGNAL | CLS_DIAG)

struct scdef sc_table[] = {
	/* name             class  call             enter               leave              blocks         tell            entry_only */
	{ "wait4",          W,     "waitpid",       wait4_enter,        wait4_leave,       wait_blocks,   wait_tell,      0, -1 },
	{ "waitid",         W,     "waitid",        waitid_enter,       waitid_leave,      wait_blocks,   wait_tell,      0, -1 },
	{ "rt_sigaction",   S,     "sigaction",     sigaction_enter,    NULL,              NULL,          sigaction_tell, 0, -1 },
	{ "rt_sigprocmask", S,     "sigprocmask",   sigprocmask_enter,  NULL,              NULL,          NULL,           1, -1 },
	{ "rt_sigsuspend",  S,     "sigsuspend",    sigsuspend_enter,   NULL,              always_blocks, NULL,           0, -1 },
	{ "pause",          S,     "pause",         NULL,               NULL,              always_blocks, NULL,           0, -1 },
	{ "rt_sigreturn",   S,     "sigreturn",     NULL,               NULL,              NULL,          sigreturn_tell, 1, -1 },
	{ "kill",           S,     "kill",          kill_enter,         NULL,              NULL,          NULL,           0, -1 },
	{ "tgkill",         SK,    "tgkill",        tgkill_enter,       NULL,              NULL,          NULL,           0, -1 },
	{ "tkill",          SK,    "tkill",         kill_enter,         NULL,              NULL,          NULL,           0, -1 },
	{ "select",         M,     "select",        select_enter,       select_leave,      mux_blocks,    NULL,           0, -1 },
	{ "pselect6",       M,     "select",        pselect_enter,      pselect_leave,     mux_blocks,    NULL,           0, -1 },
	{ "poll",           M,     "poll",          poll_enter,         poll_leave,        mux_blocks,    NULL,           0, -1 },
	{ "ppoll",          M,     "poll",          ppoll_enter,        poll_leave,        mux_blocks,    NULL,           0, -1 },
	{ "epoll_wait",     M,     "epoll_wait",    epoll_wait_enter,   epoll_leave,       mux_blocks,    NULL,           0, -1 },
	{ "epoll_pwait",    M,     "epoll_wait",    epoll_pwait_enter,  epoll_leave,       mux_blocks,    NULL,           0, -1 },
	{ "epoll_pwait2",   M,     "epoll_wait",    epoll_pwait2_enter, epoll_leave,       mux_blocks,    NULL,           0, -1 },
	{ "epoll_create1",  M,     "epoll_create1", NULL,               NULL,              NULL,          NULL,           0, -1 },
	{ "epoll_ctl",      M,     "epoll_ctl",     epoll_ctl_enter,    NULL,              NULL,          NULL,           0, -1 },
	{ "socket",         IO,    "socket",        socket_enter,       NULL,              NULL,          NULL,           0, -1 },
	{ "accept",         IO,    "accept",        accept_enter,       NULL,              always_blocks, NULL,           0, -1 },
	{ "accept4",        IO,    "accept",        accept4_enter,      NULL,              always_blocks, NULL,           0, -1 },
	{ "connect",        IO,    "connect",       fd_enter,           NULL,              always_blocks, NULL,           0, -1 },
	{ "read",           IO,    "read",          read_enter,         NULL,              always_blocks, NULL,           0, -1 },
	{ "write",          IO,    "write",         read_enter,         NULL,              always_blocks, NULL,           0, -1 },
	{ "recvfrom",       IO,    "recvfrom",      recvfrom_enter,     NULL,              always_blocks, NULL,           0, -1 },
	{ "sendto",         IO,    "sendto",        sendto_enter,       NULL,              always_blocks, NULL,           0, -1 },
	{ "recvmsg",        IO,    "recvmsg",       fd_enter,           NULL,              always_blocks, NULL,           0, -1 },
	{ "sendmsg",        IO,    "sendmsg",       fd_enter,           NULL,              always_blocks, NULL,           0, -1 },
	{ "close",          IO,    "close",         fd_enter,           NULL,              NULL,          NULL,           0, -1 },
	{ "fcntl",          IO,    "fcntl",         fcntl_enter,        NULL,              NULL,          NULL,           0, -1 },
	{ "ioctl",          IO,    "ioctl",         ioctl_enter,        NULL,              NULL,          NULL,           0, -1 },
	{ "listen",         READY, "listen",        listen_enter,       socket_port_leave, NULL,          NULL,           0, -1 },
	{ "bind",           READY, "bind",          fd_enter,           socket_port_leave, NULL,          NULL,           0, -1 },
	{ "futex",          SY,    "futex",         futex_enter,        NULL,              futex_blocks,  NULL,           0, -1 },
	{ NULL, 0, NULL, NULL, NULL, NULL, NULL, 0, -1 },
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

const char *cls_list(int bits, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (const struct clsname *c = cls_names; c->name; c++)
		if ((bits & c->bits) == c->bits && c->bits != CLS_ALL)
			used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s%s",
						 used ? "|" : "", c->name);
	return buf;
}

int sc_model_needs(const struct scdef *d)
{
	return d->tell != NULL || (d->cls & (CLS_READY | CLS_DIAG));
}

int sc_traced(const struct scdef *d, int classes, int summary_only)
{
	return (d->cls & classes) && (!summary_only || sc_model_needs(d));
}

int always_blocks(const struct call *c) { (void)c; return 1; }
