/* system(): a shell runs `exit 3` (a builtin: the shell makes no child). */
#include "progs.h"

int main(void)
{
    bound(10);
    int status = system("exit 3");
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3);
    return 0;
}
