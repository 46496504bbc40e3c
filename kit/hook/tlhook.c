/*
 * tlhook.c - the preloaded hook: wraps pthread_join, pthread_detach and
 * pthread_create (for threads created detached) and reports each to the
 * tracer with the marker call of tlhook.h. The thread is passed as its
 * pthread_t; the tracer maps it to a kernel tid from what it saw at clone.
 * It also marks where each program's own code starts (just before its
 * main), and makes the C library's wait calls with a tag that names the
 * function (tlhook.h).
 */

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tlhook.h"

static void tell_tracer(long what, pthread_t thread, long ret, long value)
{
	syscall(SYS_ioctl, -1L, TLHOOK_MAGIC, what, (long)thread, ret, value);
}

/* The program's own code starts at its main(): the dynamic loader has
 * mapped and linked every library, and every constructor has run (the
 * C library's, the kit's set-up such as loading its message catalog).
 * The program's entry point hands main to __libc_start_main, which the
 * hook takes first (it is preloaded) to hand on a main of its own that
 * marks the start and then calls the real one. A program that does not
 * start through __libc_start_main sends no marker (the tracer copes). */
typedef int (*main_fn)(int, char **, char **);
static main_fn program_main;

static int marked_main(int argc, char **argv, char **envp)
{
	int saved = errno;
	tell_tracer(TLHOOK_START, 0, 0, 0);
	errno = saved;
	return program_main(argc, argv, envp);
}

int __libc_start_main(main_fn main, int argc, char **argv, void (*init)(void),
		      void (*fini)(void), void (*rtld_fini)(void), void *stack_end)
{
	typedef int (*start_fn)(main_fn, int, char **, void (*)(void), void (*)(void),
				void (*)(void), void *);
	start_fn real = (start_fn)dlsym(RTLD_NEXT, "__libc_start_main");
	program_main = main;
	return real(marked_main, argc, argv, init, fini, rtld_fini, stack_end);
}

/* The wait call the C library would make, with the tag in its unused sixth
 * argument. The C library's wait functions are cancellation points and a
 * bare syscall() is not: asynchronous cancellation around the call lets a
 * pthread_cancel() act in it as it would in them. */
static long tagged(long nr, long a, long b, long c, long d, int fn)
{
	int type, err;
	pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, &type);
	long ret = syscall(nr, a, b, c, d, 0L, TLHOOK_WAIT_TAG(fn));
	err = errno;
	pthread_setcanceltype(type, NULL);
	errno = err;
	return ret;
}

pid_t wait(int *status)
{
	return (pid_t)tagged(SYS_wait4, -1, (long)status, 0, 0, TLHOOK_WAIT);
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return (pid_t)tagged(SYS_wait4, pid, (long)status, options, 0, TLHOOK_WAITPID);
}

pid_t wait3(int *status, int options, struct rusage *usage)
{
	return (pid_t)tagged(SYS_wait4, -1, (long)status, options, (long)usage, TLHOOK_WAIT3);
}

pid_t wait4(pid_t pid, int *status, int options, struct rusage *usage)
{
	return (pid_t)tagged(SYS_wait4, pid, (long)status, options, (long)usage, TLHOOK_WAIT4);
}

/* The kernel's waitid takes a fifth argument, the rusage, which the C
 * library's waitid passes as NULL. */
int waitid(idtype_t idtype, id_t id, siginfo_t *info, int options)
{
	return (int)tagged(SYS_waitid, idtype, id, (long)info, options, TLHOOK_WAITID);
}

int pthread_join(pthread_t thread, void **retval)
{
	static int (*real)(pthread_t, void **);
	if (!real)
		real = (int (*)(pthread_t, void **))dlsym(RTLD_NEXT, "pthread_join");
	/* Our own slot for the thread's value, so that the tracer gets it
	 * even when the program passes NULL; the program's is filled as the
	 * C library would (only on success). */
	void *value = NULL;
	int ret = real(thread, &value);
	if (ret == 0 && retval)
		*retval = value;
	tell_tracer(TLHOOK_JOIN, thread, ret, ret == 0 ? (long)value : 0);
	return ret;
}

int pthread_detach(pthread_t thread)
{
	static int (*real)(pthread_t);
	if (!real)
		real = (int (*)(pthread_t))dlsym(RTLD_NEXT, "pthread_detach");
	int ret = real(thread);
	tell_tracer(TLHOOK_DETACH, thread, ret, 0);
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
		tell_tracer(TLHOOK_CREATE_DETACHED, *thread, 0, 0);
	return ret;
}
