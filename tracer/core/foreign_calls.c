/*
 * foreign_calls.c - system calls of another architecture: int $0x80 in a
 * 64-bit program, a 32-bit (i386) program, or the x32 ABI. The table and
 * the decoders know x86-64 calls only, so such a call runs untraced and
 * the trace says so, once per process. It is never killed for it, as
 * libseccomp's default would do: the tracer only watches. Processes,
 * signals and exits are ptrace events, so they are traced all the same.
 */
#include <linux/audit.h>
#include "common/names.h"
#include "core/stops.h"

#define NATIVE_ARCH AUDIT_ARCH_X86_64
#define X32_SYSCALL_BIT 0x40000000L

static const struct flag arch_names[] = {
	{ AUDIT_ARCH_I386, "i386" }, { AUDIT_ARCH_X86_64, "x32" }, { 0, NULL },
};

int is_foreign_call(uint32_t arch, long nr)
{
	return arch != NATIVE_ARCH || (nr & X32_SYSCALL_BIT);
}

struct next stop_foreign_call(struct tracer *tr, pid_t tid, uint32_t arch, long nr, uint64_t t)
{
	struct next n = untraced_foreign_entry(tr, tid, arch, nr);   /* a clone's CLONE_UNTRACED */
	pid_t pid = model_pid_of(tr->m, tid);
	if (!pid || idmap_get(&tr->foreign_noted, pid) || idmap_put(&tr->foreign_noted, pid, tr) < 0)
		return n;
	const char *name = value_name(arch_names, arch);
	struct event *e = tracer_event(tr, EV_NOTE, t, pid, tid);
	fs_str(&e->f, "what", "foreign_calls");
	fs_str(&e->f, "arch", name ? name : "unknown");
	fs_int(&e->f, "nr", nr & ~X32_SYSCALL_BIT);
	tracer_emit(tr);
	return n;
}

void foreign_forget(struct tracer *tr, pid_t pid)
{
	idmap_del(&tr->foreign_noted, pid);
}
