/* A memory hog: allocates and touches 1 MB after 1 MB, never checking
 * malloc's result. --max-mem makes malloc fail, and it crashes. */
#include <stdlib.h>
#include <string.h>

int main(void)
{
	for (;;) {
		char *p = malloc(1 << 20);
		memset(p, 1, 1 << 20);
	}
}
