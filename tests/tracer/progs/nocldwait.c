/* SA_NOCLDWAIT: SIGCHLD still comes (to a handler) but children are
   reaped by the kernel; wait() finds none. Each child's SIGCHLD is taken
   before the next fork, so none merge and the count is always 3. */
#include "progs.h"

static volatile sig_atomic_t got;

static void on_chld(int sig)
{
    (void)sig;
    got++;
}

int main(void)
{
    bound(10);
    struct sigaction sa = {0};
    sa.sa_handler = on_chld;
    sa.sa_flags = SA_NOCLDWAIT | SA_RESTART;
    CHECK(sigaction(SIGCHLD, &sa, NULL) == 0);
    sigset_t chld, old;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    CHECK(sigprocmask(SIG_BLOCK, &chld, &old) == 0);
    for (int i = 0; i < 3; i++) {
        pid_t pid = fork();
        CHECK(pid >= 0);
        if (pid == 0)
            _exit(i);
        while (got == i)
            sigsuspend(&old);
    }
    CHECK(wait(NULL) == -1 && errno == ECHILD);
    return 0;
}
