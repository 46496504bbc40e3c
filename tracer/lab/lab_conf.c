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
 *     lesson.vi  = ...           the lesson and the questions in another
 *     predict.vi = leaked: ...   language (one with a catalog in po/): the
 *                                same {holes}, the same facts in the same
 *                                order; said with --lang vi (or LANGUAGE=vi)
 *
 *     [thread]                   a variant: `./trace lab10 thread` reads the
 *     args    = 0 thread         lines above, then these over them
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "common/lang.h"
#include "common/names.h"
#include "decode/call.h"
#include "lab/lab.h"
#include "model/diagnose.h"

#define LINE_MAX_CONF LAB_LINE_MAX

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

/* Say what is wrong with the lab, in lab->error, in the user's language;
 * the caller shows it. */
static int lab_error(struct lab *lab, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(lab->error, sizeof lab->error, _(fmt), ap);
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

/* predict = fact: question (key: "predict", "predict.vi"), added to
 * questions. A variant's first question replaces the lab's questions (see
 * lab_conf_read), so each run asks its own. */
static int add_question(struct lab *lab, struct lab_question *questions, int *n, const char *key,
			const char *val)
{
	char hole[64], unknown[32];
	const char *colon = strchr(val, ':');
	size_t len = colon ? (size_t)(colon - val) : 0;
	if (!colon || len == 0 || len >= sizeof lab->questions[0].fact || !*trim_const(colon + 1))
		return lab_error(lab, "trace: %s/lab.conf: %s = %s: write the fact it asks about, "
				 "a colon, then the question (predict = leaked: How many zombies will be left?)",
				 lab->dir, key, val);
	snprintf(hole, sizeof hole, "{%.*s}", (int)len, val);
	if (!diagnose_lesson_ok(hole, unknown, sizeof unknown))
		return lab_error(lab, "trace: %s/lab.conf: predict asks about '%s', which is not a fact the "
				 "tracer counts: use one of %s", lab->dir, unknown, diagnose_fact_names());
	if (*n >= LAB_QUESTIONS_MAX)
		return lab_error(lab, "trace: %s/lab.conf: more than %d %s lines: keep the %d that "
				 "matter most", lab->dir, LAB_QUESTIONS_MAX, key, LAB_QUESTIONS_MAX);
	struct lab_question *q = &questions[(*n)++];
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
		return add_question(lab, lab->questions, &lab->nquestions, key, val);
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
				 "ready, load, stop, classes, hold, cue, stop_when, time_spawns, lesson and predict (and lesson.LANG, "
				 "predict.LANG)", lab->dir, key);
	}
	return 0;
}

/* The words of lang, made on first use; NULL when there is no room. */
static struct lab_words *words_for(struct lab *lab, const char *lang)
{
	for (int i = 0; i < lab->nwords; i++)
		if (strcmp(lab->words[i].lang, lang) == 0)
			return &lab->words[i];
	if (lab->nwords >= LAB_LANGS_MAX)
		return NULL;
	struct lab_words *w = &lab->words[lab->nwords++];
	memset(w, 0, sizeof *w);
	snprintf(w->lang, sizeof w->lang, "%s", lang);
	return w;
}

const struct lab_words *lab_words_in(const struct lab *lab, const char *lang)
{
	for (int i = 0; i < lab->nwords; i++)
		if (strcmp(lab->words[i].lang, lang) == 0)
			return &lab->words[i];
	return NULL;
}

/* lesson.LANG or predict.LANG = val (in_chosen: in the chosen variant's
 * section, where the first predict.LANG replaces the lab's). */
