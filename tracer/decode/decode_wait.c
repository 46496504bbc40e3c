/*
 * decode_wait.c - wait4 and waitid: which child was asked for, with which
 * options, and what came back. Whether a returned status reaps the child
 * (it does not for a stopped/continued report or a WNOWAIT peek) is the
 * model's business; this file only reads it.
 */
#include <signal.h>
#include <sys/wait.h>
#include "decode/call.h"
#include "common/names.h"

void put_status(struct fields *fs, struct arena *a, const char *key, int status)
{
	struct fields *st = fs_obj(fs, a, key);
	if (!st)
		return;
	if (WIFEXITED(status)) {
		fs_int(st, "exited", WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		fs_str(st, a, "signaled", sig_name(WTERMSIG(status)));
		fs_bool(st, "core", WCOREDUMP(status));
	} else if (WIFSTOPPED(status)) {
		fs_str(st, a, "stopped", sig_name(WSTOPSIG(status)));
	} else if (WIFCONTINUED(status)) {
		fs_bool(st, "continued", 1);
	}
}

int wait_blocks(const struct call *c) { return !(c->wait_options & WNOHANG); }

static void put_options(struct call *c, int options)
{
	char buf[128];
	c->wait_options = options;
	fs_names(&c->in, &c->arena, "options", flags_name(wait_options, (unsigned)options, buf, sizeof buf));
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
	int status;
	if (c->ret <= 0)
		return;
	c->wait_child = (pid_t)c->ret;
	if (c->a[1] && call_read(c, c->a[1], &status, sizeof status) == 0) {
		c->wait_status = status;
		c->status_valid = 1;
		put_status(&c->out, &c->arena, "status", status);
	} else if (!(c->wait_options & (WUNTRACED | WCONTINUED))) {
		c->wait_status = 0;  /* no status asked for, but only an exit can come back */
		c->status_valid = 1;
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
	siginfo_t si;
	if (c->ret != 0 || !c->a[2] || call_read(c, c->a[2], &si, sizeof si) < 0 || !si.si_pid)
		return;
	int s = si.si_status;
	switch (si.si_code) {
	case CLD_EXITED: c->wait_status = (s & 0xff) << 8; break;
	case CLD_KILLED: c->wait_status = s & 0x7f; break;
	case CLD_DUMPED: c->wait_status = (s & 0x7f) | 0x80; break;
	case CLD_STOPPED: case CLD_TRAPPED: c->wait_status = ((s & 0xff) << 8) | 0x7f; break;
	case CLD_CONTINUED: c->wait_status = 0xffff; break;
	default: return;
	}
	c->wait_child = si.si_pid;
	c->status_valid = 1;
	fs_int(&c->out, "pid", si.si_pid);
	put_status(&c->out, &c->arena, "status", c->wait_status);
}
