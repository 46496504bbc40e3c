/* Shared by the oracle programs: fail loudly, and never run for long. */
#ifndef PROGS_H
#define PROGS_H

#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Exit 2 with the reason: the test sees a failed program, not a hang. */
#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: %s failed (%s)\n", __FILE__, __LINE__, \
                    #cond, strerror(errno));                               \
            exit(2);                                                       \
        }                                                                  \
    } while (0)

/* A stuck program dies of SIGALRM instead of stalling the test run. */
static inline void bound(unsigned seconds) { alarm(seconds); }

static inline void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

/* The state letter of /proc/PID/stat ('R', 'S', 'Z', ...), or 0. */
static inline char proc_state(const char *stat_path)
{
    char buf[512];
    FILE *f = fopen(stat_path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    return p && p[1] == ' ' ? p[2] : 0;
}

static inline char pid_state(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    return proc_state(path);
}

#endif
