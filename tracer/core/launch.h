/*
 * launch.h - start a command under the tracer, or attach to a process.
 */
#ifndef TRACELAB_LAUNCH_H
#define TRACELAB_LAUNCH_H

#include <stddef.h>
#include "core/tracer.h"

/* 0, or 2 after one line on stderr saying what to do. */
int launch_check(char *const *argv, char *path, size_t size);
int launch_command(struct tracer *tr, char *const *argv, const char *path);
int launch_attach(struct tracer *tr, pid_t pid);
/* Seize a task of the started command's tree found running untraced
 * (escapes.c), as the command was: 0, or -1 with errno. */
int launch_seize_found(pid_t tid);

#endif
