/*
 * utf8.c - cutting UTF-8 text on a character boundary, and marking the
 * cut (utf8.h). A byte 10xxxxxx continues a character; any other starts
 * one: a cut just before a starting byte keeps every character whole.
 * Text that is not UTF-8 at all (a program's argv may hold any bytes) is
 * cut at most three bytes early and never read past its end.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "common/utf8.h"

/* The longest a UTF-8 character is: no cut backs off further. */
#define UTF8_CHAR_MAX 4

static int continues(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

size_t utf8_cut(const char *s, size_t max)
{
	size_t len = strnlen(s, max + 1);
	if (len <= max)
		return len;
	size_t n = max;
	while (n > 0 && max - n < UTF8_CHAR_MAX - 1 && continues(s[n]))
		n--;
	return continues(s[n]) ? max : n;   /* (not UTF-8: a cut anywhere is as good) */
}

size_t utf8_count(const char *s, size_t n)
{
	size_t chars = 0;
	for (size_t i = 0; i < n && s[i]; i++)
		chars += !continues(s[i]);
	return chars;
}

int utf8_snprintf(char *dst, size_t size, const char *fmt, ...)
{
	if (size == 0)
		return 1;
	va_list ap;
	va_start(ap, fmt);
	int full = vsnprintf(dst, size, fmt, ap);
	va_end(ap);
	if (full < 0) {
		dst[0] = '\0';
		return 1;
	}
	if ((size_t)full < size)
		return 0;
	/* dst holds the first size - 1 bytes: keep what fits before the mark */
	if (size <= UTF8_CUT_MARK_LEN) {
		dst[utf8_cut(dst, size - 1)] = '\0';
		return 1;
	}
	size_t keep = utf8_cut(dst, size - 1 - UTF8_CUT_MARK_LEN);
	memcpy(dst + keep, UTF8_CUT_MARK, UTF8_CUT_MARK_LEN + 1);
	return 1;
}

void utf8_column(char *dst, size_t size, const char *s, int width)
{
	if (size == 0)
		return;
	size_t len = strlen(s), used = 0;
	size_t chars = utf8_count(s, len);
	size_t shown = width <= 0 ? 0 : (size_t)width;
	if (chars > shown && shown > 0) {
		/* the first shown - 1 characters, then the mark */
		size_t bytes = 0;
		for (size_t c = 0; bytes < len; bytes++)
			if (!continues(s[bytes]) && c++ == shown - 1)
				break;
		used = bytes + UTF8_CUT_MARK_LEN < size ? bytes : 0;
		memcpy(dst, s, used);
		if (used + UTF8_CUT_MARK_LEN < size) {
			memcpy(dst + used, UTF8_CUT_MARK, UTF8_CUT_MARK_LEN);
			used += UTF8_CUT_MARK_LEN;
		}
		chars = shown;
	} else if (chars > shown) {
		chars = 0;
	} else {
		used = len < size ? len : utf8_cut(s, size - 1);
		memcpy(dst, s, used);
	}
	for (; chars < shown && used + 1 < size; chars++)
		dst[used++] = ' ';
	dst[used] = '\0';
}
