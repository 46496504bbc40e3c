/* A lab 7 that uses #line to pass its own lines off as lines of a file
 * outside the submission, for tests/grading/test_grading_shown.py: gcc
 * quotes "the source line" of each error from that file, so each error
 * below would print a line of $TMPDIR/planted_secret.py (the path is
 * relative to the folder the build runs in). */
#line 1 "../../../planted_secret.py"
int first = ;
int second = ;
int third = ;
int fourth = ;
