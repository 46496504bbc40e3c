/*
 * tlhook.h - how the preloaded hook tells the tracer about library calls.
 *
 * pthread_join() and pthread_detach() are library calls: join waits on a
 * futex, detach makes no system call at all, so a tracer cannot see them.
 * The hook (libtlhook.so, preloaded by ./trace) makes one marker call after
 * each: ioctl(-1, TLHOOK_MAGIC, what, thread, ret). The fd -1 makes it fail
 * at once with EBADF, harmless; the seccomp filter stops exactly this call.
 */
#ifndef TLHOOK_H
#define TLHOOK_H

#define TLHOOK_MAGIC 0x7472616bUL   /* "trak" */

enum tlhook_what {
	TLHOOK_JOIN = 1,       /* pthread_join(thread) returned ret */
	TLHOOK_DETACH = 2,     /* pthread_detach(thread) returned ret */
	TLHOOK_CREATE_DETACHED = 3, /* pthread_create with a detached attr */
};

#endif
