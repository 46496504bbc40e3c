/* A select() loop over two pipes: each round one pipe gets a byte, select
   reports exactly that one, it is read; a last select times out. */
#include "progs.h"
#include <sys/select.h>

int main(void)
{
    bound(10);
    int p[2][2];
    CHECK(pipe(p[0]) == 0 && pipe(p[1]) == 0);
    int nfds = (p[0][0] > p[1][0] ? p[0][0] : p[1][0]) + 1;
    for (int round = 0; round < 4; round++) {
        int w = round % 2;
        CHECK(write(p[w][1], "x", 1) == 1);
        fd_set rd;
        FD_ZERO(&rd);
        FD_SET(p[0][0], &rd);
        FD_SET(p[1][0], &rd);
        CHECK(select(nfds, &rd, NULL, NULL, NULL) == 1);
        CHECK(FD_ISSET(p[w][0], &rd) && !FD_ISSET(p[1 - w][0], &rd));
        char c;
        CHECK(read(p[w][0], &c, 1) == 1);
    }
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(p[0][0], &rd);
    FD_SET(p[1][0], &rd);
    struct timeval tv = {0, 10000};
    CHECK(select(nfds, &rd, NULL, NULL, &tv) == 0);
    return 0;
}
