/*
 * call.h - one system call in flight, and the table of calls that stop.
 *
 * Each family of calls has its own decoder file (decode_wait.c,
 * decode_signal.c, decode_mux.c, decode_io.c); this table says which
 * function decodes which call, which class it belongs to, and what a
 * student calls it. The loop knows nothing about any particular call.
 */
#ifndef TRACELAB_CALL_H
#define TRACELAB_CALL_H

#include <stdint.h>
#include <sys/types.h>
#include "event/fields.h"

enum cls { CLS_PROCESS = 1, CLS_SIGNAL = 2, CLS_WAIT = 4, CLS_MUX = 8, CLS_IO = 16,
	   CLS_READY = 32, /* listen and bind: how the lab runner knows a server is up */
	   CLS_HOOK = 64   /* the preloaded hook's marker for library calls */ };
#define CLS_DEFAULT (CLS_PROCESS | CLS_SIGNAL | CLS_WAIT | CLS_MUX)
#define CLS_ALL (CLS_DEFAULT | CLS_IO | CLS_READY)

extern const struct clsname { const char *name; int bits; } cls_names[];
/* "process,signal" -> bits; -1 and *bad set to the unknown word otherwise. */
int cls_parse(const char *list, char *bad, size_t badsize);
const char *cls_name(int cls);

struct call;
typedef void decode_fn(struct call *c);

struct scdef {
	const char *name;          /* the kernel's name, resolved by libseccomp */
	int cls;
	const char *call;          /* what a student wrote, unless name_fn says */
	decode_fn *enter, *leave;  /* fill c->in at entry, c->out at return */
	int (*blocks)(const struct call *c);  /* may it block, given its args? */
	int entry_only;            /* no stop at return: it cannot block or fail usefully */
	int nr;                    /* filled in at start-up */
};

struct call {
	const struct scdef *def;
	pid_t pid, tid;
	uint64_t a[6];             /* raw arguments */
	uint64_t t_enter;
	int64_t ret;               /* raw return: -errno on failure */
	const char *call;          /* the student's name for it */
	struct fields in, out;
	struct arena arena;
	/* What the model needs from a decoded call. */
	int wait_options;
	int wait_status;
	int status_valid;
	pid_t wait_child;           /* the child a wait call returned, or 0 */
	int act_sig, act_kind, act_valid;  /* what a sigaction set */
	uint32_t act_flags;
	int64_t timeout_ns;         /* -1: no timeout (block until ready) */
	int detail;                 /* decoded and emitted (someone shows it) */
};

/* The table; NULL for a number that is not traced. */
const struct scdef *sc_by_nr(long nr);
const struct scdef *sc_by_name(const char *name);
/* Resolve every table entry's number; -1 when libseccomp is unusable. */
int sc_init(void);
/* Does the model need this call decoded (wait results, sigactions, the
 * lab runner's listen/bind), even when no renderer shows calls? */
int sc_model_needs(const struct scdef *d);
/* Does d stop the tracee, for these classes? With summary_only (no
 * renderer shows calls: -q without --json) only the calls the model needs
 * stop, and rt_sigreturn, which tells when a handler ends. */
int sc_traced(const struct scdef *d, int classes, int summary_only);
/* Every entry, for the filter. */
extern struct scdef sc_table[];

/* Reading the tracee's memory, for decoders: 0, or -1 if unreadable. */
int call_read(const struct call *c, uint64_t addr, void *buf, size_t len);

/* Decoders shared across families. */
void put_status(struct fields *fs, struct arena *a, const char *key, int status);
void put_timeout_ns(struct fields *fs, const char *key, int64_t ns);

decode_fn wait4_enter, wait4_leave, waitid_enter, waitid_leave;
decode_fn sigaction_enter, sigprocmask_enter, sigsuspend_enter, kill_enter, tgkill_enter;
decode_fn select_enter, select_leave, pselect_enter, pselect_leave, poll_enter, poll_leave,
	ppoll_enter, epoll_enter, epoll_leave, epoll_pwait2_enter, epoll_ctl_enter;
decode_fn fd_enter, accept_enter, rw_enter, fcntl_enter, ioctl_enter, listen_enter;
int wait_blocks(const struct call *c);
int mux_blocks(const struct call *c);
int always_blocks(const struct call *c);

#endif
