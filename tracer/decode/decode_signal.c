/*
 * decode_signal.c - sigaction, sigprocmask, sigsuspend, kill and friends.
 *
 * rt_sigaction is what both signal() and sigaction() become. glibc's
 * signal() always asks for SA_RESTART and a mask holding only the signal
 * itself, so that pattern is shown as "signal": it is what the student wrote.
 */
#include <signal.h>
#include <stdint.h>
#include "decode/call.h"
#include "model/model.h"
#include "common/names.h"

/* The kernel's struct sigaction on x86-64, not libc's. */
struct ksigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
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
	fs_names(&c->in, &c->arena, key, sigset_name(set, buf, sizeof buf));
}

void sigaction_enter(struct call *c)
{
	int sig = (int)c->a[0];
	struct ksigaction act;
	char buf[1024];

	fs_str(&c->in, &c->arena, "sig", sig_name(sig));
	if (!c->a[1] || call_read(c, c->a[1], &act, sizeof act) < 0)
		return;  /* only reading the current action */
	if (act.handler == (uint64_t)(uintptr_t)SIG_DFL)
		fs_str(&c->in, &c->arena, "handler", "SIG_DFL");
	else if (act.handler == (uint64_t)(uintptr_t)SIG_IGN)
		fs_str(&c->in, &c->arena, "handler", "SIG_IGN");
	else
		fs_hex(&c->in, "handler", act.handler);
	fs_names(&c->in, &c->arena, "flags", flags_name(sa_flags, act.flags, buf, sizeof buf));
	fs_names(&c->in, &c->arena, "mask", sigset_name(act.mask, buf, sizeof buf));

	c->act_sig = sig;
	c->act_kind = act.handler == (uint64_t)(uintptr_t)SIG_DFL ? D_DFL
		: act.handler == (uint64_t)(uintptr_t)SIG_IGN ? D_IGN : D_HANDLER;
	c->act_flags = (uint32_t)act.flags;
	c->act_valid = 1;
	if ((act.flags & ~0x04000000ULL) == SA_RESTART && sig >= 1 && sig <= 64 &&
	    act.mask == 1ULL << (sig - 1))
		c->call = "signal";
}

void sigprocmask_enter(struct call *c)
{
	const char *how = value_name(sigmask_hows, c->a[0]);
	fs_str(&c->in, &c->arena, "how", how ? how : "?");
	put_sigset(c, "set", c->a[1]);
}

void sigsuspend_enter(struct call *c) { put_sigset(c, "mask", c->a[0]); }

void kill_enter(struct call *c)
{
	fs_int(&c->in, "target", (int)c->a[0]);
	fs_str(&c->in, &c->arena, "sig", (int)c->a[1] ? sig_name((int)c->a[1]) : "0");
}

void tgkill_enter(struct call *c)
{
	fs_int(&c->in, "tgid", (int)c->a[0]);
	fs_int(&c->in, "target", (int)c->a[1]);
	fs_str(&c->in, &c->arena, "sig", (int)c->a[2] ? sig_name((int)c->a[2]) : "0");
}
