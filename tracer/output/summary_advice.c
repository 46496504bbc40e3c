/*
 * summary_advice.c - the end of the summary: what went wrong (the
 * diagnoses tracer/model/diagnose.c found, one sentence each, by kind)
 * and the lab's lesson, its {holes} filled with the run's facts, and the
 * answers given to ./trace --predict beside what the run did. The
 * sentences are wrapped to fit SUMMARY_WIDTH columns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/utf8.h"
#include "common/holes.h"
#include "common/lang.h"
#include "output/summary_advice.h"

#define US_PER_MS 1000
#define US_PER_S 1000000
#define NS_PER_US 1000
/* fact_value: the fact is there, null (counted from calls that did not stop). */
#define FACT_NOT_COUNTED (-2)

/* A CPU time in us, as "12.6 ms" or "1.25 s". */
const char *cpu_time_text(char *buf, size_t size, int64_t us)
{
	if (us < US_PER_S)
		snprintf(buf, size, "%.1f ms", (double)us / US_PER_MS);
	else
		snprintf(buf, size, "%.2f s", (double)us / US_PER_S);
	return buf;
}

void put_cpu_time(FILE *f, int64_t us)
{
	char buf[CPU_TIME_TEXT_MAX];
	fputs(cpu_time_text(buf, sizeof buf, us), f);
}

/* A UTF-8 continuation byte starts no character: it takes no column. */
static int starts_char(unsigned char c) { return (c & 0xC0) != 0x80; }

size_t text_columns(const char *text)
{
	size_t cols = 0;
	for (; *text; text++)
		cols += starts_char((unsigned char)*text);
	return cols;
}

/* text in lines of at most SUMMARY_WIDTH columns, each indented by two
 * spaces, broken at spaces (a word longer than a line keeps its line).
 * Columns, not bytes: a Vietnamese letter may take three bytes. */
void put_wrapped(FILE *f, const char *text)
{
	const int room = SUMMARY_WIDTH - 2;
	while (*text) {
		int n = 0, cols = 0, last_space = 0;
		for (; text[n] && cols <= room; n++) {
			if (text[n] == ' ')
				last_space = n;
			cols += starts_char((unsigned char)text[n]);
		}
		if (cols > room) {   /* too long: break at the last space that fits */
			n = last_space;
			if (n == 0)
				n = (int)strcspn(text, " ");
		}
		fprintf(f, "  %.*s\n", n, text);
		text += n;
		while (*text == ' ')
			text++;
	}
}

/* A line (a node of the summary's tree), cut after a ", " where it would pass SUMMARY_WIDTH
 * columns (a deep tree, or a language of longer words), and gone on
 * under its words, indent columns in. */
void put_wrapped_at_commas(FILE *f, const char *line, int indent)
{
	for (int first = 1; *line; first = 0) {
		int room = SUMMARY_WIDTH - (first ? 0 : indent);
		size_t cols = 0, cut = 0, i;
		for (i = 0; line[i] && cols <= (size_t)room; i++) {
			if (line[i] == ',' && line[i + 1] == ' ' && cols + 1 <= (size_t)room)
				cut = i + 1;
			cols += ((unsigned char)line[i] & 0xC0) != 0x80;
		}
		if (!line[i] && cols <= (size_t)room)
			cut = 0;   /* the rest fits */
		if (!cut)
			cut = strlen(line);
		fprintf(f, "%*s%.*s\n", first ? 0 : indent, "", (int)cut, line);
		line += cut;
		while (*line == ' ')
			line++;
	}
}

static void say_once_per_signal(FILE *f, const struct fields *d)
{
	long long runs = (long long)fs_geti(d, "handler_runs", 0);
	fprintf(f, P_("%lld's SIGCHLD handler reaps one child per signal: %lld children exited, the handler "
		      "ran %lld time and reaped %lld, and %lld stayed zombies. One SIGCHLD can stand for "
		      "several exits: loop on waitpid(-1, &status, WNOHANG) until it returns 0 or -1.",
		      "%lld's SIGCHLD handler reaps one child per signal: %lld children exited, the handler "
		      "ran %lld times and reaped %lld, and %lld stayed zombies. One SIGCHLD can stand for "
		      "several exits: loop on waitpid(-1, &status, WNOHANG) until it returns 0 or -1.",
		      (unsigned long)runs),
		(long long)fs_geti(d, "pid", 0), (long long)fs_geti(d, "exited", 0), runs,
		(long long)fs_geti(d, "reaped_in_handler", 0), (long long)fs_geti(d, "leaked", 0));
}

