/*
 * filter.c - build and load the seccomp filter with libseccomp.
 *
 * The filter is inherited by every child and thread, so a new task is
 * filtered from birth: nothing else needs to be done per fork.
 */
#include <seccomp.h>
#include "decode/call.h"
#include "core/filter.h"
#include "core/stops.h"
#include "../../kit/hook/tlhook.h"

int filter_install(int classes, int summary_only, int time_spawns)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return -1;
	/* Every syscall of the tracee runs this filter, traced or not: a binary
	 * search over the numbers keeps it short (a few compares, not one per
	 * rule). Leave the Spectre store-bypass mitigation as the kernel's
	 * policy has it rather than forcing it on for the traced program. */
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1);
	/* A call of another architecture (int $0x80, a 32-bit program) is not
	 * in this filter's tables. libseccomp kills the caller by default; here
	 * it stops, and the tracer lets it run and says it cannot show it. */
	seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRACE(0));
	int rc = 0, ioctl_traced = 0, ioctl_nr = seccomp_syscall_resolve_name("ioctl");
	for (const struct scdef *d = sc_table; d->name && rc == 0; d++)
		if (sc_traced(d, classes, summary_only) && d->nr >= 0) {
			rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), d->nr, 0);
			ioctl_traced |= d->nr == ioctl_nr;
		}
	/* execve and execveat, for exec_stops.c: exec is rare, and what it
	 * does to the other threads is known only from its entry. */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), SCMP_SYS(execve), 0);
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), SCMP_SYS(execveat), 0);
	/* The hook's marker, ioctl(-1, TLHOOK_MAGIC, ...), and no other ioctl. */
	if (rc == 0 && (classes & CLS_HOOK) && !ioctl_traced)
		rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), ioctl_nr, 2,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, 0xffffffff, 0xffffffff),
				      SCMP_A1(SCMP_CMP_EQ, TLHOOK_MAGIC));
	/* A clone that would hide its child from the tracer (untraced.c). */
	if (rc == 0)
		rc = untraced_filter_rules(ctx);
	/* Every fork's entry too, to time it (spawn_time.c). */
	if (rc == 0 && time_spawns)
		rc = spawn_time_filter_rules(ctx);
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	return rc;
}
