/* accept() interrupted by SIGCHLD whose handler has SA_RESTART: the kernel
   restarts the call. The handler connects to the listening socket, so the
   restarted accept returns that connection. The child exits only once the
   parent sleeps in accept (after 100 ms, and its /proc state says so). */
#include "progs.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

static volatile sig_atomic_t got;
static struct sockaddr_in addr = {.sin_family = AF_INET};

static void on_chld(int sig)
{
    (void)sig;
    int saved = errno;
    int cfd = socket(AF_INET, SOCK_STREAM, 0);
    if (cfd >= 0 && connect(cfd, (struct sockaddr *)&addr, sizeof addr) == 0)
        got = 1;
    errno = saved;
}

int main(void)
{
    bound(10);
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(lfd >= 0);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(lfd, (struct sockaddr *)&addr, sizeof addr) == 0);
    socklen_t len = sizeof addr;
    CHECK(getsockname(lfd, (struct sockaddr *)&addr, &len) == 0);
    CHECK(listen(lfd, 4) == 0);

    struct sigaction sa = {0};
    sa.sa_handler = on_chld;
    sa.sa_flags = SA_RESTART;
    CHECK(sigaction(SIGCHLD, &sa, NULL) == 0);

    pid_t parent = getpid();
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        sleep_ms(100);
        while (pid_state(parent) != 'S')
            sleep_ms(1);
        _exit(0);
    }
    int fd = accept(lfd, NULL, NULL);
    CHECK(fd >= 0 && got);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return 0;
}
