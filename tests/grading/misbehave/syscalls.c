/* An endless loop of system calls that the tracer stops at (waitpid is in
 * the wait class): its trace grows until the trace-size limit stops it. */
#include <sys/wait.h>

int main(void)
{
	for (;;)
		waitpid(-1, 0, WNOHANG);
}
