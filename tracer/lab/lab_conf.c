/*
 * lab_conf.c - the one parser of lab.conf.
 *
 *     program = lab03            the binary, built in the folder by make
 *     args    = 0                its arguments (port 0: the kernel picks)
 *     ready   = listen           start the load when listen() succeeds (UDP: bind)
 *     load    = --clients 5      the load generator's options (--port is added)
 *     stop    = SIGTERM          sent to the server when the load is done, or none
 *     classes = process,signal   which calls stop the server
 *     hold    = sigchld          arrange the SIGCHLD race (core/hold.c), or
 *                                sigchld-burst (let it go once the exits stop)
 *     cue     = sigchld          send the load generator SIGUSR1 when the
 *                                server first gets SIGCHLD (loadgen --late)
 *     stop_when = asleep         stop the server once it is quiet and asleep
 *                                in a call again (default: quiet)
 *     time_spawns = yes          say how long each fork and pthread_create
 *                                took (--time-spawns; default: no)
 *     lesson  = {exited:child/children} exited ...
 *                                the lesson of the run in one sentence, said
 *                                at the end of the summary; {fact} is one of
 *                                the run's counts (model/diagnose.c), and
 *                                {fact:one/many} the count and its noun
 *     predict = leaked: How many zombies will be left?
 *                                a question for ./trace --predict (up to 3),
 *                                answered by the fact named before the colon
 *
 *     [thread]                   a variant: `./trace lab10 thread` reads the
 *     args    = 0 thread         lines above, then these over them
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "common/names.h"
#include "decode/call.h"
#include "lab/lab.h"
#include "model/diagnose.h"

#define LINE_MAX_CONF 512

const char *const hold_mode_name[] = {
	[HOLD_NONE] = "none", [HOLD_SIGCHLD] = "sigchld", [HOLD_SIGCHLD_BURST] = "sigchld-burst",
};

int hold_mode_parse(const char *word)
{
	for (size_t i = 0; i < sizeof hold_mode_name / sizeof *hold_mode_name; i++)
		if (strcmp(word, hold_mode_name[i]) == 0)
			return (int)i;
	return -1;
}

/* Say what is wrong with the lab, in lab->error; the caller shows it. */
static int lab_error(struct lab *lab, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(lab->error, sizeof lab->error, fmt, ap);
	va_end(ap);
	return 2;
}

