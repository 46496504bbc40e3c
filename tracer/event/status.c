/*
 * status.c - wait statuses as fields, and from a child's siginfo.
 */
#include <signal.h>
#include <sys/wait.h>
#include "common/names.h"
#include "event/status.h"

void fs_status(struct fields *fs, const char *key, int status)
{
	struct fields *st = fs_obj(fs, key);
	if (!st)
		return;
	if (WIFEXITED(status)) {
		fs_int(st, "exited", WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		fs_str(st, "signaled", sig_name(WTERMSIG(status)));
		fs_bool(st, "core", WCOREDUMP(status));
	} else if (WIFSTOPPED(status)) {
		fs_str(st, "stopped", sig_name(WSTOPSIG(status)));
	} else if (WIFCONTINUED(status)) {
		fs_bool(st, "continued", 1);
	}
}

/* The encoding of <bits/waitstatus.h>: exit code in bits 8-15; a killing
 * signal in bits 0-6 with the core flag in bit 7; a stop as 0x7f with the
 * signal in bits 8-15; a continue as 0xffff. */
#define WS_CORE 0x80
#define WS_STOPPED 0x7f
#define WS_CONTINUED 0xffff

int status_from_child_info(int code, int value)
{
	switch (code) {
	case CLD_EXITED: return (value & 0xff) << 8;
	case CLD_KILLED: return value & 0x7f;
	case CLD_DUMPED: return (value & 0x7f) | WS_CORE;
	case CLD_STOPPED: case CLD_TRAPPED: return ((value & 0xff) << 8) | WS_STOPPED;
	case CLD_CONTINUED: return WS_CONTINUED;
	default: return -1;
	}
}
