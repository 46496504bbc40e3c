/*
 * out_paths.c - two output options must not name one file: the second
 * fopen() would truncate what the first writes, and the run would end
 * with one of them clobbered and no word said. Names are compared as the
 * kernel sees them: the same device and inode for a file that exists
 * (./x and x, a hard link, a symbolic link), else the same resolved
 * folder and last name for one that does not exist yet. Devices such as
 * /dev/null take any number of writers and never clash. "-" is stdout
 * (for --json and --perfetto; -o - is a file named "-"). The file that
 * --replay reads is checked too: opening an output truncates it before
 * it is read.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "core/out_paths.h"

/* One output: its option, the name given, and whether "-" means stdout. */
struct out_name {
	const char *option;
	const char *path;
	int dash_is_stdout;
};

/* What a name stands for, as far as a clash goes. */
/* OUT_OTHER: a device, a pipe, a folder: never a clash. */
enum out_kind { OUT_NONE, OUT_STDOUT, OUT_OTHER, OUT_EXISTS, OUT_NEW };

struct out_id {
	enum out_kind kind;
	dev_t dev;
	ino_t ino;
	char where[PATH_MAX];   /* OUT_NEW: the resolved folder, '/', the last name */
};

static void identify(const struct out_name *n, struct out_id *id)
{
	struct stat st;
	memset(id, 0, sizeof *id);
	if (!n->path) {
		id->kind = OUT_NONE;
	} else if (n->dash_is_stdout && strcmp(n->path, "-") == 0) {
		id->kind = OUT_STDOUT;
	} else if (stat(n->path, &st) == 0) {
		id->kind = S_ISREG(st.st_mode) ? OUT_EXISTS : OUT_OTHER;
		id->dev = st.st_dev;
		id->ino = st.st_ino;
	} else {
		/* Not there yet: its folder resolved, then its own name
		 * ("out/../x" and "x" name one file only if out exists). */
		id->kind = OUT_NEW;
		char folder[PATH_MAX], real[PATH_MAX];
		const char *slash = strrchr(n->path, '/');
		const char *last = slash ? slash + 1 : n->path;
		size_t len = slash ? (size_t)(slash - n->path) : 0;
		if (len >= sizeof folder)
			len = sizeof folder - 1;
		memcpy(folder, slash ? n->path : ".", slash ? len : 1);
		folder[slash ? len : 1] = '\0';
		if (slash && len == 0)
			strcpy(folder, "/");
		/* (its folder missing too, or too long: as given; the fopen will say) */
		if (!realpath(folder, real) ||
		    snprintf(id->where, sizeof id->where, "%s/%s", real, last) >= (int)sizeof id->where)
			snprintf(id->where, sizeof id->where, "%s", n->path);
	}
}

static int same(const struct out_id *a, const struct out_id *b)
{
	if (a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case OUT_STDOUT: return 1;
	case OUT_EXISTS: return a->dev == b->dev && a->ino == b->ino;
	case OUT_NEW: return strcmp(a->where, b->where) == 0;
	default: return 0;   /* none, or not a file: many writers are fine */
	}
}

int out_paths_clash(const struct options *o, struct out_clash *clash)
{
	const struct out_name names[] = {
		{ "--replay", o->replay, 0 },   /* first: the one read */
		{ "-o", o->out_path, 0 },
		{ "--json", o->json_path, 1 },
		{ "--perfetto", o->perfetto_path, 1 },
		{ "--html", o->html_path, 0 },
		{ "--svg", o->svg_path, 0 },
	};
	enum { N = sizeof names / sizeof names[0] };
	struct out_id ids[N];
	for (int i = 0; i < N; i++) {
		identify(&names[i], &ids[i]);
		for (int j = 0; j < i; j++)
			if (same(&ids[j], &ids[i])) {
				*clash = (struct out_clash){ names[j].option, names[i].option, names[i].path };
				return 1;
			}
	}
	return 0;
}
