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
#include "event/status.h"
#include "model/model.h"

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

static void put_options(struct call *c, int options)
{
	char buf[128];
	struct wait_notes *w = notes(c);
	if (w)
		w->options = options;
	fs_names(&c->in, "options", flags_name(wait_options, (unsigned)options, buf, sizeof buf));
}

/* wait4(pid, &status, options, &rusage): wait() and waitpid() in libc. */
void wait4_enter(struct call *c)
{
	int pid = (int)c->a[0], options = (int)c->a[2];
	fs_int(&c->in, "pid", pid);
	put_options(c, options);
	if (c->a[3])
		c->call = "wait4";
	else if (pid == -1 && options == 0)
		c->call = "wait";
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
	put_options(c, (int)c->a[3]);
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

void wait_tell(const struct call *c, struct model *m, uint64_t t)
{
	const struct wait_notes *w = c->notes;
	if (w && w->child > 0 && w->status_valid)
		model_waited(m, t, c->tid, w->child, w->status, w->options);
}
