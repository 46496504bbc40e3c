/* posix_spawn: start /bin/true as a new process and reap it. */
#include "progs.h"
#include <spawn.h>

extern char **environ;

int main(void)
{
    bound(10);
    pid_t pid;
    char *argv[] = {"true", NULL};
    CHECK(posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ) == 0);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return 0;
}
