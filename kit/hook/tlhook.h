/*
 * tlhook.h - how the preloaded hook tells the tracer about library calls.
 *
 * pthread_join() and pthread_detach() are library calls: join waits on a
 * futex, detach makes no system call at all, so a tracer cannot see them.
 * The hook (libtlhook.so, preloaded by ./trace) makes one marker call after
 * each: ioctl(-1, TLHOOK_MAGIC, what, thread, ret, value). The fd -1 makes
 * it fail at once with EBADF, harmless; the seccomp filter stops exactly
 * this call. value is what a joined thread returned (its void *, as a
 * number): pthread_join hands it to the program, not to the kernel.
 * The same marker, sent just before the program's main() (the hook hands
 * __libc_start_main a main of its own), says where the program's own code
 * starts in each program it is loaded into (TLHOOK_START): what the
 * process did between its exec and then was set-up, the dynamic loader's
 * and the constructors' (the lab kit loads its message catalog in one).
 *
 * wait() and waitpid() are the same wait4 to the kernel. The hook makes
 * the wait calls itself and puts TLHOOK_WAIT_TAG(fn) in the sixth argument,
 * which wait4 and waitid never read: the tracer learns which function the
 * program called at the stop it makes anyway, for no stop more.
 */
#ifndef TLHOOK_H
#define TLHOOK_H

#define TLHOOK_MAGIC 0x7472616bUL   /* "trak" */

enum tlhook_what {
	TLHOOK_JOIN = 1,       /* pthread_join(thread) returned ret; the thread, value */
	TLHOOK_DETACH = 2,     /* pthread_detach(thread) returned ret */
	TLHOOK_CREATE_DETACHED = 3, /* pthread_create with a detached attr */
	TLHOOK_START = 4,      /* the program's own code starts (just before main) */
};

/* The C library's wait functions, as the tag names them. */
enum tlhook_wait {
	TLHOOK_WAIT = 1, TLHOOK_WAITPID, TLHOOK_WAIT3, TLHOOK_WAIT4, TLHOOK_WAITID,
	TLHOOK_NWAITS
};

#define TLHOOK_WAIT_TAG(fn) ((unsigned long)TLHOOK_MAGIC << 32 | (unsigned long)(fn))
/* The function a sixth argument names, or 0 when it is no tag. */
#define TLHOOK_WAIT_OF(arg) \
	((unsigned long)(arg) >> 32 == TLHOOK_MAGIC && ((arg) & 0xffffffffUL) < TLHOOK_NWAITS \
		 ? (int)((arg) & 0xffffffffUL) : 0)

#endif
