/*
 * tracee.h - small helpers that read a stopped tracee from outside:
 * its memory, its registers, and what /proc says about it.
 */
#ifndef TRACELAB_TRACEE_H
#define TRACELAB_TRACEE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

int tracee_read(pid_t tid, uint64_t addr, void *buf, size_t len);
/* The kernel's syscall number and first argument at a fork/clone event. */
int tracee_syscall_regs(pid_t tid, long *nr, uint64_t *arg0);
/* Whether the program tid runs now has a dynamic loader (its auxiliary
 * vector's AT_BASE, the loader's address, is not 0): 1, or 0 for a
 * statically linked one; -1 when /proc does not say. */
int tracee_dynamic(pid_t tid);
/* The CPU time task tid has run so far, in ns (the kernel's
 * sum_exec_runtime, /proc/tid/task/tid/schedstat), or -1. */
int64_t tracee_cpu_ns(pid_t tid);
/* readlink /proc/tid/exe into buf. */
int tracee_exe(pid_t tid, char *buf, size_t size);
/* argv from /proc/tid/cmdline, all of it: the count, with *argv (NULL at
 * the end) pointing into *buf; the caller frees both. -1 if unreadable. */
int tracee_argv(pid_t tid, char **buf, const char ***argv);
/* /proc/pid/comm, trimmed. */
int tracee_comm(pid_t pid, char *buf, size_t size);
/* The state letter of pid in /proc/pid/stat ('R', 'S', 'Z'...), or 0 if gone. */
char tracee_state(pid_t pid);
/* Is the process group of pid orphaned (so the kernel drops the stop
 * signals SIGTSTP, SIGTTIN and SIGTTOU sent to it with their default action)? */
int tracee_pgrp_orphaned(pid_t pid);
/* The process (thread group) of task tid, or -1 if gone. */
pid_t tracee_tgid(pid_t tid);
/* The parent pid of pid in /proc/pid/stat, or -1 if gone. */
pid_t tracee_ppid(pid_t pid);
/* The signals pending for thread tid of pid (its own and its process's)
 * and not blocked by it: bit n-1 for signal n. */
uint64_t tracee_deliverable(pid_t pid, pid_t tid);
/* Thread tid's state letter ('R', 'S', 't'...) and how many times it has
 * given up the CPU of its own accord: each sleep, and each ptrace stop.
 * -1 if it is gone. */
int tracee_sched(pid_t pid, pid_t tid, char *state, int64_t *switches);
/* Is sig pending for the whole process pid (ShdPnd in /proc/pid/status)? */
int tracee_sig_pending(pid_t pid, int sig);
/* The local port of the socket fd of process pid, or -1. */
int tracee_port(pid_t pid, int fd);

#endif
