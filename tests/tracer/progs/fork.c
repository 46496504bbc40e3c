/* fork: one child that exits 7, reaped by waitpid. */
#include "progs.h"

int main(void)
{
    bound(10);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        _exit(7);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7);
    return 0;
}
