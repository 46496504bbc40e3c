/*
 * holes.c - fill a sentence's {holes} with numbers (see holes.h).
 */
#include <string.h>
#include "common/holes.h"

static int refuse(char *bad, size_t n, const char *name, size_t len)
{
	if (n)
		snprintf(bad, n, "%.*s", (int)len, name);
	return -1;
}

int holes_fill(const char *text, hole_value value, void *ctx, FILE *out, char *bad, size_t n)
{
	while (*text) {
		const char *open = strchr(text, '{');
		if (!open) {
			if (out)
				fputs(text, out);
			return 0;
		}
		if (out)
			fwrite(text, 1, (size_t)(open - text), out);
		const char *name = open + 1, *close = strchr(name, '}');
		if (!close)
			return refuse(bad, n, name, strlen(name));
		const char *colon = memchr(name, ':', (size_t)(close - name));
		size_t len = (size_t)((colon ? colon : close) - name);
		long long v;
		int rc = value(name, len, &v, ctx);
		if (rc != 0) {
			refuse(bad, n, name, len);
			return rc;
		}
		if (out)
			fprintf(out, "%lld", v);
		if (colon) {
			/* "one/many": the noun for 1, and for any other count */
			const char *one = colon + 1, *slash = memchr(one, '/', (size_t)(close - one));
			if (!slash)
				return refuse(bad, n, name, (size_t)(close - name));
			if (out && v == 1)
				fprintf(out, " %.*s", (int)(slash - one), one);
			else if (out)
				fprintf(out, " %.*s", (int)(close - slash - 1), slash + 1);
		}
		text = close + 1;
	}
	return 0;
}
