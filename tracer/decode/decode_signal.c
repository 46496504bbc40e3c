/*
 * decode_signal.c - sigaction, sigprocmask, sigsuspend, kill and friends,
 * and what the model learns from them (a new disposition; the end of a
 * handler at rt_sigreturn).
 *
 * rt_sigaction is what both signal() and sigaction() become. glibc's
 * signal() always asks for SA_RESTART and a mask holding only the signal
 * itself, so that pattern is shown as "signal": it is what the student wrote.
 */
#include <signal.h>
#include <stdint.h>
#include "common/names.h"
#include "decode/call.h"
#include "model/model.h"

/* The kernel's struct sigaction on x86-64, not libc's. */
struct ksigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

/* What a sigaction call set, for the model once it succeeded. */
struct sigaction_notes {
	int sig;
	enum disp kind;
	uint32_t flags;
};

static void put_sigset(struct call *c, const char *key, uint64_t addr)
{
	uint64_t set;
	char buf[1024];
	if (!addr) {
		fs_null(&c->in, key);
		return;
	}
	if (call_read(c, addr, &set, sizeof set) < 0)
		return;
	fs_names(&c->in, key, sigset_name(set, buf, sizeof buf));
}

static enum disp disp_of(uint64_t handler)
{
	return handler == (uint64_t)(uintptr_t)SIG_DFL ? D_DFL
		: handler == (uint64_t)(uintptr_t)SIG_IGN ? D_IGN : D_HANDLER;
}

static const char *const disp_names[] = { [D_DFL] = "SIG_DFL", [D_IGN] = "SIG_IGN" };

void sigaction_enter(struct call *c)
{
	int sig = (int)c->a[0];
	struct ksigaction act;
	char buf[1024];

	fs_str(&c->in, "sig", sig_name(sig));
	if (!c->a[1] || call_read(c, c->a[1], &act, sizeof act) < 0)
		return;  /* only reading the current action */
	enum disp kind = disp_of(act.handler);
	if (kind == D_HANDLER)
		fs_hex(&c->in, "handler", act.handler);
	else
		fs_str(&c->in, "handler", disp_names[kind]);
	fs_names(&c->in, "flags", flags_name(sa_flags, act.flags, buf, sizeof buf));
	fs_names(&c->in, "mask", sigset_name(act.mask, buf, sizeof buf));

	struct sigaction_notes *n = call_notes(c, sizeof *n);
	if (n)
		*n = (struct sigaction_notes){ sig, kind, (uint32_t)act.flags };
	if ((act.flags & ~(uint64_t)SA_RESTORER) == SA_RESTART && sig >= 1 && sig <= SIG_MAX &&
	    act.mask == 1ULL << (sig - 1))
		c->call = "signal";
}

void sigaction_tell(const struct call *c, struct model *m, uint64_t t)
{
	(void)t;
	const struct sigaction_notes *n = c->notes;
	if (n && c->ret == 0)
		model_sigaction(m, c->pid, n->sig, n->kind, n->flags);
}

/* rt_sigreturn is the last thing a handler does. */
void sigreturn_tell(const struct call *c, struct model *m, uint64_t t)
{
	(void)t;
	model_handler(m, c->tid, -1);
}

void sigprocmask_enter(struct call *c)
{
	const char *how = value_name(sigmask_hows, c->a[0]);
	fs_str(&c->in, "how", how ? how : "?");
	put_sigset(c, "set", c->a[1]);
}

void sigsuspend_enter(struct call *c) { put_sigset(c, "mask", c->a[0]); }

void kill_enter(struct call *c)
{
	fs_int(&c->in, "target", (int)c->a[0]);
	fs_str(&c->in, "sig", (int)c->a[1] ? sig_name((int)c->a[1]) : "0");
}

void tgkill_enter(struct call *c)
{
	fs_int(&c->in, "tgid", (int)c->a[0]);
	fs_int(&c->in, "target", (int)c->a[1]);
	fs_str(&c->in, "sig", (int)c->a[2] ? sig_name((int)c->a[2]) : "0");
}