static void say_never_waited(FILE *f, const struct fields *d)
{
	fprintf(f, _("%lld never called wait(): %lld of its children stayed zombies. Reap them with "
		     "wait() or waitpid(), or in a SIGCHLD handler that loops on waitpid(-1, &status, WNOHANG)."),
		(long long)fs_geti(d, "pid", 0), (long long)fs_geti(d, "leaked", 0));
}

static void say_eagain(FILE *f, const struct fields *d)
{
	const struct field *cpu = fs_get(d, "cpu_us");
	char calls[128] = "";
	const char *about = fs_str_or(d, "about", "?");
	/* "accept,read" -> "accept(), read()" */
	for (size_t n = 0; *about && n + 8 < sizeof calls; ) {
		size_t len = strcspn(about, ",");
		n += (size_t)snprintf(calls + n, sizeof calls - n, "%s%.*s()", n ? ", " : "", (int)len, about);
		about += len + (about[len] == ',');
	}
	fprintf(f, _("%lld made %lld calls that found nothing ready (EAGAIN: %s): a loop that asks "
		     "again and again instead of waiting"), (long long)fs_geti(d, "pid", 0),
		(long long)fs_geti(d, "calls", 0), calls);
	if (cpu && cpu->kind == F_INT) {
		char used[CPU_TIME_TEXT_MAX], life[CPU_TIME_TEXT_MAX];
		fprintf(f, _(", which used %s of CPU in %s"), cpu_time_text(used, sizeof used, cpu->i),
			cpu_time_text(life, sizeof life, fs_geti(d, "life_ns", 0) / NS_PER_US));
	}
	fputs(_(". Wait until the fd is ready instead: select() or poll(), or a blocking call."), f);
}

static void say_eintr(FILE *f, const struct fields *d)
{
	const char *call = fs_str_or(d, "about", "?");
	fprintf(f, _("%lld's %s() was interrupted by a signal (-1, errno EINTR) and %s() was never "
		     "called again: the program exited. Call it again when errno is EINTR, or install the "
		     "handler with SA_RESTART."), (long long)fs_geti(d, "pid", 0), call, call);
}

static void say_nfds(FILE *f, const struct fields *d)
{
	long long nfds = (long long)fs_geti(d, "nfds", 0), fd = (long long)fs_geti(d, "fd", 0);
	fprintf(f, _("%lld called select() with nfds=%lld and fd %lld in a set: select() watches the fds "
		     "below nfds only, so fd %lld was never watched. nfds is the highest fd plus one (%lld here)."),
		(long long)fs_geti(d, "pid", 0), nfds, fd, fd, fd + 1);
}

static void say_thread_crash(FILE *f, const struct fields *d)
{
	fprintf(f, _("thread %lld of %lld crashed (%s) and the kernel killed the whole process, every "
		     "thread still in it: threads share their process. A child process that crashes dies alone."),
		(long long)fs_geti(d, "tid", 0), (long long)fs_geti(d, "pid", 0), fs_str_or(d, "about", "?"));
}

static const struct { const char *kind; void (*say)(FILE *, const struct fields *); } diagnosis_words[] = {
	{ "zombies-reaped-once-per-signal", say_once_per_signal },
	{ "zombies-never-waited", say_never_waited },
	{ "eagain-busy-loop", say_eagain },
	{ "eintr-not-retried", say_eintr },
	{ "select-nfds-too-small", say_nfds },
	{ "thread-crashed-process", say_thread_crash },
};

void put_diagnoses(FILE *f, const struct fields *ev, const char *on, const char *off)
{
	const struct fields *list = fs_getlist(ev, "diagnoses");
	for (int i = 0; list && i < list->n; i++) {
		const char *kind = fs_gets(list->f[i].sub, "kind");
		for (size_t k = 0; kind && k < sizeof diagnosis_words / sizeof *diagnosis_words; k++) {
			if (strcmp(kind, diagnosis_words[k].kind) != 0)
				continue;
			char *text = NULL;
			size_t len = 0;
			FILE *m = open_memstream(&text, &len);
			if (!m)
				return;
			diagnosis_words[k].say(m, list->f[i].sub);
			fclose(m);
			fprintf(f, "%s%s%s\n", on, _("what went wrong:"), off);
			put_wrapped(f, text ? text : "");
			free(text);
		}
	}
	if (fs_geti(ev, "diagnoses_more", 0))
		fprintf(f, _("  ... and %lld more of the same kinds\n"), (long long)fs_geti(ev, "diagnoses_more", 0));
}

