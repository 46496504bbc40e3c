/*
 * text_layout.c - the columns of a timeline line and its colours, and
 * the line sent out whole, in one write (put_whole).
 *
 * Beginner's view (default), at most LINE_COLS columns, wrapped under the
 * words when an event says more than fits:
 *
 *       0.058 9316        lab07    fork() = 9322 (new process)
 *       0.058   9322      lab07    fork() = 0  (in the child: this is the new process)
 *       0.107 9316        lab07    | waitpid(pid=-1 (any child), options=WNOHANG) = 9322
 *                                  | -> status=exited 0
 *
 * Expert's view (--verbose), one line per event whatever its length, the
 * time to the microsecond:
 *
 *       0.058167 9316         lab07      fork() = 9322 (new process)  [clone CLONE_CHILD_CLEARTID|...]
 *
 * Seconds since the start; who (pid, or pid/tid for a thread), indented
 * by depth in the process tree; the program's name; a bar for each signal
 * handler the task is running. Each process keeps one colour.
 */
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>
#include "common/utf8.h"
#include "output/text_int.h"

static const char *const paint[] = {
	[C_OFF] = "\033[0m", [C_DIM] = "\033[2m", [C_SIGNAL] = "\033[1;33m",
	[C_BAD] = "\033[1;31m", [C_GOOD] = "\033[32m", [C_NOTE] = "\033[1;36m",
};
static const char *const proc_colors[] = { "\033[34m", "\033[35m", "\033[36m", "\033[32m", "\033[33m", "\033[94m" };
#define NPROC_COLORS (sizeof proc_colors / sizeof proc_colors[0])

/* The beginner's line: this wide at most, words wrapped under the words;
 * when the columns leave less than WRAP_MIN, the line is this wide anyway. */
#define LINE_COLS 100
#define WRAP_MIN 40
/* What marks a line of a signal handler's, once per handler running;
 * nested deeper than this, the bars stop growing. */
#define HANDLER_BAR "| "
#define HANDLERS_SHOWN_MAX 8
/* The columns of each view (see the top of this file). */
static const struct view_columns {
	const char *time;         /* printf format of the seconds */
	int who_width, name_width;
	int indent_in_who;        /* the indent is part of the who column's width */
} columns[2] = {
	[0] = { "%7.3f", 11, 8, 1 },
	[1] = { "%10.6f", 12, 10, 0 },
};
/* The name column's text: its widest, in bytes, with room to spare. */
#define NAME_COL_BYTES 64

const char *on(const struct text_sink *t, enum paint c) { return t->color ? paint[c] : ""; }

const char *duration_text(char *buf, size_t size, uint64_t ns)
{
	if (ns >= NS_PER_S)
		snprintf(buf, size, "%.2f s", (double)ns / (double)NS_PER_S);
	else if (ns >= NS_PER_MS)
		snprintf(buf, size, "%.1f ms", (double)ns / (double)NS_PER_MS);
	else
		snprintf(buf, size, "%llu us", (unsigned long long)(ns / NS_PER_US));
	return buf;
}

void put_duration(FILE *f, uint64_t ns)
{
	char buf[DURATION_TEXT_MAX];
	fputs(duration_text(buf, sizeof buf, ns), f);
}

/* The length of the colour escape at s, or 0 when s starts none. */
static size_t escape_len(const char *s, size_t n)
{
	if (n < 2 || s[0] != '\033' || s[1] != '[')
		return 0;
	size_t i = 2;
	while (i < n && s[i] != 'm')
		i++;
	return i < n ? i + 1 : n;
}

/* One column per character: a UTF-8 continuation byte takes none. */
static int starts_char(unsigned char c) { return (c & 0xC0) != 0x80; }

/* Where a line stands as it is written. */
struct pen {
	struct text_sink *t;
	int col, avail;             /* columns used after the head; room for words */
	int head_cols, bars;        /* what a continuation line repeats */
	const char *sgr; size_t sgr_len;   /* the colour in force, to carry over a break */
};

static void put_bars(struct text_sink *t, int bars)
{
	if (bars <= 0)
		return;
	fputs(on(t, C_SIGNAL), t->line);
	for (int i = 0; i < bars; i++)
		fputs(HANDLER_BAR, t->line);
	fputs(on(t, C_OFF), t->line);
}

/* A new line under the words of the line before (with --numbered, which
 * never wraps, this does not happen). */
static void next_line(struct pen *p)
{
	int colored = p->sgr && strncmp(p->sgr, paint[C_OFF], p->sgr_len) != 0;
	fprintf(p->t->line, "%s\n%*s", colored ? paint[C_OFF] : "", p->head_cols, "");
	put_bars(p->t, p->bars);
	if (colored)
		fwrite(p->sgr, 1, p->sgr_len, p->t->line);
	p->col = 0;
}

/* Write s[0..n), cut where the line is full (a word longer than a line). */
static void put_cut(struct pen *p, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t e = escape_len(s + i, n - i);
		if (e) {
			p->sgr = s + i, p->sgr_len = e;
			fwrite(s + i, 1, e, p->t->line);
			i += e;
			continue;
		}
		if (starts_char((unsigned char)s[i])) {
			if (p->col >= p->avail)
				next_line(p);
			p->col++;
		}
		putc(s[i++], p->t->line);
	}
}

static int visible(const char *s, size_t n)
{
	int cols = 0;
	for (size_t i = 0; i < n;) {
		size_t e = escape_len(s + i, n - i);
		if (e) {
			i += e;
			continue;
		}
		cols += starts_char((unsigned char)s[i++]);
	}
	return cols;
}

