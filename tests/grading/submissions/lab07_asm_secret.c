/* A lab 7 whose inline assembly .includes a file outside the submission,
 * for tests/grading/test_grading_shown.py: the assembler reads it as
 * assembly and its errors quote each line it cannot read (the path is
 * relative to the folder the build runs in: $TMPDIR/planted_secret.py). */
#include "labkit.h"

__asm__(".include \"../../../planted_secret.py\"");

int main(void)
{
	return 0;
}
