/*
 * decode_wait.c - wait4 and waitid: which child was asked for, with which
 * options, and what came back. Whether a returned status reaps the child
 * (it does not for a stopped/continued report or a WNOWAIT peek) is the
 * model's business; this file reads the call and tells the model.
 */
#include <signal.h>
#include <sys/wait.h>
#include "common/names.h"
#include "decode/call.h"
#include "decode/tracee.h"
#include "event/status.h"
#include "model/model.h"
#include "../../kit/hook/tlhook.h"

/* What a wait call keeps between its entry and the model. */
struct wait_notes {
	int options;
	pid_t child;          /* the child it returned, or 0 */
	int status;
	int status_valid;
};

static struct wait_notes *notes(struct call *c) { return call_notes(c, sizeof(struct wait_notes)); }

int wait_blocks(const struct call *c)
{
	const struct wait_notes *w = c->notes;
	return !w || !(w->options & WNOHANG);
}

static void put_options(struct call *c, const struct flag *names, int options)
{
	char buf[128];
	struct wait_notes *w = notes(c);
	if (w)
		w->options = options;
	fs_names(&c->in, "options", flags_name(names, (unsigned)options, buf, sizeof buf));
}

/* The C library's wait functions, by the hook's tag (tlhook.h). */
static const char *const libc_waits[TLHOOK_NWAITS] = {
	[TLHOOK_WAIT] = "wait", [TLHOOK_WAITPID] = "waitpid", [TLHOOK_WAIT3] = "wait3",
	[TLHOOK_WAIT4] = "wait4", [TLHOOK_WAITID] = "waitid",
};

/* The function the hook's tag in the sixth argument names, or NULL. */
static const char *tagged(struct call *c)
{
	c->libc = libc_waits[TLHOOK_WAIT_OF(c->a[5])];
	if (c->libc)
		c->call = c->libc;
	return c->libc;
}

/* wait4(pid, &status, options, &rusage): wait(), waitpid(), wait3() and
 * wait4() in the C library. The hook says which; without it (a static
 * program, or none preloaded) the arguments tell them apart, but for
 * wait(&s) and waitpid(-1, &s, 0), which are the same call: both are said.
 * In a process with the hook, a wait4 it did not tag is a bare syscall()
 * (or the C library's own, in system()). */
void wait4_enter(struct call *c)
{
	int pid = (int)c->a[0], options = (int)c->a[2];
	fs_int(&c->in, "pid", pid);
	put_options(c, wait_options, options);
	if (tagged(c))
		return;
	if (c->a[3] || c->hooked) {
		c->call = "wait4";
	} else if (pid == -1 && options == 0) {
		c->call = "wait";
		c->call_or = "waitpid";
	}
}

void wait4_leave(struct call *c)
{
	struct wait_notes *w = notes(c);
	int status;
	if (c->ret <= 0 || !w)
		return;
	w->child = (pid_t)c->ret;
	if (c->a[1] && call_read(c, c->a[1], &status, sizeof status) == 0) {
		w->status = status;
		w->status_valid = 1;
		fs_status(&c->out, "status", status);
	} else if (!(w->options & (WUNTRACED | WCONTINUED))) {
		w->status = 0;  /* no status asked for, but only an exit can come back */
		w->status_valid = 1;
	}
}

/* waitid(idtype, id, &info, options, &rusage) */
void waitid_enter(struct call *c)
{
	int idtype = (int)c->a[0], id = (int)c->a[1];
	fs_int(&c->in, "pid", idtype == P_ALL ? -1 : idtype == P_PGID ? -id : id);
	put_options(c, waitid_options, (int)c->a[3]);
	tagged(c);
}

void waitid_leave(struct call *c)
{
	struct wait_notes *w = notes(c);
	siginfo_t si;
	if (!w || c->ret != 0 || !c->a[2] || call_read(c, c->a[2], &si, sizeof si) < 0 || !si.si_pid)
		return;
	int status = status_from_child_info(si.si_code, si.si_status);
	if (status < 0)
		return;
	w->child = si.si_pid;
	w->status = status;
	w->status_valid = 1;
	fs_int(&c->out, "pid", si.si_pid);
	fs_status(&c->out, "status", status);
}

/* The zombie children of the waiter, gathered before any is told reaped. */
#define ZOMBIES_CHECKED_MAX 64
struct zombies {
	pid_t pid[ZOMBIES_CHECKED_MAX];
	int n;
};

static void gather(pid_t child, void *ctx)
{
	struct zombies *z = ctx;
	if (z->n < ZOMBIES_CHECKED_MAX)
		z->pid[z->n++] = child;
}

/* A reap is a fact about the child: it is gone. A wait can reap a child
 * and still not say which (waitid with no siginfo to fill; wait4 whose
 * status pointer is bad returns EFAULT after the reap). So after every
 * wait, a zombie child of the waiter that /proc no longer shows was
 * reaped by it. */
void wait_tell(const struct call *c, struct model *m, uint64_t t)
{
	const struct wait_notes *w = c->notes;
	struct zombies z = { .n = 0 };
	if (w && w->child > 0 && w->status_valid)
		model_waited(m, t, c->tid, w->child, w->status, w->options);
	if (w && (w->options & WNOWAIT))
		return;   /* a peek reaps nothing */
	model_each_zombie_child(m, c->pid, gather, &z);
	for (int i = 0; i < z.n; i++)
		if (tracee_state(z.pid[i]) == 0)
			model_waited(m, t, c->tid, z.pid[i], model_exit_status(m, z.pid[i]), 0);
}
