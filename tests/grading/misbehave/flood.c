/* An output flood: prints for ever. The output cap must stop it. */
#include <stdio.h>

int main(void)
{
	for (;;)
		puts("all work and no play makes jack a dull boy");
}
