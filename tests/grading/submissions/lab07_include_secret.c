/* A lab 7 that is only an #include of a file outside the submission, for
 * tests/grading/test_grading_shown.py: on Gradescope such a file was a
 * hidden test, and the compiler's errors quoted it back line by line.
 * The path is relative to the folder the build runs in
 * ($TMPDIR/tracelab-grade-.../labs/lab07-waitpid-loop/): it names
 * $TMPDIR/planted_secret.py, which the test plants there for the grading
 * user to read. */
#include "../../../planted_secret.py"
