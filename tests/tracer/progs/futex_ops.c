/* Futex: one call of each kind the sync class decodes, on one word, each
 * with a known result: a wake nobody waits for, a wait on a value that is
 * not there (EAGAIN), waits that time out (relative, and absolute on the
 * real-time clock), and a wait that a second thread's wake ends. Prints
 * the word's address. */
#include "progs.h"
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>

static uint32_t word;

static long futex(int op, uint32_t val, const struct timespec *ts, uint32_t val3)
{
    return syscall(SYS_futex, &word, op, val, ts, NULL, val3);
}

/* Waits until main sleeps on the word, then wakes it. */
static void *waker(void *arg)
{
    pid_t main_tid = (pid_t)(intptr_t)arg;
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)main_tid);
    while (__atomic_load_n(&word, __ATOMIC_SEQ_CST) != 1 || proc_state(path) != 'S')
        sleep_ms(1);
    __atomic_store_n(&word, 2, __ATOMIC_SEQ_CST);
    CHECK(futex(FUTEX_WAKE_PRIVATE, 1, NULL, 0) == 1);
    return NULL;
}

int main(void)
{
    bound(10);
    struct timespec rel = {0, 2000000}, past = {1, 0};
    printf("word at %p\n", (void *)&word);
    fflush(stdout);
    CHECK(futex(FUTEX_WAKE_PRIVATE, 1, NULL, 0) == 0);
    CHECK(futex(FUTEX_WAIT_PRIVATE, 5, NULL, 0) == -1 && errno == EAGAIN);
    CHECK(futex(FUTEX_WAIT, 0, &rel, 0) == -1 && errno == ETIMEDOUT);
    CHECK(futex(FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &past,
                FUTEX_BITSET_MATCH_ANY) == -1 && errno == ETIMEDOUT);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, waker, (void *)(intptr_t)syscall(SYS_gettid)) == 0);
    __atomic_store_n(&word, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&word, __ATOMIC_SEQ_CST) == 1)
        if (futex(FUTEX_WAIT_PRIVATE, 1, NULL, 0) == -1)
            CHECK(errno == EAGAIN || errno == EINTR);
    CHECK(pthread_join(t, NULL) == 0);
    return 0;
}
