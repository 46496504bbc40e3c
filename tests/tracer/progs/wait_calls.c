/* Each of the C library's wait functions, called directly, once per child:
   wait(), waitpid(-1, ..., 0), waitpid(pid, ..., 0), wait3(), wait4(),
   waitid(), and wait4 as a bare syscall(). Child k exits with k. The
   program prints the name of each function it called, in order, one per
   line ("syscall" for the bare one): which the trace must name. */
#include <sys/resource.h>
#include <sys/syscall.h>
#include "progs.h"

static pid_t child(int code)
{
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        _exit(code);
    return pid;
}

static void called(const char *name, pid_t got, pid_t want)
{
    CHECK(got == want);
    printf("%s\n", name);
    fflush(stdout);
}

int main(void)
{
    int status;
    struct rusage usage;
    siginfo_t info;
    pid_t pid;

    bound(10);
    pid = child(1);
    called("wait", wait(&status), pid);
    pid = child(2);
    called("waitpid", waitpid(-1, &status, 0), pid);
    pid = child(3);
    called("waitpid", waitpid(pid, &status, 0), pid);
    pid = child(4);
    called("wait3", wait3(&status, 0, &usage), pid);
    pid = child(5);
    called("wait4", wait4(pid, &status, 0, NULL), pid);
    pid = child(6);
    memset(&info, 0, sizeof info);
    CHECK(waitid(P_PID, (id_t)pid, &info, WEXITED) == 0);
    called("waitid", info.si_pid, pid);
    pid = child(7);
    called("syscall", (pid_t)syscall(SYS_wait4, pid, &status, 0, NULL), pid);
    return 0;
}
