/*
 * utf8.h - cutting UTF-8 text to fit a buffer or a column without
 * breaking a character in two (Vietnamese letters take two or three
 * bytes), and saying that it was cut: "…" takes the place of the rest.
 */
#ifndef TRACELAB_UTF8_H
#define TRACELAB_UTF8_H

#include <stddef.h>

/* What marks a cut: U+2026, three bytes, one column. */
#define UTF8_CUT_MARK "\xe2\x80\xa6"
#define UTF8_CUT_MARK_LEN 3

/* The length of the longest start of s, at most max bytes, that does not
 * end inside a character (strlen(s) when it fits). */
size_t utf8_cut(const char *s, size_t max);
/* Characters (not bytes) in the first n bytes of s. */
size_t utf8_count(const char *s, size_t n);
/* printf into dst (size bytes): whole when it fits, else cut on a
 * character boundary with the cut mark at its end. 1 if it was cut. */
__attribute__((format(printf, 3, 4)))
int utf8_snprintf(char *dst, size_t size, const char *fmt, ...);
/* s as a column of width characters: itself and spaces after it, or its
 * first width - 1 characters and the cut mark. Into dst (size bytes;
 * 4 * width + 1 is always enough). */
void utf8_column(char *dst, size_t size, const char *s, int width);

#endif
