/* Says hello once (one write), then loops without a system call: the
 * last thing it did is that write, not the dynamic loader's work. */
#include <unistd.h>

int main(void)
{
	volatile unsigned long n = 0;

	if (write(1, "hello\n", 6) != 6)
		return 1;
	for (;;)
		n++;
}
