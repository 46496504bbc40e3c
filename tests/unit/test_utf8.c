/*
 * test_utf8.c - cutting UTF-8 text (tracer/common/utf8.c): never inside
 * a character, always marked with "…" when something was left out, and
 * never past the buffer. Vietnamese letters take two and three bytes.
 * Run by tests/unit/test_unit_programs.py (make unit builds it).
 */
#include <stdio.h>
#include <string.h>
#include "common/utf8.h"

static int failures, checks;
#define CHECK(cond) do { checks++; if (!(cond)) { failures++; \
	fprintf(stderr, "%s:%d: %s: failed: %s\n", __FILE__, __LINE__, __func__, #cond); } } while (0)

#define VI "ti\xe1\xba\xbfn tr\xc3\xacnh"   /* "tiến trình": ế three bytes, ì two */
#define MARK UTF8_CUT_MARK

/* Is s whole UTF-8 (no character cut short)? */
static int whole_utf8(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		int n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;
		if (!n)
			return 0;
		for (int i = 1; i < n; i++)
			if ((p[i] & 0xc0) != 0x80)
				return 0;
		p += n;
	}
	return 1;
}

static void test_cut_never_splits_a_character(void)
{
	CHECK(utf8_cut(VI, 100) == strlen(VI));   /* it fits: all of it */
	CHECK(utf8_cut(VI, 2) == 2);              /* "ti" */
	CHECK(utf8_cut(VI, 3) == 2);              /* "ti" and a third of ế: back to "ti" */
	CHECK(utf8_cut(VI, 4) == 2);
	CHECK(utf8_cut(VI, 5) == 5);              /* "tiế" */
	CHECK(utf8_cut("", 0) == 0);
	CHECK(utf8_cut("\x80\x80\x80\x80\x80\x80", 5) == 5);   /* not UTF-8: no endless back off */
}

static void test_count(void)
{
	CHECK(utf8_count(VI, strlen(VI)) == 10);
	CHECK(utf8_count("abc", 2) == 2);
}

static void test_snprintf_marks_a_cut(void)
{
	char buf[8];
	CHECK(utf8_snprintf(buf, sizeof buf, "%s", "abc") == 0 && strcmp(buf, "abc") == 0);
	CHECK(utf8_snprintf(buf, sizeof buf, "%s", "abcdefg") == 0 && strcmp(buf, "abcdefg") == 0);   /* exactly */
	CHECK(utf8_snprintf(buf, sizeof buf, "%s", "abcdefgh") == 1 && strcmp(buf, "abcd" MARK) == 0);
	/* 8 bytes: "tiế" is 5, the mark 3, the NUL one more: "ti" and the mark */
	CHECK(utf8_snprintf(buf, sizeof buf, "%s", VI) == 1 && strcmp(buf, "ti" MARK) == 0);
	for (size_t size = 1; size <= strlen(VI) + 1; size++) {   /* every size: whole UTF-8, in the buffer */
		char small[32];
		memset(small, 'X', sizeof small);
		int cut = utf8_snprintf(small, size, "%s!", VI);
		CHECK(cut == 1);
		CHECK(strlen(small) < size && small[size] == 'X');
		CHECK(whole_utf8(small));
		CHECK(size <= UTF8_CUT_MARK_LEN || strstr(small, MARK) != NULL);
	}
	char big[64];
	CHECK(utf8_snprintf(big, sizeof big, "%d %s", 42, VI) == 0 && strcmp(big, "42 " VI) == 0);
}

static void test_column(void)
{
	char col[64];
	utf8_column(col, sizeof col, "sh", 6);
	CHECK(strcmp(col, "sh    ") == 0);
	utf8_column(col, sizeof col, VI, 10);                 /* fits exactly: 10 characters */
	CHECK(strcmp(col, VI) == 0);
	utf8_column(col, sizeof col, VI, 4);                  /* "tiế" and the mark: 4 columns */
	CHECK(strcmp(col, "ti\xe1\xba\xbf" MARK) == 0 && utf8_count(col, strlen(col)) == 4);
	utf8_column(col, sizeof col, "ti\xe1\xba\xbf", 5);    /* padded by characters, not bytes */
	CHECK(strcmp(col, "ti\xe1\xba\xbf  ") == 0);
	utf8_column(col, sizeof col, "abc", 0);
	CHECK(strcmp(col, "") == 0);
	char tiny[4];
	utf8_column(tiny, sizeof tiny, VI, 8);                /* a buffer too small: whole UTF-8 still */
	CHECK(strlen(tiny) < sizeof tiny && whole_utf8(tiny));
}

int main(void)
{
	test_cut_never_splits_a_character();
	test_count();
	test_snprintf_marks_a_cut();
	test_column();
	printf("%d checks, %d failed\n", checks, failures);
	return failures != 0;
}
