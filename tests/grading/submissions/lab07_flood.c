/* A lab 7 that prints without end, for tests/grading/test_grading_hostile.py:
 * the output limit stops each run, and a student reads a few of its lines.
 * Its uid goes to $HOSTILE_REPORT, if set ("uid N"), so that the test
 * knows whose processes to look for afterwards. */
#include "labkit.h"

int main(void)
{
	const char *to = getenv("HOSTILE_REPORT");
	FILE *report = to ? fopen(to, "a") : NULL;
	if (report) {
		fprintf(report, "uid %d\n", (int)getuid());
		fclose(report);
	}
	for (unsigned long n = 0;; n++)
		printf("flood line %lu: all work and no play makes jack a dull boy\n", n);
}
