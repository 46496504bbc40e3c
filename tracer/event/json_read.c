/*
 * json_read.c - JSON Lines back into events (replay.h).
 *
 * A small recursive-descent reader of JSON of the kinds out_json.c writes:
 * objects, lists, strings, integers, true, false and null (no fractions,
 * no exponents); anything else is refused with the reason. Every value
 * becomes the field kind it was written from, so the renderers cannot
 * tell a replayed event from a live one. The reasons are marked N_() and
 * said in the user's language where the line is refused (replay_file).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/lang.h"
#include "event/replay.h"

#define DEPTH_MAX 32

struct reader {
	const char *p;
	struct arena *a;
	const char *why;
	int depth;
};

static void skip_space(struct reader *r)
{
	while (*r->p == ' ' || *r->p == '\t' || *r->p == '\r' || *r->p == '\n')
		r->p++;
}

static int fail(struct reader *r, const char *why)
{
	if (!r->why)
		r->why = why;
	return -1;
}

static int expect_char(struct reader *r, char c)
{
	skip_space(r);
	if (*r->p != c)
		return fail(r, N_("bad or cut-short JSON"));
	r->p++;
	return 0;
}

/* What a string cannot hold: a NUL, or half of a surrogate pair. */
#define REPLACEMENT_CHAR 0xfffd

/* Append the UTF-8 encoding of code point cp. */
static char *put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xc0 | cp >> 6);
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xe0 | cp >> 12);
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xf0 | cp >> 18);
		*o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	return o;
}

/* The 4 hex digits at s, or -1. */
static int hex4(const char *s)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		int c = s[i], d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* A \u escape at s (after the u): the code point, a surrogate pair joined
 * into one; *used: how many characters it took. -1 when malformed. */
