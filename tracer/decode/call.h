/*
 * call.h - one system call in flight, and the table of calls that stop.
 *
 * Each family of calls has its own decoder file (decode_wait.c,
 * decode_signal.c, decode_mux.c, decode_io.c, decode_sync.c); the table (syscalls.c) says
 * which functions decode which call, which class it belongs to, what a
 * student calls it, whether it may block, and what the model must be told
 * when it returns. The loop follows the table and names no call.
 */
#ifndef TRACELAB_CALL_H
#define TRACELAB_CALL_H

#include <stdint.h>
#include <sys/types.h>
#include "event/fields.h"

struct model;

enum cls { CLS_PROCESS = 1, CLS_SIGNAL = 2, CLS_WAIT = 4, CLS_MUX = 8, CLS_IO = 16,
	   CLS_READY = 32, /* listen and bind: how the lab runner knows a server is up */
	   CLS_HOOK = 64,  /* the preloaded hook's marker for library calls */
	   CLS_SYNC = 128, /* futex: locks' waits; not by default, as every lock and barrier makes them */
	   CLS_DIAG = 256  /* not a class: the diagnoses read it, so it stops under -q alone too */ };
#define CLS_DEFAULT (CLS_PROCESS | CLS_SIGNAL | CLS_WAIT | CLS_MUX)
#define CLS_ALL (CLS_DEFAULT | CLS_IO | CLS_SYNC | CLS_READY)

extern const struct clsname { const char *name; int bits; } cls_names[];
/* "process,signal" -> bits; -1 and *bad set to the unknown word otherwise. */
int cls_parse(const char *list, char *bad, size_t badsize);
const char *cls_name(int cls);
/* The classes in bits, as "process|signal" (all of them: "all"). */
const char *cls_list(int bits, char *buf, size_t size);

struct call;
typedef void decode_fn(struct call *c);
/* What the model learns from a finished call (a reap, a new disposition). */
typedef void tell_fn(const struct call *c, struct model *m, uint64_t t);

struct scdef {
	const char *name;          /* the kernel's name, resolved by libseccomp */
	int cls;
	const char *call;          /* what a student wrote, unless a decoder says */
	decode_fn *enter, *leave;  /* fill c->in at entry, c->out at return */
	int (*blocks)(const struct call *c);  /* may it block, given its args? */
	tell_fn *tell;             /* what the model needs from it, or NULL */
	int entry_only;            /* no stop at return: it cannot block or fail usefully */
	int nr;                    /* filled in at start-up */
};

struct call {
	const struct scdef *def;
	pid_t pid, tid;
	uint64_t a[6];             /* raw arguments */
	uint64_t t_enter;
	int64_t ret;               /* raw return: -errno on failure */
	int interrupted_by;        /* the signal that interrupted it (-ERESTART*), or 0 */
	const char *call;          /* the student's name for it */
	const char *call_or;       /* or this one: the arguments fit both, and no hook said which */
	const char *libc;          /* the C library function that made it, as the hook said, or NULL */
	int hooked;                /* its process has the preloaded hook (set for wait calls) */
	struct arena arena;        /* in, out and the decoder's own notes live here */
	struct fields in, out;
	void *notes;               /* what the family's decoder keeps between entry and return */
	int decoded;               /* the decoders ran (someone shows it, or the model needs it) */
	int64_t switches;          /* the task's voluntary context switches at entry; -1: not counted */
	int slept;                 /* it slept in the call: 1, 0, or -1 when not known */
};

/* The table; NULL for a number that is not traced. */
const struct scdef *sc_by_nr(long nr);
/* Resolve every table entry's number; -1 when libseccomp is unusable. */
int sc_init(void);
/* Does the model (or the lab runner, or the diagnoses) need this call
 * decoded, even when no renderer shows calls? */
int sc_model_needs(const struct scdef *d);
/* Does d stop the tracee, for these classes? With summary_only (no
 * renderer shows calls: -q without --json) only what the model needs. */
int sc_traced(const struct scdef *d, int classes, int summary_only);
/* Every entry, for the filter. */
extern struct scdef sc_table[];

/* call.c: a call starting now, and its end. */
struct call *call_new(const struct scdef *def, pid_t pid, pid_t tid, const uint64_t *args, uint64_t t);
void call_free(struct call *c);
/* The decoder's notes for c, zeroed, made on first use. */
void *call_notes(struct call *c, size_t size);
/* Reading the tracee's memory, for decoders: 0, or -1 if unreadable. */
int call_read(const struct call *c, uint64_t addr, void *buf, size_t len);

decode_fn wait4_enter, wait4_leave, waitid_enter, waitid_leave;
tell_fn wait_tell, sigaction_tell, sigreturn_tell;
decode_fn sigaction_enter, sigprocmask_enter, sigsuspend_enter, kill_enter, tgkill_enter;
decode_fn select_enter, select_leave, pselect_enter, pselect_leave, poll_enter, poll_leave,
	ppoll_enter, epoll_wait_enter, epoll_pwait_enter, epoll_leave, epoll_pwait2_enter,
	epoll_ctl_enter;
decode_fn fd_enter, socket_enter, accept_enter, accept4_enter, read_enter, recvfrom_enter, sendto_enter,
	fcntl_enter, ioctl_enter, listen_enter, socket_port_leave;
decode_fn futex_enter;
int wait_blocks(const struct call *c);
int futex_blocks(const struct call *c);
int mux_blocks(const struct call *c);
int always_blocks(const struct call *c);

#endif
