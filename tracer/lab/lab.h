/*
 * lab.h - `./trace lab3`: labs as scenarios.
 *
 * A lab folder holds its program and lab.conf, which says how to run it
 * (lab_conf.c reads it: the one parser of lab.conf, which the Python kit
 * reads through `./trace --list --json`). lab_find.c finds labs by name
 * and lists them. lab_run.c runs the scenario beside the loop: it starts
 * the load generator, untraced, once the server listens, and stops the
 * server once the load is done and the server has settled.
 */
#ifndef TRACELAB_LAB_H
#define TRACELAB_LAB_H

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include "event/event.h"

#define LAB_ARGS_MAX 32
/* A line of lab.conf, and so a lesson or question in UTF-8 (a Vietnamese
 * letter may take 3 bytes): a longer line is refused, and each field
 * below that keeps part of a line holds a whole one, so none is cut. */
#define LAB_LINE_MAX 2048
#define LAB_QUESTIONS_MAX 3
/* Languages a lab.conf may translate its lesson and questions into. */
#define LAB_LANGS_MAX 4

/* predict = fact: question (./trace --predict) */
struct lab_question {
	char fact[32];
	char text[LAB_LINE_MAX];
};

/* lesson.LANG and predict.LANG: the lab's words in another language
 * (lesson.vi = ...), with the same {holes} and the same facts asked in
 * the same order as the English ones. */
struct lab_words {
	char lang[8];
	char lesson[LAB_LINE_MAX];     /* or "" */
	struct lab_question questions[LAB_QUESTIONS_MAX];
	int nquestions;
	int lesson_here, asked_here;   /* set in the chosen variant's section */
};

/* --hold, and lab.conf's hold: how the tracer arranges the SIGCHLD race
 * (core/hold.c). HOLD_SIGCHLD lets a held SIGCHLD go once no child is left
 * running; HOLD_SIGCHLD_BURST once the exits have stopped coming, even
 * while some children still run. */
enum hold_mode { HOLD_NONE, HOLD_SIGCHLD, HOLD_SIGCHLD_BURST };
/* The words for them, in --hold and lab.conf, indexed by enum hold_mode. */
extern const char *const hold_mode_name[];
/* The mode named word, or -1. */
int hold_mode_parse(const char *word);

struct lab {
	char dir[PATH_MAX + 512];      /* labs/lab03-select */
	char name[256];                /* lab03-select */
	char variant[64];              /* the [section] of lab.conf chosen, or "" */
	char variants[256];            /* all of them, comma-separated, for messages */
	char program[PATH_MAX + 1100]; /* the server binary */
	char *argv[LAB_ARGS_MAX];      /* the server's argv, NULL-terminated */
	char *load[LAB_ARGS_MAX];      /* the load generator's options (--port is added) */
	char ready[16];                /* the call that says the server is up: "listen" or "bind" */
	int stop_sig;                  /* sent when the load is done; 0: it ends by itself */
	int classes;
	int hold_sigchld;              /* an enum hold_mode */
	int time_spawns;               /* time_spawns = yes: --time-spawns */
	int cue_sigchld;               /* cue = sigchld: tell the load generator when the server gets SIGCHLD */
	int stop_asleep;               /* stop_when = asleep: stop the server only when it sleeps in a call */
	char lesson[LAB_LINE_MAX];     /* the lesson's sentence, with {fact} holes; or "" */
	struct lab_question questions[LAB_QUESTIONS_MAX];
	int nquestions;
	struct lab_words words[LAB_LANGS_MAX];   /* the translations, in lab.conf's order */
	int nwords;
	char strings[2048];            /* argv and load words point in here */
	char error[2 * PATH_MAX + 1024]; /* why it cannot be run: one line saying what to do */
};

/* lab_find.c */
/* Does word name a lab rather than a command ("lab3", "lab03-select")? */
int lab_is_name(const char *word);
/* Find and read a lab: 0, or 2 after printing one line saying what to do. */
int lab_load(struct lab *lab, const char *name, const char *variant);
/* ./trace --list to stdout; with json, --list --json: one JSON object per
 * lab to json instead. */
int lab_list(FILE *json);
/* The root directory of the kit (where ./trace lives). */
const char *kit_root(void);

/* lab_conf.c: read lab.conf (lab->dir and lab->variant set): 0, or 2
 * with lab->error saying what is wrong and what to do. */
int lab_conf_read(struct lab *lab, FILE *f);
/* The lab's words in lang ("vi"), or NULL when lab.conf has none. */
const struct lab_words *lab_words_in(const struct lab *lab, const char *lang);

/* lab_run.c: the scenario runner. It subscribes to the event stream (it
 * only takes note there) and acts when the loop calls it between stops. */
struct lab_runner;
struct model;
struct lab_runner *lab_runner_new(const struct lab *lab, struct stream *out, const struct model *m);
void lab_runner_tick(void *runner, uint64_t t);
int lab_runner_owns(void *runner, pid_t pid, int status, uint64_t t);
void lab_runner_kill(void *runner);
int lab_runner_helper(void *runner, pid_t pid);
/* Did the server ever become ready (the lab ran)? */
int lab_runner_ready_seen(const struct lab_runner *r);

#endif
