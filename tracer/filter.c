/*
 * filter.c - build and load the seccomp filter with libseccomp.
 *
 * The filter is inherited by every child and thread, so a new task is
 * filtered from birth: nothing else needs to be done per fork.
 */
#include <seccomp.h>
#include "call.h"
#include "filter.h"

int filter_install(int classes)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return -1;
	int rc = 0;
	for (const struct scdef *d = sc_table; d->name && rc == 0; d++)
		if ((d->cls & classes) && d->nr >= 0)
			rc = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), d->nr, 0);
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	return rc;
}
