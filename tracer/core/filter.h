/*
 * filter.h - the seccomp filter that decides which calls stop the tracee.
 */
#ifndef TRACELAB_FILTER_H
#define TRACELAB_FILTER_H

/* Built in the child before exec; every call of the classes returns
 * SECCOMP_RET_TRACE, every other call runs without the tracer. */
int filter_install(int classes, int summary_only, int time_spawns);

#endif
