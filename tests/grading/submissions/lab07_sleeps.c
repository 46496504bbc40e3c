/* A lab 7 that never listens and never ends, for
 * tests/grading/test_grading_budget.py: every run lasts until its time
 * limit, so the submission's time budget runs out. */
#include <unistd.h>

int main(void)
{
	for (;;)
		pause();
}