/* Split s in place on blanks into words; returns the count. */
static int split(char *s, char **words, int max)
{
	int n = 0;
	for (char *w = strtok(s, " \t"); w && n < max - 1; w = strtok(NULL, " \t"))
		words[n++] = w;
	words[n] = NULL;
	return n;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

static const char *trim_const(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* The words seen so far, before they are split into argv. */
struct raw {
	char args[LINE_MAX_CONF], load[LINE_MAX_CONF];
};

/* predict = fact: question. A variant's first question replaces the
 * lab's questions (see lab_conf_read), so each run asks its own. */
static int add_question(struct lab *lab, const char *val)
{
	char hole[64], unknown[32];
	const char *colon = strchr(val, ':');
	size_t len = colon ? (size_t)(colon - val) : 0;
	if (!colon || len == 0 || len >= sizeof lab->questions[0].fact || !*trim_const(colon + 1))
		return lab_error(lab, "trace: %s/lab.conf: predict = %s: write the fact it asks about, "
				 "a colon, then the question (predict = leaked: How many zombies will be left?)",
				 lab->dir, val);
	snprintf(hole, sizeof hole, "{%.*s}", (int)len, val);
	if (!diagnose_lesson_ok(hole, unknown, sizeof unknown))
		return lab_error(lab, "trace: %s/lab.conf: predict asks about '%s', which is not a fact the "
				 "tracer counts: use one of %s", lab->dir, unknown, diagnose_fact_names());
	if (lab->nquestions >= LAB_QUESTIONS_MAX)
		return lab_error(lab, "trace: %s/lab.conf: more than %d predict lines: keep the %d that "
				 "matter most", lab->dir, LAB_QUESTIONS_MAX, LAB_QUESTIONS_MAX);
	struct lab_question *q = &lab->questions[lab->nquestions++];
	snprintf(q->fact, sizeof q->fact, "%.*s", (int)len, val);
	snprintf(q->text, sizeof q->text, "%s", trim_const(colon + 1));
	return 0;
}

/* One key = value line: 0, or 2 with lab->error saying what is wrong. */
static int set_key(struct lab *lab, struct raw *raw, const char *key, const char *val)
{
	char bad[32] = "";
	if (strcmp(key, "program") == 0) {
		snprintf(lab->program, sizeof lab->program, "%s/%s", lab->dir, val);
	} else if (strcmp(key, "args") == 0) {
		snprintf(raw->args, sizeof raw->args, "%s", val);
	} else if (strcmp(key, "load") == 0) {
		snprintf(raw->load, sizeof raw->load, "%s", val);
	} else if (strcmp(key, "ready") == 0) {
		if (strcmp(val, "listen") != 0 && strcmp(val, "bind") != 0)
			return lab_error(lab, "trace: %s/lab.conf: ready = %s: use listen (TCP) or bind (UDP)", lab->dir, val);
		snprintf(lab->ready, sizeof lab->ready, "%s", val);
	} else if (strcmp(key, "stop") == 0) {
		lab->stop_sig = strcmp(val, "none") == 0 ? 0 : sig_number(val);
		if (lab->stop_sig < 0)
			return lab_error(lab, "trace: %s/lab.conf: stop = %s is not a signal: use a name like SIGTERM, or none", lab->dir, val);
	} else if (strcmp(key, "classes") == 0) {
		lab->classes = cls_parse(val, bad, sizeof bad);
		if (lab->classes <= 0)
			return lab_error(lab, "trace: %s/lab.conf: unknown class '%s': use process, signal, wait, mux, io, sync or all", lab->dir, bad);
	} else if (strcmp(key, "lesson") == 0) {
		char unknown[32];
		if (!diagnose_lesson_ok(val, unknown, sizeof unknown))
			return lab_error(lab, "trace: %s/lab.conf: lesson names {%s}, which is not a fact the "
					 "tracer counts: use one of %s", lab->dir, unknown, diagnose_fact_names());
		snprintf(lab->lesson, sizeof lab->lesson, "%s", val);
	} else if (strcmp(key, "predict") == 0) {
		return add_question(lab, val);
	} else if (strcmp(key, "hold") == 0) {
		lab->hold_sigchld = hold_mode_parse(val);
		if (lab->hold_sigchld < 0)
			return lab_error(lab, "trace: %s/lab.conf: hold = %s: use sigchld, sigchld-burst, or none", lab->dir, val);
	} else if (strcmp(key, "cue") == 0) {
		if (strcmp(val, "sigchld") != 0 && strcmp(val, "none") != 0)
			return lab_error(lab, "trace: %s/lab.conf: cue = %s: use sigchld, or none", lab->dir, val);
		lab->cue_sigchld = strcmp(val, "sigchld") == 0;
	} else if (strcmp(key, "time_spawns") == 0) {
		if (strcmp(val, "yes") != 0 && strcmp(val, "no") != 0)
			return lab_error(lab, "trace: %s/lab.conf: time_spawns = %s: use yes, or no", lab->dir, val);
		lab->time_spawns = strcmp(val, "yes") == 0;
	} else if (strcmp(key, "stop_when") == 0) {
		if (strcmp(val, "asleep") != 0 && strcmp(val, "quiet") != 0)
			return lab_error(lab, "trace: %s/lab.conf: stop_when = %s: use quiet, or asleep", lab->dir, val);
		lab->stop_asleep = strcmp(val, "asleep") == 0;
	} else {
		return lab_error(lab, "trace: %s/lab.conf: unknown key '%s': the keys are program, args, "
				 "ready, load, stop, classes, hold, cue, stop_when, time_spawns, lesson and predict", lab->dir, key);
	}
	return 0;
}

int lab_conf_read(struct lab *lab, FILE *f)
{
	char line[LINE_MAX_CONF];
	struct raw raw = { "", "" };
	int in_variant = 0, found = !lab->variant[0], in_chosen = 0, chosen_asked = 0;
	lab->classes = CLS_DEFAULT;
	strcpy(lab->ready, "listen");
	lab->stop_sig = SIGTERM;
	lab->variants[0] = '\0';
	lab->lesson[0] = '\0';
	lab->nquestions = 0;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "#")] = '\0';
		char *word = trim(line);
		if (word[0] == '[') {
			/* A variant's section: only the chosen one is read. */
			word[strcspn(word, "]")] = '\0';
			word++;
			size_t n = strlen(lab->variants);
			snprintf(lab->variants + n, sizeof lab->variants - n, "%s%s", n ? ", " : "", word);
			in_variant = strcmp(word, lab->variant) != 0;
			found |= !in_variant;
			in_chosen = !in_variant;
			continue;
		}
		char *eq = strchr(word, '=');
		if (in_variant || !eq)
			continue;
		*eq = '\0';
		char *key = trim(word);
		if (in_chosen && !chosen_asked && strcmp(key, "predict") == 0) {
			lab->nquestions = 0;   /* the variant asks its own questions */
			chosen_asked = 1;
		}
		int rc = set_key(lab, &raw, key, trim(eq + 1));
		if (rc)
			return rc;
	}
	if (!found) {
		return lab_error(lab, "trace: %s has no variant '%s': %s%s", lab->name, lab->variant,
				 lab->variants[0] ? "its variants are " : "it has none", lab->variants);
	}
	if (!lab->program[0]) {
		return lab_error(lab, "trace: %s/lab.conf has no 'program = ...' line: add one", lab->dir);
	}
	/* argv: the program, then its args; load: the generator's options. */
	size_t used = (size_t)snprintf(lab->strings, sizeof lab->strings, "%s", raw.args) + 1;
	lab->argv[0] = lab->program;
	split(lab->strings, lab->argv + 1, LAB_ARGS_MAX - 1);
	snprintf(lab->strings + used, sizeof lab->strings - used, "%s", raw.load);
	split(lab->strings + used, lab->load, LAB_ARGS_MAX);
	lab->classes |= CLS_READY;
	return 0;
}
