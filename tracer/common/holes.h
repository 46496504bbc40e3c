/*
 * holes.h - a sentence with holes for numbers, as lab.conf's lesson is
 * written: "{exited:child/children} exited, the handler reaped {reaped}."
 *
 *   {name}             the number called name
 *   {name:one/many}    the number, a space, and "one" when it is 1, else "many"
 *
 * One parser for both sides: lab.conf checks that every hole names a
 * number the tracer counts; the summary fills the holes from the run.
 */
#ifndef TRACELAB_HOLES_H
#define TRACELAB_HOLES_H

#include <stdio.h>

/* The number called name (len bytes, not NUL-terminated): 0 and *v set,
 * or -1 when there is none of that name (or another negative value, which
 * holes_fill returns as it is). */
typedef int (*hole_value)(const char *name, size_t len, long long *v, void *ctx);

/* Write text to out (NULL: only check) with every hole filled by value.
 * Returns 0; or at the first hole value does not fill, what value
 * returned, and -1 for a hole not closed, with its name in bad (size n). */
int holes_fill(const char *text, hole_value value, void *ctx, FILE *out, char *bad, size_t n);

#endif
