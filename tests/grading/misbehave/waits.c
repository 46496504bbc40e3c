/* A program that waits for what never comes: pause(), no signal, no
 * child. Only --timeout stops it, and it was never looping. */
#include <unistd.h>

int main(void)
{
	pause();
	return 0;
}
