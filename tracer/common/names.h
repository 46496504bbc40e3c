/*
 * names.h - numbers to the names a C programmer writes.
 *
 * Flag tables drive the printing, as in strace: a decoder picks a table
 * and a value, and gets "WNOHANG|WUNTRACED" back. Signal names are a
 * table of their own (names.c); errno names come from glibc
 * (strerrorname_np). Every table is constant: nothing here changes.
 */
#ifndef TRACELAB_NAMES_H
#define TRACELAB_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* Linux numbers signals 1 to 64 (SIGRTMAX); arrays indexed by signal
 * number have SIG_SLOTS entries, entry 0 unused. */
#define SIG_MAX 64
#define SIG_SLOTS (SIG_MAX + 1)

/* The kernel's flag that says sa_restorer is set; libc sets it on every
 * sigaction and does not export its name. */
#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000
#endif

struct flag {
	uint64_t bits;
	const char *name;
};

extern const struct flag clone_flags[], wait_options[], waitid_options[], sa_flags[],
	open_flags[], poll_events[], epoll_events[], sock_flags[];
extern const struct flag fcntl_cmds[], ioctl_reqs[], sigmask_hows[], futex_cmds[], sock_domains[],
	sock_types[];

/* "A|B|0x40" for the bits of v in tab ("" when v is 0). */
const char *flags_name(const struct flag *tab, uint64_t v, char *buf, size_t size);
/* The name of the value v in tab (an enum, not bits), or NULL. */
const char *value_name(const struct flag *tab, uint64_t v);

/* "SIGCHLD", "SIGRTMIN+2"; "SIG?" for a number that is no signal. */
const char *sig_name(int sig);
/* The number of "SIGTERM" or "TERM" or "15", or -1. */
int sig_number(const char *name);
/* "EINTR", or "E?" */
const char *errno_name(int err);
/* si_code as a name, which depends on the signal: "CLD_EXITED", "SI_USER";
 * NULL for a code with no name. */
const char *si_code_name(int sig, int code);
/* A signal set (bit n-1 for signal n) as "SIGINT|SIGCHLD". */
const char *sigset_name(uint64_t set, char *buf, size_t size);

#endif
