/* Double fork: the middle child forks a grandchild and exits at once; the
   grandchild, now an orphan, waits until it has a new parent and exits
   after the middle one. The first process reaps only the middle child and
   waits for the orphan's end through a pipe it alone holds open. */
#include "progs.h"

int main(void)
{
    bound(10);
    int alive[2];
    CHECK(pipe(alive) == 0);
    pid_t middle = fork();
    CHECK(middle >= 0);
    if (middle == 0) {
        pid_t me = getpid();
        pid_t orphan = fork();
        CHECK(orphan >= 0);
        if (orphan == 0) {
            close(alive[0]);
            while (getppid() == me)
                sleep_ms(1);
            _exit(0); /* closes alive[1]: the first process sees EOF */
        }
        _exit(0);
    }
    close(alive[1]);
    int status;
    CHECK(waitpid(middle, &status, 0) == middle);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    char c;
    CHECK(read(alive[0], &c, 1) == 0);
    return 0;
}
