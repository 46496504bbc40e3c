/*
 * untraced.c - clone(CLONE_UNTRACED): a child the kernel would hide from
 * the tracer (no fork event, never traced).
 *
 * The seccomp filter stops a clone that asks for it (clone's flags are in
 * a register, which the filter reads) and every clone3 (its flags are in
 * memory, which no filter can read). At that stop the flag is taken out of
 * the call, so the child is traced from birth like any other, and its
 * spawn event says that the program asked (untraced: "cleared"). The call
 * is then followed to its return, where the program's own flags are put
 * back: a restarted call asks again, and the program finds its arguments
 * as it left them. The same for the i386 clone and clone3 (int $0x80),
 * which stop as calls of another architecture (foreign_calls.c). What
 * escapes all the same (another thread may rewrite clone3's flags after
 * this stop) is for escapes.c.
 */
#include <linux/audit.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include "core/stops.h"
#include "decode/tracee.h"

/* Where a call's first argument lives in the tracee's user area: rdi,
 * and for an i386 call ebx. */
#define ARG0_REG (offsetof(struct user, regs) + offsetof(struct user_regs_struct, rdi))
#define I386_ARG0_REG (offsetof(struct user, regs) + offsetof(struct user_regs_struct, rbx))
/* The i386 numbers (clone3's is the same on both). */
#define I386_CLONE 120
#define I386_CLONE3 435
/* An i386 argument is the low half of its register. */
#define I386_ARG_MASK 0xffffffffULL

/* A clone of tid's whose CLONE_UNTRACED was taken out, until it returns. */
struct untraced_call {
	long nr;           /* the call's number, as its fork event will show it */
	long reg;          /* clone: the register holding its flags; clone3: -1 */
	uint64_t addr;     /* clone3: where its struct clone_args is (flags come first) */
	uint64_t flags;    /* the flags the program gave */
};

int untraced_filter_rules(void *ctx)
{
	int rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), SCMP_SYS(clone), 1,
				  SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_UNTRACED, CLONE_UNTRACED));
	return rc ? rc : seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), SCMP_SYS(clone3), 0);
}

int is_clone_entry(long nr, const uint64_t *args)
{
	return nr == SYS_clone3 || (nr == SYS_clone && (args[0] & CLONE_UNTRACED));
}

/* Write the flags the kernel will read for this call. */
static int set_flags(pid_t tid, const struct untraced_call *u, uint64_t flags)
{
	if (u->reg >= 0)
		return (int)ptrace(PTRACE_POKEUSER, tid, u->reg, flags);
	return (int)ptrace(PTRACE_POKEDATA, tid, u->addr, flags);   /* writes read-only pages too */
}

/* tid calls clone3: its flags may change once it goes on, so a child of
 * tid's may escape after all (escapes.c looks at tid's children). */
static void note_clone3_maker(struct tracer *tr, pid_t tid)
{
	pid_t pid = model_pid_of(tr->m, tid);
	if (pid && !idmap_get(&tr->clone3_makers, tid))
		idmap_put(&tr->clone3_makers, tid, (void *)(intptr_t)pid);
}

/* Take CLONE_UNTRACED out of u's call, if it asks for it. For clone3,
 * u.flags is read here, from u.addr. */
static struct next take_out(struct tracer *tr, pid_t tid, struct untraced_call u)
{
	if (u.reg < 0) {
		note_clone3_maker(tr, tid);
		if (tracee_read(tid, u.addr, &u.flags, sizeof u.flags) != 0)
			return GO;   /* a bad pointer: the kernel fails the call (EFAULT) */
	}
	if (!(u.flags & CLONE_UNTRACED))
		return GO;
	struct untraced_call *keep = malloc(sizeof *keep);
	if (!keep || set_flags(tid, &u, u.flags & ~(uint64_t)CLONE_UNTRACED) != 0) {
		free(keep);
		tr->lost++;   /* not undone: escapes.c will find the child */
		return GO;
	}
	*keep = u;
	free(idmap_del(&tr->untraced, tid));
	if (idmap_put(&tr->untraced, tid, keep) < 0) {
		set_flags(tid, keep, keep->flags);
		free(keep);
		tr->lost++;
		return GO;
	}
	return (struct next){ NEXT_TO_RETURN, 0 };
}

struct next stop_clone_entry(struct tracer *tr, pid_t tid, long nr, const uint64_t *args)
{
	struct untraced_call u = { nr, nr == SYS_clone ? (long)ARG0_REG : -1, args[0], args[0] };
	return take_out(tr, tid, u);
}

struct next untraced_foreign_entry(struct tracer *tr, pid_t tid, uint32_t arch, long nr)
{
	struct user_regs_struct regs;
	if (arch != AUDIT_ARCH_I386 || (nr != I386_CLONE && nr != I386_CLONE3) ||
	    ptrace(PTRACE_GETREGS, tid, 0, &regs) != 0)
		return GO;
	uint64_t arg0 = regs.rbx & I386_ARG_MASK;
	struct untraced_call u = { nr, nr == I386_CLONE ? (long)I386_ARG0_REG : -1, arg0, arg0 };
	return take_out(tr, tid, u);
}

uint64_t untraced_asked(const struct tracer *tr, pid_t tid, long nr)
{
	const struct untraced_call *u = idmap_get(&tr->untraced, tid);
	return u && u->nr == nr ? CLONE_UNTRACED : 0;
}

void untraced_return(struct tracer *tr, pid_t tid)
{
	struct untraced_call *u = idmap_del(&tr->untraced, tid);
	uint64_t now = 0;
	if (!u)
		return;
	/* clone3's flags go back only if nobody wrote there since. */
	if (u->reg >= 0 ||
	    (tracee_read(tid, u->addr, &now, sizeof now) == 0 && now == (u->flags & ~(uint64_t)CLONE_UNTRACED)))
		set_flags(tid, u, u->flags);
	free(u);
}

void untraced_gone(struct tracer *tr, pid_t tid)
{
	free(idmap_del(&tr->untraced, tid));
	idmap_del(&tr->clone3_makers, tid);
}

void untraced_free(struct tracer *tr)
{
	idmap_each(&tr->untraced, i)
		free(tr->untraced.slots[i].val);
	idmap_free(&tr->untraced);
	idmap_free(&tr->clone3_makers);
}
