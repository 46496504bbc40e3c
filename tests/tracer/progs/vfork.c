/* vfork: the child borrows the parent's memory and _exits 5 at once. */
#include "progs.h"

int main(void)
{
    bound(10);
    pid_t pid = vfork();
    CHECK(pid >= 0);
    if (pid == 0)
        _exit(5);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 5);
    return 0;
}
