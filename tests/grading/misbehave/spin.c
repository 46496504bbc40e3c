/* An endless loop that makes no system call: only --timeout stops it. */
int main(void)
{
	volatile unsigned long n = 0;

	for (;;)
		n++;
}