static int unicode_escape(const char *s, int *used)
{
	int hi = hex4(s), lo;
	*used = 4;
	if (hi < 0)
		return -1;
	if (hi >= 0xd800 && hi < 0xdc00 && s[4] == '\\' && s[5] == 'u' &&
	    (lo = hex4(s + 6)) >= 0xdc00 && lo < 0xe000) {
		*used = 10;
		return 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (hi == 0 || (hi >= 0xd800 && hi < 0xe000))
		return REPLACEMENT_CHAR;
	return hi;
}

static const char *read_string(struct reader *r)
{
	if (expect_char(r, '"') < 0)
		return NULL;
	const char *start = r->p;
	size_t n = 0;
	while (start[n] && start[n] != '"')
		n += start[n] == '\\' && start[n + 1] ? 2 : 1;
	if (start[n] != '"') {
		fail(r, N_("a string is not closed"));
		return NULL;
	}
	/* Escapes never grow: \uXXXX (6) gives at most 3 bytes, a pair (12) 4. */
	char *out = arena_alloc(r->a, n + 1), *o = out;
	if (!out) {
		fail(r, N_("out of memory"));
		return NULL;
	}
	for (const char *s = start; s < start + n; s++) {
		int cp, used;
		if (*s != '\\') {
			*o++ = *s;
			continue;
		}
		switch (*++s) {
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case 'r': *o++ = '\r'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case '"': case '\\': case '/': *o++ = *s; break;
		case 'u':
			if (s + 4 >= start + n || (cp = unicode_escape(s + 1, &used)) < 0) {
				fail(r, N_("a bad \\u escape"));
				return NULL;
			}
			o = put_utf8(o, (unsigned)cp);
			s += used;
			break;
		default:
			fail(r, N_("an unknown escape"));
			return NULL;
		}
	}
	*o = '\0';
	r->p = start + n + 1;
	return out;
}

/* An integer as JSON writes one: -?(0|[1-9][0-9]*), and it fits. */
static int read_int(struct reader *r, long long *v)
{
	const char *d = r->p + (*r->p == '-');
	char *end;
	if (*d < '0' || *d > '9' || (d[0] == '0' && d[1] >= '0' && d[1] <= '9'))
		return -1;
	errno = 0;
	*v = strtoll(r->p, &end, 10);
	if (errno || *end == '.' || *end == 'e' || *end == 'E')
		return -1;
	r->p = end;
	return 0;
}

static int read_fields(struct reader *r, struct fields *fs, int keyed);

static int read_value(struct reader *r, struct fields *fs, const char *key)
{
	skip_space(r);
	const char *s;
	switch (*r->p) {
	case '"':
		if (!(s = read_string(r)))
			return -1;
		fs_str(fs, key, s);
		return 0;
	case '{': {
		struct fields *o = fs_obj(fs, key);
		r->p++;
		return o ? read_fields(r, o, 1) : fail(r, N_("out of memory"));
	}
	case '[': {
		struct fields *l = fs_list(fs, key);
		r->p++;
		return l ? read_fields(r, l, 0) : fail(r, N_("out of memory"));
	}
	case 't':
		if (strncmp(r->p, "true", 4) != 0)
			break;
		r->p += 4;
		fs_bool(fs, key, 1);
		return 0;
	case 'f':
		if (strncmp(r->p, "false", 5) != 0)
			break;
		r->p += 5;
		fs_bool(fs, key, 0);
		return 0;
	case 'n':
		if (strncmp(r->p, "null", 4) != 0)
			break;
		r->p += 4;
		fs_null(fs, key);
		return 0;
	default: {
		long long v;
		if (read_int(r, &v) < 0)
			break;
		fs_int(fs, key, v);
		return 0;
	}
	}
	return fail(r, N_("a value of no known kind"));
}

/* The members of an object (keyed) or list, after its opening bracket. */
static int read_fields(struct reader *r, struct fields *fs, int keyed)
{
	char close = keyed ? '}' : ']';
	if (++r->depth > DEPTH_MAX)
		return fail(r, N_("objects nested too deep"));
	skip_space(r);
	if (*r->p == close) {
		r->p++;
		r->depth--;
		return 0;
	}
	for (;;) {
		const char *key = NULL;
		if (keyed && (!(key = read_string(r)) || expect_char(r, ':') < 0))
			return -1;
		if (read_value(r, fs, key) < 0)
			return -1;
		skip_space(r);
		if (*r->p == ',') {
			r->p++;
			continue;
		}
		if (expect_char(r, close) < 0)
			return -1;
		r->depth--;
		return 0;
	}
}

int event_from_json(const char *line, struct event *ev, struct arena *a, const char **why)
{
	struct reader r = { line, a, NULL, 0 };
	struct fields all;
	fields_init(&all, a);
	if (expect_char(&r, '{') < 0 || read_fields(&r, &all, 1) < 0) {
		*why = r.why;
		return -1;
	}
	skip_space(&r);
	if (*r.p) {
		*why = N_("more after the object");
		return -1;
	}
	const char *type = fs_gets(&all, "type");
	int t = type ? ev_type_of(type) : -1;
	if (t < 0) {
		*why = N_("no known \"type\"");
		return -1;
	}
	if (!fs_get(&all, "t") || !fs_get(&all, "pid") || !fs_get(&all, "tid")) {
		*why = N_("no \"t\", \"pid\" or \"tid\"");
		return -1;
	}
	event_init(ev, a, (enum ev_type)t, (uint64_t)fs_geti(&all, "t", 0),
		   (pid_t)fs_geti(&all, "pid", 0), (pid_t)fs_geti(&all, "tid", 0));
	/* Every line begins with these four, in this order, as out_json.c
	 * writes them; the rest are the event's own fields, in their order. */
	static const char *const first[] = { "type", "t", "pid", "tid" };
	for (int i = 0; i < 4; i++)
		if (all.n < 4 || strcmp(all.f[i].key, first[i]) != 0) {
			*why = N_("type, t, pid, tid not first");
			return -1;
		}
	ev->f.f = all.f + 4;
	ev->f.n = ev->f.cap = all.n - 4;
	if (t == EV_TRACE && fs_geti(&ev->f, "version", 0) != TRACE_FORMAT_VERSION) {
		*why = N_("format version is not 1");
		return -1;
	}
	return 0;
}

int replay_file(const char *path, struct stream *out)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "re");
	if (!f) {
		fprintf(stderr, _("trace: cannot read %s: %s: give a file from ./trace --json\n"), path, strerror(errno));
		return 2;
	}
	struct arena a = ARENA_INIT;
	struct event ev;
	char *line = NULL;
	size_t cap = 0;
	long lineno = 0;
	int rc = 0, events = 0, summary = 0;
	errno = 0;
	while (getline(&line, &cap, f) > 0) {
		const char *why = NULL;
		lineno++;
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		arena_reset(&a);
		if (event_from_json(line, &ev, &a, &why) < 0) {
			fprintf(stderr, _("trace: %s:%ld: not a trace line (%s): give a file from ./trace --json\n"),
				path, lineno, _(why ? why : N_("malformed")));
			rc = 2;
			break;
		}
		stream_emit(out, &ev);
		stream_flush(out);
		events++;
		summary |= ev.type == EV_SUMMARY;
	}
	if (!rc && ferror(f)) {
		fprintf(stderr, _("trace: cannot read %s: %s: give a file from ./trace --json\n"),
			path, strerror(errno ? errno : EIO));
		rc = 2;
	} else if (!rc && !events) {
		fprintf(stderr, _("trace: %s holds no events: give a file from ./trace --json\n"), path);
		rc = 2;
	} else if (!rc && !summary) {
		/* A run cut short (the tracer was killed): what there is, shown. */
		fprintf(stderr, _("trace: %s ends without its summary: the run was cut short; "
			"above is what it recorded\n"), path);
		rc = 1;
	}
	free(line);
	arena_free(&a);
	if (f != stdin)
		fclose(f);
	return rc;
}
