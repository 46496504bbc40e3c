/* accept() interrupted by SIGCHLD whose handler has no SA_RESTART: the
   call fails with EINTR. The child exits only once the parent sleeps in
   accept (after 100 ms, and its /proc state says it sleeps). */
#include "progs.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

static volatile sig_atomic_t got;

static void on_chld(int sig)
{
    (void)sig;
    got = 1;
}

int main(void)
{
    bound(10);
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(lfd >= 0);
    struct sockaddr_in addr = {.sin_family = AF_INET};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(lfd, (struct sockaddr *)&addr, sizeof addr) == 0);
    CHECK(listen(lfd, 4) == 0);

    struct sigaction sa = {0};
    sa.sa_handler = on_chld;
    sa.sa_flags = 0; /* no SA_RESTART */
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
    CHECK(fd == -1 && errno == EINTR && got);
    int status;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return 0;
}
