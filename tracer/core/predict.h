/*
 * predict.h - the questions of ./trace --predict, asked before a lab runs.
 */
#ifndef TRACELAB_PREDICT_H
#define TRACELAB_PREDICT_H

#include "lab/lab.h"

/* One question and the count given for it. */
struct prediction {
	const char *fact;       /* the fact of the summary that answers it */
	const char *question;
	long answer;
};

/* Ask lab's questions on stderr and read the answers from stdin into
 * p[0 .. lab->nquestions): 0, or 2 after one line saying what to do. */
int predict_ask(const struct lab *lab, struct prediction *p);

#endif
