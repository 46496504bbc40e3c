/*
 * tlhook.c - the preloaded hook: wraps pthread_join, pthread_detach and
 * pthread_create (for threads created detached) and reports each to the
 * tracer with the marker call of tlhook.h. The thread is passed as its
 * pthread_t; the tracer maps it to a kernel tid from what it saw at clone.
 */

#include <dlfcn.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "tlhook.h"

static void mark(long what, pthread_t thread, long ret)
{
	syscall(SYS_ioctl, -1L, TLHOOK_MAGIC, what, (long)thread, ret);
}

int pthread_join(pthread_t thread, void **retval)
{
	static int (*real)(pthread_t, void **);
	if (!real)
		real = (int (*)(pthread_t, void **))dlsym(RTLD_NEXT, "pthread_join");
	int ret = real(thread, retval);
	mark(TLHOOK_JOIN, thread, ret);
	return ret;
}

int pthread_detach(pthread_t thread)
{
	static int (*real)(pthread_t);
	if (!real)
		real = (int (*)(pthread_t))dlsym(RTLD_NEXT, "pthread_detach");
	int ret = real(thread);
	mark(TLHOOK_DETACH, thread, ret);
	return ret;
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
		   void *(*start)(void *), void *arg)
{
	static int (*real)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
	int state = PTHREAD_CREATE_JOINABLE;
	if (!real)
		real = (int (*)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *))
			dlsym(RTLD_NEXT, "pthread_create");
	int ret = real(thread, attr, start, arg);
	if (ret == 0 && attr && pthread_attr_getdetachstate(attr, &state) == 0 &&
	    state == PTHREAD_CREATE_DETACHED)
		mark(TLHOOK_CREATE_DETACHED, *thread, 0);
	return ret;
}
