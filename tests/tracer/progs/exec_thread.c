/* execve from a thread that is not the main thread: it takes over the pid
   and the other threads (the main one, asleep in pause) are gone.
   The new image checks it kept the pid (passed in the environment, so
   argv is the same in every run) and exits 0. */
#include "progs.h"
#include <pthread.h>

static volatile sig_atomic_t created;

static void *worker(void *arg)
{
    (void)arg;
    /* Only once pthread_create has returned and main sleeps in pause:
       then every run makes the same calls. */
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)getpid());
    while (!created || proc_state(path) != 'S')
        sleep_ms(1);
    char *argv[] = {"exec_thread", "after", NULL};
    execv("/proc/self/exe", argv);
    _exit(3);
}

int main(int argc, char **argv)
{
    bound(10);
    if (argc == 2 && strcmp(argv[1], "after") == 0) {
        const char *was = getenv("EXEC_THREAD_PID");
        return was && getpid() == atoi(was) ? 0 : 4;
    }
    char pid[32];
    snprintf(pid, sizeof pid, "%d", (int)getpid());
    CHECK(setenv("EXEC_THREAD_PID", pid, 1) == 0);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, worker, NULL) == 0);
    created = 1;
    for (;;)
        pause();
}
