/* Threads: three are created; two return, one calls pthread_exit; all joined. */
#include "progs.h"
#include <pthread.h>

static void *worker(void *arg)
{
    if ((long)arg == 2)
        pthread_exit(arg);
    return arg;
}

int main(void)
{
    bound(10);
    pthread_t t[3];
    /* One at a time, so creation order is the same in every run. */
    for (long i = 0; i < 3; i++) {
        CHECK(pthread_create(&t[i], NULL, worker, (void *)i) == 0);
        void *ret;
        CHECK(pthread_join(t[i], &ret) == 0);
        CHECK((long)ret == i);
    }
    return 0;
}
