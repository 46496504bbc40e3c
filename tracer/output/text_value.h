/*
 * text_value.h - how a field's value reads in the text timeline: as C
 * would write it (options=WNOHANG|WUNTRACED, readfds={3 4}, status=exited 0).
 */
#ifndef TRACELAB_TEXT_VALUE_H
#define TRACELAB_TEXT_VALUE_H

#include <stdio.h>
#include "event/fields.h"

void put_value(FILE *f, const struct field *v);
/* A list of names as A|B, every one of them (put_value cuts a long one). */
void put_all_names(FILE *f, const struct fields *list);
/* key=value pairs joined by sep; skip_null leaves absent values out. */
void put_args(FILE *f, const struct fields *fs, const char *sep, int skip_null);
/* The same for the arguments of the system call named call (wait4): an
 * argument whose number alone does not say what it asks for (a wait's
 * pid) has its meaning beside it, as in pid=-1 (any child). Unless
 * verbose, what the C library added (SA_RESTORER) is left out and a
 * handler's address reads "a function". */
void put_call_args(FILE *f, const char *call, const struct fields *fs, const char *sep, int skip_null,
		   int verbose);

#endif
