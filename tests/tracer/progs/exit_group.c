/* exit_group while two other threads are blocked in read() on a pipe:
   the main thread waits until both are asleep in read, then exits 0. */
#include "progs.h"
#include <pthread.h>
#include <sys/syscall.h>

static int pipefd[2];
static volatile pid_t tids[2];

static void *reader(void *arg)
{
    tids[(long)arg] = (pid_t)syscall(SYS_gettid);
    char c;
    (void)!read(pipefd[0], &c, 1);
    _exit(3); /* never: nobody writes */
}

/* True when thread TID sleeps inside read(2). */
static int blocked_in_read(pid_t tid)
{
    char path[64], buf[64] = "";
    snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)tid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    (void)!fgets(buf, sizeof buf, f);
    fclose(f);
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)tid);
    return strncmp(buf, "0 ", 2) == 0 && proc_state(path) == 'S';
}

int main(void)
{
    bound(10);
    CHECK(pipe(pipefd) == 0);
    pthread_t t;
    for (long i = 0; i < 2; i++) {
        CHECK(pthread_create(&t, NULL, reader, (void *)i) == 0);
        while (!tids[i] || !blocked_in_read(tids[i]))
            sleep_ms(1);
    }
    exit(0);
}