/* A good place to go on under the words: before a result or a mark
 * ("-> status=exited 0", "<blocked 2 ms>") or after a clause (",;:"),
 * rather than inside a value ("status=exited 0"). */
static const char *const break_before[] = { "->", "<" };
static const char break_after[] = ",;:";

/* The longest colour escape (paint[], proc_colors[]). */
#define ESCAPE_MAX 8

/* The visible character before s[at], past any colour escapes, or 0. */
static char visible_before(const char *s, size_t at)
{
	while (at > 0) {
		size_t back = 0;
		for (size_t k = 1; k <= ESCAPE_MAX && k <= at && !back; k++)
			if (escape_len(s + at - k, k) == k)
				back = k;
		if (!back)
			return s[at - 1];
		at -= back;
	}
	return 0;
}

static int good_break(const char *s, size_t n, size_t sp)
{
	size_t next = sp, e;
	while (next < n && s[next] == ' ')
		next++;
	while ((e = escape_len(s + next, n - next)))
		next += e;
	for (size_t i = 0; i < sizeof break_before / sizeof break_before[0]; i++)
		if (strncmp(s + next, break_before[i], strlen(break_before[i])) == 0)
			return 1;
	char before = visible_before(s, sp);
	return before && strchr(break_after, before) != NULL;
}

/* The words, wrapped to the room the columns leave: at the last good
 * place in the second half of the line, else at the last space, else
 * (one word longer than a line) where the line is full. */
static void put_wrapped(struct pen *p, const char *s, size_t n)
{
	size_t pos = 0;
	while (pos < n) {
		size_t i = pos, last = 0, good = 0;
		int cols = p->col;
		while (i < n) {
			size_t e = escape_len(s + i, n - i);
			if (e) {
				i += e;
				continue;
			}
			if (s[i] == ' ' && i > pos && s[i - 1] != ' ') {
				last = i;
				if (cols >= p->avail / 2 && good_break(s, n, i))
					good = i;
			}
			if (starts_char((unsigned char)s[i]) && cols + 1 > p->avail)
				break;
			cols += starts_char((unsigned char)s[i]);
			i++;
		}
		if (i >= n) {
			put_cut(p, s + pos, n - pos);
			return;
		}
		size_t at = good ? good : last;
		if (!at) {   /* no space to break at: cut the word */
			if (i == pos)
				next_line(p);
			put_cut(p, s + pos, i - pos);
			pos = i;
			continue;
		}
		put_cut(p, s + pos, at - pos);
		for (pos = at; pos < n && s[pos] == ' '; pos++)
			;   /* the spaces at a break are dropped */
		next_line(p);
	}
}

/* The line (with the lines it wraps onto) to out in one write(), never
 * in pieces: the program's own output goes to the same terminal or pipe
 * as it runs, and would land inside a line written piece by piece (stderr
 * is unbuffered: each putc was a write). A buffered out (-o FILE) is
 * flushed first when the line would not fit in what is left of its
 * buffer, so that no block ends inside a line; only a line longer than
 * the whole buffer still goes in more than one write. */
static void put_whole(FILE *out, const char *s, size_t n)
{
	if (__fpending(out) + n > __fbufsize(out))
		fflush(out);
	fwrite(s, 1, n, out);
}

void text_line(struct text_sink *t, long seq, uint64_t when, pid_t pid, pid_t tid, int64_t in_handler)
{
	const struct view_columns *v = &columns[t->verbose != 0];
	const struct who *w = idmap_get(&t->who, pid);
	char who[32], time[32];
	if (tid != pid)
		snprintf(who, sizeof who, "%d/%d", pid, tid);
	else
		snprintf(who, sizeof who, "%d", pid);
	snprintf(time, sizeof time, v->time, (double)when / (double)NS_PER_S);
	const char *name = w ? w->name : pid == t->tracer_pid ? "[tracer]" : "";
	int indent = w ? w->depth * 2 : 0;
	if (t->numbered)
		seq >= 0 ? fprintf(t->line, "%ld\t", seq) : putc('\t', t->line);   /* a second line of one event */
	char head_text[256], name_col[NAME_COL_BYTES];
	/* the indent eats into the who column first, so that the names stay
	 * in line while the tree is shallow */
	int who_width = v->who_width - (v->indent_in_who ? indent : 0);
	/* a name longer than its column ends in "…", cut between letters */
	utf8_column(name_col, sizeof name_col, name, v->name_width);
	snprintf(head_text, sizeof head_text, "%s %*s%s%-*s %s%s ", time, indent, "",
		 t->color ? proc_colors[(unsigned)pid % NPROC_COLORS] : "", who_width > 0 ? who_width : 0, who,
		 name_col, on(t, C_OFF));
	fputs(head_text, t->line);
	int head = visible(head_text, strlen(head_text));
	int bars = in_handler <= 0 ? 0 : in_handler < HANDLERS_SHOWN_MAX ? (int)in_handler : HANDLERS_SHOWN_MAX;
	put_bars(t, bars);

	fflush(t->f);
	struct pen p = { t, 0, 0, head, bars, NULL, 0 };
	if (t->verbose || t->numbered) {
		fwrite(t->body, 1, t->body_len, t->line);   /* for tools and experts: one line, whole */
	} else {
		p.avail = LINE_COLS - head - 2 * bars;
		if (p.avail < WRAP_MIN)
			p.avail = WRAP_MIN;
		put_wrapped(&p, t->body, t->body_len);
	}
	putc('\n', t->line);
	rewind(t->f);
	fflush(t->line);
	put_whole(t->out, t->line_buf, t->line_len);
	rewind(t->line);
}
