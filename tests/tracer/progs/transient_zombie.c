/* A transient zombie: the child exits, the parent sleeps 50 ms, then
   reaps it with waitpid. The pipe's EOF says the child is exiting. */
#include "progs.h"

int main(void)
{
    bound(10);
    int alive[2];
    CHECK(pipe(alive) == 0);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        _exit(0);
    close(alive[1]);
    char c;
    CHECK(read(alive[0], &c, 1) == 0);
    sleep_ms(50);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return 0;
}
