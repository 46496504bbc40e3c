/*
 * labkit.h: the small library every lab links with.
 *
 * It holds only the boring parts (socket set-up, error checks, echoing a
 * buffer) so that a lab's own file shows nothing but its lesson. The calls
 * that ARE the lessons (fork, wait/waitpid, signal/sigaction, pthread_*,
 * select/poll/epoll, fcntl) are never wrapped: labs call them directly.
 *
 * Wrappers are named like the call with a capital letter (Accept for
 * accept) and take the same arguments. On an unexpected error they die:
 * they print "lab03: accept: Bad file descriptor" and exit(1).
 */
#ifndef LABKIT_H
#define LABKIT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE     /* gettid, program_invocation_short_name */
#endif
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <pthread.h>

/* Errors and messages. say() and fatal() print their format in the
 * student's language (kit_lang.h, po/labs/): a lab's sentences are written
 * in English as literal formats, which `make labs-pot` collects; die()'s
 * what is a C name (a call, a file) and stays as it is. */
void die(const char *what);            /* "lab03: what: strerror(errno)", exit 1 */
void fatal(const char *fmt, ...)       /* "lab03: message", exit 1 */
	__attribute__((format(printf, 1, 2), noreturn));
void say(const char *fmt, ...)         /* one line "lab05[pid]: message" */
	__attribute__((format(printf, 1, 2)));
/* Marks a sentence kept in a table and said later, say(said[i], n), so
 * that `make labs-pot` collects it too. */
#define N_(s) (s)

/* Error-checked system calls. */
int  Socket(int domain, int type, int protocol);
void Bind(int fd, const struct sockaddr *addr, socklen_t len);
void Listen(int fd, int backlog);
void Connect(int fd, const struct sockaddr *addr, socklen_t len);
void Setsockopt(int fd, int level, int name, const void *val, socklen_t len);
void Close(int fd);
ssize_t Write(int fd, const void *buf, size_t n);

/*
 * Accept and Read return -1 (errno set) instead of dying for the errors a
 * lab is meant to see: EINTR (a signal arrived) and EAGAIN/EWOULDBLOCK
 * (non-blocking fd, nothing there yet). Accept also returns -1 for
 * ECONNABORTED (the client left before we accepted it). Read treats a
 * client that reset its connection (ECONNRESET) as end of file: either
 * way, that client is gone.
 */
int Accept(int fd, struct sockaddr *addr, socklen_t *len);
ssize_t Read(int fd, void *buf, size_t n);

/* Write all n bytes. Returns n, or -1 if the peer has gone (EPIPE,
 * ECONNRESET). Retries short writes, EINTR and EAGAIN. */
ssize_t writen(int fd, const void *buf, size_t n);

/*
 * Read once from fd and write back what came. Returns the bytes echoed,
 * 0 when the client has gone, -1 with errno EINTR or EAGAIN.
 * A blocking server's whole conversation is: while (echo_once(fd) > 0) ;
 */
ssize_t echo_once(int fd);

/* Sockets on 127.0.0.1. port is a string, "0" lets the kernel pick one;
 * tcp_listen and udp_bind print the port they got. */
int tcp_listen(const char *port);
int tcp_connect(const char *host, const char *port);
int udp_bind(const char *port);
/* udp_bind's second half, for a socket made and set up beforehand: bind
 * it to 127.0.0.1:port and print the port it got. */
void udp_bind_fd(int fd, const char *port);

#endif
