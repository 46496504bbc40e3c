/*
 * names.c - the flag and value tables, and the lookups over them.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include "common/names.h"

#define F(x) { x, #x }
#define END { 0, NULL }

const struct flag clone_flags[] = {
	F(CLONE_VM), F(CLONE_FS), F(CLONE_FILES), F(CLONE_SIGHAND), F(CLONE_PIDFD),
	F(CLONE_PTRACE), F(CLONE_VFORK), F(CLONE_PARENT), F(CLONE_THREAD),
	F(CLONE_NEWNS), F(CLONE_SYSVSEM), F(CLONE_SETTLS), F(CLONE_PARENT_SETTID),
	F(CLONE_CHILD_CLEARTID), F(CLONE_DETACHED), F(CLONE_UNTRACED),
	F(CLONE_CHILD_SETTID), F(CLONE_NEWCGROUP), F(CLONE_NEWUTS), F(CLONE_NEWIPC),
	F(CLONE_NEWUSER), F(CLONE_NEWPID), F(CLONE_NEWNET), F(CLONE_IO),
	F(CLONE_CLEAR_SIGHAND), F(CLONE_INTO_CGROUP), END
};

const struct flag wait_options[] = {
	F(WNOHANG), F(WUNTRACED), F(WCONTINUED), F(WNOWAIT), F(WEXITED),
	F(__WNOTHREAD), F(__WALL), F(__WCLONE), END
};

/* waitid's own names: its WSTOPPED is wait4's WUNTRACED (the same bit). */
const struct flag waitid_options[] = {
	F(WNOHANG), F(WSTOPPED), F(WEXITED), F(WCONTINUED), F(WNOWAIT),
	F(__WNOTHREAD), F(__WALL), F(__WCLONE), END
};

const struct flag sa_flags[] = {
	F(SA_NOCLDSTOP), F(SA_NOCLDWAIT), F(SA_SIGINFO), F(SA_ONSTACK),
	F(SA_RESTART), F(SA_NODEFER), F(SA_RESETHAND), F(SA_RESTORER), END
};

const struct flag open_flags[] = {
	F(O_WRONLY), F(O_RDWR), F(O_APPEND), F(O_NONBLOCK), F(O_ASYNC), F(O_DIRECT),
	F(O_CLOEXEC), F(O_CREAT), F(O_EXCL), F(O_NOCTTY), F(O_TRUNC), F(O_DSYNC),
	F(O_LARGEFILE), F(O_DIRECTORY), F(O_NOFOLLOW), F(O_NOATIME), END
};

const struct flag sock_flags[] = { F(SOCK_NONBLOCK), F(SOCK_CLOEXEC), END };

const struct flag sock_domains[] = {
	F(AF_UNIX), F(AF_INET), F(AF_INET6), F(AF_NETLINK), F(AF_PACKET), END
};

const struct flag sock_types[] = {
	F(SOCK_STREAM), F(SOCK_DGRAM), F(SOCK_RAW), F(SOCK_SEQPACKET), F(SOCK_RDM), END
};

const struct flag poll_events[] = {
	F(POLLIN), F(POLLPRI), F(POLLOUT), F(POLLERR), F(POLLHUP), F(POLLNVAL),
	F(POLLRDNORM), F(POLLRDBAND), F(POLLWRNORM), F(POLLWRBAND), F(POLLRDHUP), END
};

const struct flag epoll_events[] = {
	F(EPOLLIN), F(EPOLLPRI), F(EPOLLOUT), F(EPOLLERR), F(EPOLLHUP), F(EPOLLRDHUP),
	F(EPOLLEXCLUSIVE), F(EPOLLWAKEUP), F(EPOLLONESHOT), F(EPOLLET), END
};

const struct flag fcntl_cmds[] = {
	F(F_DUPFD), F(F_GETFD), F(F_SETFD), F(F_GETFL), F(F_SETFL), F(F_GETLK),
	F(F_SETLK), F(F_SETLKW), F(F_SETOWN), F(F_GETOWN), F(F_SETSIG), F(F_GETSIG),
	F(F_SETOWN_EX), F(F_GETOWN_EX), F(F_DUPFD_CLOEXEC), END
};

const struct flag ioctl_reqs[] = {
	F(FIONBIO), F(FIOASYNC), F(FIONREAD), F(FIOCLEX), F(FIONCLEX),
	F(SIOCSPGRP), F(SIOCGPGRP), F(FIOSETOWN), F(FIOGETOWN), END
};

/* futex's commands (its op without FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME). */
const struct flag futex_cmds[] = {
	F(FUTEX_WAIT), F(FUTEX_WAKE), F(FUTEX_FD), F(FUTEX_REQUEUE), F(FUTEX_CMP_REQUEUE),
	F(FUTEX_WAKE_OP), F(FUTEX_LOCK_PI), F(FUTEX_UNLOCK_PI), F(FUTEX_TRYLOCK_PI),
	F(FUTEX_WAIT_BITSET), F(FUTEX_WAKE_BITSET), F(FUTEX_WAIT_REQUEUE_PI),
	F(FUTEX_CMP_REQUEUE_PI), F(FUTEX_LOCK_PI2), END
};

