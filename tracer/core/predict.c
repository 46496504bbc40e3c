/*
 * predict.c - ./trace --predict lab6: before the run, the lab's questions
 * (lab.conf's predict lines: "how many zombies will be left?"), one
 * number each, read from stdin. The answers go into the trace's first
 * line, and the summary puts each beside what the run did: guessing
 * first, then seeing, is how a trace teaches.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "common/lang.h"
#include "core/predict.h"

#define ANSWER_MAX 1000000
#define TRIES_ON_A_TERMINAL 3

/* A count typed by a person: digits, blanks around them. */
static int parse_count(const char *line, long *v)
{
	char *end;
	errno = 0;
	long n = strtol(line, &end, 10);
	if (end == line)
		return -1;   /* no digits: an empty line too */
	while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
		end++;
	if (*end || errno || n < 0 || n > ANSWER_MAX)
		return -1;
	*v = n;
	return 0;
}

int predict_ask(const struct lab *lab, struct prediction *p)
{
	int tty = isatty(STDIN_FILENO);
	if (lab->nquestions == 0) {
		fprintf(stderr, _("trace: %s has no questions to predict: run it without --predict\n"), lab->name);
		return 2;
	}
	fprintf(stderr, _("Before the run: what do you expect? Answer each question with a number.\n"));
	/* the questions in the user's language when lab.conf has them all */
	const struct lab_words *w = lab_words_in(lab, lang_code());
	const struct lab_question *asked = w && w->nquestions == lab->nquestions ? w->questions : lab->questions;
	for (int i = 0; i < lab->nquestions; i++) {
		char line[128];
		int tries = tty ? TRIES_ON_A_TERMINAL : 1, ok = 0;
		while (!ok && tries-- > 0) {
			fprintf(stderr, "  %s ", asked[i].text);
			fflush(stderr);
			if (!fgets(line, sizeof line, stdin)) {
				fprintf(stderr, _("\ntrace: --predict needs an answer to each question: type a number, "
					"or give them on stdin, one per line\n"));
				return 2;
			}
			if (!tty)   /* what was read, as if typed */
				fprintf(stderr, "%s%s", line, strchr(line, '\n') ? "" : "\n");
			ok = parse_count(line, &p[i].answer) == 0;
			if (!ok && tries > 0)
				fprintf(stderr, _("  (a count, like 0 or 5)\n"));
		}
		if (!ok) {
			line[strcspn(line, "\n")] = '\0';
			fprintf(stderr, _("trace: --predict: '%s' is not a count: answer with a number like 0 or 5\n"),
				line);
			return 2;
		}
		p[i].fact = lab->questions[i].fact;
		p[i].question = lab->questions[i].text;
	}
	return 0;
}