static int set_translated(struct lab *lab, const char *key, const char *lang, const char *val, int in_chosen)
{
	char unknown[32];
	struct lab_words *w = lang_has_catalog(lang) ? words_for(lab, lang) : NULL;
	if (!lang_has_catalog(lang))
		return lab_error(lab, "trace: %s/lab.conf: %s.%s: there is no catalog for '%s': the languages "
				 "are %s", lab->dir, key, lang, lang, lang_choices());
	if (!w)
		return lab_error(lab, "trace: %s/lab.conf: more than %d languages: keep %d", lab->dir,
				 LAB_LANGS_MAX, LAB_LANGS_MAX);
	if (strcmp(key, "lesson") == 0) {
		if (!diagnose_lesson_ok(val, unknown, sizeof unknown))
			return lab_error(lab, "trace: %s/lab.conf: lesson.%s names {%s}, which is not a fact the "
					 "tracer counts: use one of %s", lab->dir, lang, unknown, diagnose_fact_names());
		snprintf(w->lesson, sizeof w->lesson, "%s", val);
		w->lesson_here = in_chosen;
		return 0;
	}
	if (strcmp(key, "predict") == 0) {
		char full[48];
		if (in_chosen && !w->asked_here) {
			w->nquestions = 0;   /* the variant asks its own questions */
			w->asked_here = 1;
		}
		snprintf(full, sizeof full, "predict.%s", lang);
		return add_question(lab, w->questions, &w->nquestions, full, val);
	}
	return lab_error(lab, "trace: %s/lab.conf: %s.%s: only lesson and predict take a language "
			 "(lesson.%s, predict.%s)", lab->dir, key, lang, lang, lang);
}

/* A variant's English lesson or questions make the translations made
 * before its section stale: they are dropped (English is said instead). */
static void drop_stale_words(struct lab *lab, int lesson, int questions)
{
	for (int i = 0; i < lab->nwords; i++) {
		if (lesson && !lab->words[i].lesson_here)
			lab->words[i].lesson[0] = '\0';
		if (questions && !lab->words[i].asked_here)
			lab->words[i].nquestions = 0;
	}
}

/* Each translation asks the English questions' facts, in their order. */
static int check_words(struct lab *lab)
{
	for (int i = 0; i < lab->nwords; i++) {
		const struct lab_words *w = &lab->words[i];
		int same = w->nquestions == lab->nquestions;
		for (int k = 0; same && k < w->nquestions; k++)
			same = strcmp(w->questions[k].fact, lab->questions[k].fact) == 0;
		if (w->nquestions && !same)
			return lab_error(lab, "trace: %s/lab.conf: the predict.%s lines do not ask what the predict "
					 "lines ask: translate each one, the same facts in the same order",
					 lab->dir, w->lang);
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
	lab->nwords = 0;
	while (fgets(line, sizeof line, f)) {
		if (!strchr(line, '\n') && !feof(f))
			return lab_error(lab, "trace: %s/lab.conf: a line longer than %d bytes: make it shorter",
					 lab->dir, LINE_MAX_CONF - 2);
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
		char *key = trim(word), *dot = strchr(key, '.');
		if (dot) {   /* lesson.vi, predict.vi */
			*dot = '\0';
			int rc = set_translated(lab, key, dot + 1, trim(eq + 1), in_chosen);
			if (rc)
				return rc;
			continue;
		}
		if (in_chosen && !chosen_asked && strcmp(key, "predict") == 0) {
			lab->nquestions = 0;   /* the variant asks its own questions */
			chosen_asked = 1;
			drop_stale_words(lab, 0, 1);
		}
		if (in_chosen && strcmp(key, "lesson") == 0)
			drop_stale_words(lab, 1, 0);
		int rc = set_key(lab, &raw, key, trim(eq + 1));
		if (rc)
			return rc;
	}
	if (!found) {
		if (!lab->variants[0])
			return lab_error(lab, "trace: %s has no variant '%s': it has none", lab->name, lab->variant);
		return lab_error(lab, "trace: %s has no variant '%s': its variants are %s", lab->name, lab->variant,
				 lab->variants);
	}
	if (!lab->program[0]) {
		return lab_error(lab, "trace: %s/lab.conf has no 'program = ...' line: add one", lab->dir);
	}
	if (check_words(lab))
		return 2;
	/* argv: the program, then its args; load: the generator's options. */
	size_t used = (size_t)snprintf(lab->strings, sizeof lab->strings, "%s", raw.args) + 1;
	lab->argv[0] = lab->program;
	split(lab->strings, lab->argv + 1, LAB_ARGS_MAX - 1);
	snprintf(lab->strings + used, sizeof lab->strings - used, "%s", raw.load);
	split(lab->strings + used, lab->load, LAB_ARGS_MAX);
	lab->classes |= CLS_READY;
	return 0;
}
