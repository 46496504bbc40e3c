/* Leaked zombies: three children exit, the parent never waits and exits.
   The SIGCHLD handler counts but does not reap (the classic bug); each
   child's SIGCHLD is taken before the next fork so none merge, and the
   parent makes sure all three are zombies before it exits. */
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
    sa.sa_flags = SA_RESTART;
    CHECK(sigaction(SIGCHLD, &sa, NULL) == 0);
    sigset_t chld, old;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    CHECK(sigprocmask(SIG_BLOCK, &chld, &old) == 0);
    pid_t kids[3];
    for (int i = 0; i < 3; i++) {
        kids[i] = fork();
        CHECK(kids[i] >= 0);
        if (kids[i] == 0)
            _exit(0);
        while (got == i)
            sigsuspend(&old);
    }
    for (int i = 0; i < 3; i++)
        while (pid_state(kids[i]) != 'Z')
            sleep_ms(1);
    return 0;
}
