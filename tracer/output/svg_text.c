/*
 * svg_text.c - text inside SVG and HTML: escaped for XML, and the
 * <title> that a browser shows when the pointer is on an element. Shared
 * by the SVG writer, its arrows and the page.
 */
#include <stdio.h>
#include <string.h>
#include "output/output.h"
#include "output/picture.h"
#include "output/svg_int.h"

void xml_text(FILE *f, const char *s)
{
	if (s)
		xml_text_n(f, s, strlen(s));
}

void xml_text_n(FILE *f, const char *s, size_t len)
{
	for (const char *end = s + len; s < end;) {
		int n = utf8_len((const unsigned char *)s);
		if (n > end - s)
			n = 0;   /* a character cut short by len */
		switch (n ? *s : 0) {
		case 0: fputs("\xef\xbf\xbd", f); n = 1; break;   /* not UTF-8 (a program's argv): U+FFFD, as in the JSON */
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\t')
				fwrite(s, 1, (size_t)n, f);   /* control bytes are not XML */
		}
		s += n;
	}
}

void svg_title(FILE *f, const char *line)
{
	if (!line)
		return;
	fputs("<title>", f);
	xml_text(f, line);
	fputs("</title>", f);
}
