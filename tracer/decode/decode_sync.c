/*
 * decode_sync.c - the calls of `--trace sync`: futex, the one system call
 * under every pthread mutex, condition variable and barrier. A lock that
 * nobody holds is taken without it; a thread that finds the lock held
 * sleeps in futex(FUTEX_WAIT) until the holder's unlock wakes it with
 * futex(FUTEX_WAKE). So the trace shows who waited for a lock, and how long.
 */
#include <linux/futex.h>
#include <stdio.h>
#include "common/names.h"
#include "decode/call.h"

/* futex(uaddr, op, val, ...): op is a command in its low bits, and flags. */
#define FUTEX_CMD(op) ((op) & FUTEX_CMD_MASK)

/* The commands that may put the caller to sleep. */
static const struct flag futex_sleepers[] = {
	{ FUTEX_WAIT, "wait" }, { FUTEX_WAIT_BITSET, "wait" }, { FUTEX_LOCK_PI, "lock" },
	{ FUTEX_LOCK_PI2, "lock" }, { FUTEX_WAIT_REQUEUE_PI, "wait" }, { 0, NULL },
};

/* uaddr, then op spelled as strace spells it ("FUTEX_WAIT_PRIVATE",
 * "FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME"), then val: the value
 * a wait expects to find there, or how many waiters a wake may wake. */
void futex_enter(struct call *c)
{
	char op[96];
	unsigned raw = (unsigned)c->a[1];
	const char *cmd = value_name(futex_cmds, FUTEX_CMD(raw));
	int n = cmd ? snprintf(op, sizeof op, "%s", cmd)
		    : snprintf(op, sizeof op, "%#x", FUTEX_CMD(raw));
	if (raw & FUTEX_PRIVATE_FLAG)
		n += snprintf(op + n, sizeof op - (size_t)n, "_PRIVATE");
	if (raw & FUTEX_CLOCK_REALTIME)
		snprintf(op + n, sizeof op - (size_t)n, "|FUTEX_CLOCK_REALTIME");
	fs_hex(&c->in, "uaddr", c->a[0]);
	fs_str(&c->in, "op", op);
	fs_int(&c->in, "val", (int)c->a[2]);
}

int futex_blocks(const struct call *c)
{
	return value_name(futex_sleepers, FUTEX_CMD((unsigned)c->a[1])) != NULL;
}
