/* 2000 forks in a row, each child reaped before the next is made. */
#include "progs.h"

int main(void)
{
    bound(60);
    for (int i = 0; i < 2000; i++) {
        pid_t pid = fork();
        CHECK(pid >= 0);
        if (pid == 0)
            _exit(i % 256);
        int status;
        CHECK(waitpid(pid, &status, 0) == pid);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == i % 256);
    }
    return 0;
}