/* A hole of the lesson: the fact of that name, from the summary's "facts". */
static int fact_value(const char *name, size_t len, long long *v, void *ctx)
{
	const struct fields *facts = ctx;
	for (int i = 0; facts && i < facts->n; i++) {
		if (strlen(facts->f[i].key) != len || strncmp(facts->f[i].key, name, len) != 0)
			continue;
		if (facts->f[i].kind != F_INT)
			return FACT_NOT_COUNTED;
		*v = facts->f[i].i;
		return 0;
	}
	return -1;
}

/* The lab's lesson, its holes filled with this run's facts: the last
 * words of the summary. Not said when a fact is missing (a trace of
 * another version, or a CPU time not known). */
void put_lesson(FILE *f, const char *lesson, const struct fields *ev, const char *bold, const char *off)
{
	char *text = NULL, bad[32];
	size_t len = 0;
	FILE *m = lesson ? open_memstream(&text, &len) : NULL;
	if (!m)
		return;
	int rc = holes_fill(lesson, fact_value, (void *)fs_getobj(ev, "facts"), m, bad, sizeof bad);
	fclose(m);
	if (rc == 0 && text) {
		fprintf(f, "%s%s%s\n", bold, _("the lesson of this run:"), off);
		put_wrapped(f, text);
	} else if (rc == FACT_NOT_COUNTED) {
		fprintf(f, "%s%s%s\n", bold, _("the lesson of this run:"), off);
		put_wrapped(f, _("its counts come from calls that -q alone does not stop: run the lab without -q "
				 "(or with --json) to see it."));
	}
	free(text);
}

const char *lesson_in_language(const struct fields *trace)
{
	const struct fields *all = fs_getobj(trace, "translations");
	const struct fields *mine = all ? fs_getobj(all, lang_code()) : NULL;
	return mine && fs_gets(mine, "lesson") ? fs_gets(mine, "lesson") : fs_gets(trace, "lesson");
}

int keep_predictions(const struct fields *list, struct asked *asked, int max)
{
	int n = 0;
	for (int i = 0; list && i < list->n && n < max; i++, n++) {
		const struct fields *q = list->f[i].sub;
		snprintf(asked[n].fact, sizeof asked[n].fact, "%s", fs_str_or(q, "fact", "?"));
		utf8_snprintf(asked[n].question, sizeof asked[n].question, "%s", fs_str_or(q, "question", "?"));
		asked[n].answer = fs_geti(q, "answer", 0);
	}
	return n;
}

void translate_predictions(const struct fields *list, struct asked *asked, int n)
{
	for (int i = 0; list && i < list->n && i < n; i++) {
		const struct fields *q = list->f[i].kind == F_OBJ ? list->f[i].sub : NULL;
		const char *fact = q ? fs_gets(q, "fact") : NULL, *question = q ? fs_gets(q, "question") : NULL;
		if (fact && question && strcmp(fact, asked[i].fact) == 0)
			utf8_snprintf(asked[i].question, sizeof asked[i].question, "%s", question);
	}
}

void put_predictions(FILE *f, const struct asked *asked, int n, const struct fields *ev,
		     const char *bold, const char *off)
{
	const struct fields *facts = fs_getobj(ev, "facts");
	int right = 0;
	if (!n)
		return;
	fprintf(f, "%s%s%s\n", bold, _("your predictions:"), off);
	for (int i = 0; i < n; i++) {
		long long v;
		char line[QUESTION_MAX + 256];   /* the question and a sentence */
		int counted = fact_value(asked[i].fact, strlen(asked[i].fact), &v, (void *)facts) == 0;
		if (!counted)
			utf8_snprintf(line, sizeof line, _("%s You said %lld; this run did not count it."),
				 asked[i].question, asked[i].answer);
		else if (v == asked[i].answer)
			utf8_snprintf(line, sizeof line, _("%s You said %lld; the run: %lld (right)."), asked[i].question,
				 asked[i].answer, v);
		else
			utf8_snprintf(line, sizeof line, _("%s You said %lld; the run: %lld (not this time: the timeline "
						      "above shows why)."), asked[i].question, asked[i].answer, v);
		right += counted && v == asked[i].answer;
		put_wrapped(f, line);
	}
	fprintf(f, _("  %d of %d right\n"), right, n);
}
