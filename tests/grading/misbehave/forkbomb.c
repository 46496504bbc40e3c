/* A fork bomb: every process forks for ever. --max-procs must stop it. */
#include <unistd.h>

int main(void)
{
	for (;;)
		fork();
}
