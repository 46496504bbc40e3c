/* SIGCHLD set to SIG_IGN: children are reaped by the kernel, never zombies,
   and wait() finds none (ECHILD) once they are gone. */
#include "progs.h"

int main(void)
{
    bound(10);
    CHECK(signal(SIGCHLD, SIG_IGN) != SIG_ERR);
    for (int i = 0; i < 3; i++) {
        pid_t pid = fork();
        CHECK(pid >= 0);
        if (pid == 0)
            _exit(i);
    }
    /* Blocks until every child is gone, then fails: nothing to reap. */
    CHECK(wait(NULL) == -1 && errno == ECHILD);
    return 0;
}
