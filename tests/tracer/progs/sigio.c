/* Signal-driven I/O: O_ASYNC and F_SETOWN on a socket; a write to its peer
   raises SIGIO, taken in sigsuspend, then the byte is read. */
#include "progs.h"
#include <fcntl.h>
#include <sys/socket.h>

static volatile sig_atomic_t got;

static void on_io(int sig)
{
    (void)sig;
    got = 1;
}

int main(void)
{
    bound(10);
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    struct sigaction sa = {0};
    sa.sa_handler = on_io;
    CHECK(sigaction(SIGIO, &sa, NULL) == 0);
    sigset_t io, old;
    sigemptyset(&io);
    sigaddset(&io, SIGIO);
    CHECK(sigprocmask(SIG_BLOCK, &io, &old) == 0);
    CHECK(fcntl(sv[0], F_SETOWN, getpid()) == 0);
    CHECK(fcntl(sv[0], F_SETFL, O_ASYNC | O_NONBLOCK) == 0);

    CHECK(write(sv[1], "x", 1) == 1);
    while (!got)
        sigsuspend(&old);
    char c;
    CHECK(read(sv[0], &c, 1) == 1 && c == 'x');
    return 0;
}
