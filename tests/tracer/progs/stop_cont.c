/* SIGSTOP and SIGCONT of a child by its parent: waitpid with WUNTRACED
   sees the stop, with WCONTINUED the continue; then SIGTERM ends it.
   Each SIGCHLD is taken before the next step, so none merge, and the
   child's SIGCONT handler says when it has taken SIGCONT (else SIGTERM,
   a lower number, could be taken first and SIGCONT never delivered). */
#include "progs.h"

static volatile sig_atomic_t last_code;
static int took_cont[2];

static void on_cont(int sig)
{
    (void)sig;
    (void)!write(took_cont[1], "c", 1);
}

static void on_chld(int sig, siginfo_t *info, void *ctx)
{
    (void)sig;
    (void)ctx;
    last_code = info->si_code;
}

int main(void)
{
    bound(10);
    struct sigaction sa = {0};
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    CHECK(sigaction(SIGCHLD, &sa, NULL) == 0);
    struct sigaction cont = {0};
    cont.sa_handler = on_cont;
    cont.sa_flags = SA_RESTART;
    CHECK(sigaction(SIGCONT, &cont, NULL) == 0); /* for the child */
    CHECK(pipe(took_cont) == 0);
    sigset_t chld, old;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    CHECK(sigprocmask(SIG_BLOCK, &chld, &old) == 0);

    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        for (;;)
            pause();

    int status;
    CHECK(kill(pid, SIGSTOP) == 0);
    CHECK(waitpid(pid, &status, WUNTRACED) == pid);
    CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
    while (last_code != CLD_STOPPED)
        sigsuspend(&old);

    CHECK(kill(pid, SIGCONT) == 0);
    CHECK(waitpid(pid, &status, WCONTINUED) == pid);
    CHECK(WIFCONTINUED(status));
    while (last_code != CLD_CONTINUED)
        sigsuspend(&old);
    char c;
    CHECK(read(took_cont[0], &c, 1) == 1);

    CHECK(kill(pid, SIGTERM) == 0);
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    while (last_code != CLD_KILLED)
        sigsuspend(&old);
    return 0;
}