const struct flag sigmask_hows[] = { F(SIG_BLOCK), F(SIG_UNBLOCK), F(SIG_SETMASK), END };

const char *flags_name(const struct flag *tab, uint64_t v, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (const struct flag *f = tab; f->name && v; f++) {
		if (!f->bits || (v & f->bits) != f->bits)
			continue;
		used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s%s",
					 used ? "|" : "", f->name);
		v &= ~f->bits;
	}
	if (v)
		used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s%#llx",
					 used ? "|" : "", (unsigned long long)v);
	return buf;
}

const char *value_name(const struct flag *tab, uint64_t v)
{
	for (const struct flag *f = tab; f->name; f++)
		if (f->bits == v)
			return f->name;
	return NULL;
}

/* Every signal's name, as a course writes it. The kernel's real-time
 * signals start at 32; glibc keeps the first two for itself (its SIGRTMIN
 * is 34), so they are named by the kernel's count: SIGRT_0 is signal 32. */
#define S(x) [x] = #x
#define RT(n) [32 + n] = "SIGRT_" #n
static const char *const sig_names[SIG_SLOTS] = {
	S(SIGHUP), S(SIGINT), S(SIGQUIT), S(SIGILL), S(SIGTRAP), S(SIGABRT), S(SIGBUS),
	S(SIGFPE), S(SIGKILL), S(SIGUSR1), S(SIGSEGV), S(SIGUSR2), S(SIGPIPE), S(SIGALRM),
	S(SIGTERM), S(SIGSTKFLT), S(SIGCHLD), S(SIGCONT), S(SIGSTOP), S(SIGTSTP), S(SIGTTIN),
	S(SIGTTOU), S(SIGURG), S(SIGXCPU), S(SIGXFSZ), S(SIGVTALRM), S(SIGPROF), S(SIGWINCH),
	S(SIGIO) /* not SIGPOLL: the name courses use */, S(SIGPWR), S(SIGSYS),
	RT(0), RT(1), RT(2), RT(3), RT(4), RT(5), RT(6), RT(7), RT(8), RT(9), RT(10),
	RT(11), RT(12), RT(13), RT(14), RT(15), RT(16), RT(17), RT(18), RT(19), RT(20),
	RT(21), RT(22), RT(23), RT(24), RT(25), RT(26), RT(27), RT(28), RT(29), RT(30),
	RT(31), RT(32),
};

const char *sig_name(int sig)
{
	return sig >= 1 && sig <= SIG_MAX && sig_names[sig] ? sig_names[sig] : "SIG?";
}

int sig_number(const char *name)
{
	char *end;
	long n = strtol(name, &end, 10);
	if (*name && !*end)
		return n >= 1 && n <= SIG_MAX ? (int)n : -1;
	if (strncmp(name, "SIG", 3) == 0)
		name += 3;
	for (int s = 1; s <= SIG_MAX; s++)
		if (strcmp(sig_name(s) + 3, name) == 0)
			return s;
	return -1;
}

const char *errno_name(int err)
{
	const char *name = strerrorname_np(err);
	return name ? name : "E?";
}

static const struct flag chld_codes[] = {
	F(CLD_EXITED), F(CLD_KILLED), F(CLD_DUMPED), F(CLD_TRAPPED), F(CLD_STOPPED),
	F(CLD_CONTINUED), END
};
static const struct flag segv_codes[] = { F(SEGV_MAPERR), F(SEGV_ACCERR), END };
static const struct flag poll_codes[] = {
	F(POLL_IN), F(POLL_OUT), F(POLL_MSG), F(POLL_ERR), F(POLL_PRI), F(POLL_HUP), END
};
static const struct flag si_codes[] = {
	F(SI_USER), F(SI_KERNEL), F(SI_QUEUE), F(SI_TIMER), F(SI_MESGQ), F(SI_ASYNCIO),
	F(SI_SIGIO), F(SI_TKILL), END
};

const char *si_code_name(int sig, int code)
{
	const char *name = NULL;
	if (code > 0) {
		const struct flag *tab = sig == SIGCHLD ? chld_codes
			: sig == SIGSEGV ? segv_codes : sig == SIGIO ? poll_codes : NULL;
		if (tab)
			name = value_name(tab, (uint64_t)code);
	}
	if (!name)
		name = value_name(si_codes, (uint64_t)(int64_t)code);
	return name;
}

const char *sigset_name(uint64_t set, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int s = 1; s <= SIG_MAX; s++)
		if (set & (1ULL << (s - 1)))
			used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s%s",
						 used ? "|" : "", sig_name(s));
	return buf;
}
