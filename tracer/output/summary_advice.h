/*
 * summary_advice.h - what summary.c asks of summary_advice.c: the
 * diagnoses and the lesson in words, and a CPU time as people read it.
 */
#ifndef TRACELAB_SUMMARY_ADVICE_H
#define TRACELAB_SUMMARY_ADVICE_H

#include <stdint.h>
#include <stdio.h>
#include "event/fields.h"

/* The summary's lines fit in so many columns, as the timeline's do. */
#define SUMMARY_WIDTH 100

/* text in lines of at most SUMMARY_WIDTH columns, each indented by two spaces. */
void put_wrapped(FILE *f, const char *text);
/* line as it is when it fits in SUMMARY_WIDTH columns; else cut after a
 * ", " and gone on under its words, indent columns in. */
void put_wrapped_at_commas(FILE *f, const char *line, int indent);
/* A CPU time in us, as "12.6 ms" or "1.25 s"; the same in buf. */
void put_cpu_time(FILE *f, int64_t us);
#define CPU_TIME_TEXT_MAX 32
const char *cpu_time_text(char *buf, size_t size, int64_t us);
/* The columns text takes on a terminal: one per character (UTF-8). */
size_t text_columns(const char *text);
/* One "what went wrong" paragraph per diagnosis of the summary event ev
 * (on/off: the colour of its heading). */
void put_diagnoses(FILE *f, const struct fields *ev, const char *on, const char *off);
/* The lab's lesson (lab.conf, carried by the trace line), filled with
 * ev's facts; nothing when lesson is NULL or a fact is missing. */
void put_lesson(FILE *f, const char *lesson, const struct fields *ev, const char *bold, const char *off);
/* The lab's lesson in the language chosen now: the trace line's
 * translations' when lab.conf has them, else its own; NULL: none. */
const char *lesson_in_language(const struct fields *trace);

/* A question, as long as a lab.conf line may be (lab.h's LAB_LINE_MAX). */
#define QUESTION_MAX 2048

/* A question of ./trace --predict, as the trace line gave it. */
#define PREDICTIONS_MAX 3
struct asked {
	char fact[32];
	char question[QUESTION_MAX];
	long long answer;
};
/* Copy the trace line's "predict" list into asked (at most max): how many. */
int keep_predictions(const struct fields *list, struct asked *asked, int max);
/* The questions in another language: the trace line's translations' list
 * of {fact, question}, the lab's questions in order; each one whose fact
 * matches replaces the question asked at its place. */
void translate_predictions(const struct fields *list, struct asked *asked, int n);
/* Each question, the answer given, and what the run did (ev's facts). */
void put_predictions(FILE *f, const struct asked *asked, int n, const struct fields *ev,
		     const char *bold, const char *off);

#endif
