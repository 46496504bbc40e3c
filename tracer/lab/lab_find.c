/*
 * lab_find.c - where the labs are, finding one by name, and --list.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "common/utf8.h"
#include "common/lang.h"
#include "common/names.h"
#include "decode/call.h"
#include "lab/lab.h"
#include "output/output.h"

#define LABS_MAX 128
#define KIT_SEARCH_DEPTH 4

/* The kit is the nearest folder, from ./trace's own upwards, that holds
 * labs/ (so a build in build/asan/ finds the same labs). */
const char *kit_root(void)
{
	static char root[PATH_MAX];
	char probe[PATH_MAX + 16];
	if (root[0])
		return root;
	ssize_t n = readlink("/proc/self/exe", root, sizeof root - 1);
	root[n > 0 ? n : 0] = '\0';
	for (int up = 0; up < KIT_SEARCH_DEPTH; up++) {
		char *slash = strrchr(root, '/');
		if (!slash || slash == root)
			break;
		*slash = '\0';
		snprintf(probe, sizeof probe, "%s/labs", root);
		if (access(probe, F_OK) == 0)
			return root;
	}
	n = readlink("/proc/self/exe", root, sizeof root - 1);
	root[n > 0 ? n : 0] = '\0';
	char *slash = strrchr(root, '/');
	if (slash)
		*slash = '\0';
	return root;
}

/* A word names a lab if it starts with "lab" and a digit, or is a bare
 * number (./trace 5). */
int lab_is_name(const char *word)
{
	if (*word && strspn(word, "0123456789") == strlen(word))
		return 1;
	return strncmp(word, "lab", 3) == 0 && word[3] >= '0' && word[3] <= '9' && !strchr(word, '/');
}

/* A folder of labs/ is a lab's if its name starts with "lab" and a digit. */
static int is_lab_folder(const char *name)
{
	return strncmp(name, "lab", 3) == 0 && name[3] >= '0' && name[3] <= '9';
}

/* "3", "lab3", "lab03" and "lab03-select" all name labs/lab03-select;
 * "lab3x" names nothing (the number is the whole rest of the name). */
static int lab_matches(const char *folder, const char *name)
{
	if (strcmp(folder, name) == 0)
		return 1;
	const char *digits = strncmp(name, "lab", 3) == 0 ? name + 3 : name;
	if (!is_lab_folder(folder) || !*digits || strspn(digits, "0123456789") != strlen(digits))
		return 0;
	return atoi(digits) == atoi(folder + 3);
}

/* $TRACELAB_LABS points at another folder of labs (a student's copy, for
 * grading); by default the kit's own labs/. */
static int labs_dir(char *buf, size_t size)
{
	const char *env = getenv("TRACELAB_LABS");
	if (env && *env)
		return snprintf(buf, size, "%s", env) < (int)size ? 0 : -1;
	return snprintf(buf, size, "%s/labs", kit_root()) < (int)size ? 0 : -1;
}

/* The folder of labs, open for reading its entries; NULL after saying so. */
static DIR *open_labs(char *root, size_t size)
{
	labs_dir(root, size);
	DIR *d = opendir(root);
	if (!d)
		fprintf(stderr, _("trace: no labs folder at %s: run ./trace from the kit, or set TRACELAB_LABS "
			"to a folder of labs (to trace a program: ./trace -- CMD)\n"), root);
	return d;
}

/* Read labs/<folder>/lab.conf (its variant as lab->variant says). */
static int read_conf(struct lab *lab, const char *root, const char *folder)
{
	char conf[PATH_MAX * 2];
	snprintf(lab->name, sizeof lab->name, "%s", folder);
	snprintf(lab->dir, sizeof lab->dir, "%s/%s", root, folder);
	snprintf(conf, sizeof conf, "%s/lab.conf", lab->dir);
	FILE *f = fopen(conf, "r");
	if (!f) {
		snprintf(lab->error, sizeof lab->error,
			 _("trace: %s has no lab.conf: add one (see docs/instructors.md)"), lab->dir);
		return 2;
	}
	int rc = lab_conf_read(lab, f);
	fclose(f);
	return rc;
}

/* Was PROGRAM.c saved after PROGRAM was built? Then an exercise done
 * right would run the old program and look wrong. (No source beside it,
 * as in a grading copy, is not stale.) */
static int source_is_newer(const char *program)
{
	char source[sizeof ((struct lab *)0)->program + 3];
	struct stat bin, src;
	snprintf(source, sizeof source, "%s.c", program);
	if (stat(program, &bin) != 0 || stat(source, &src) != 0)
		return 0;
	return src.st_mtim.tv_sec > bin.st_mtim.tv_sec ||
	       (src.st_mtim.tv_sec == bin.st_mtim.tv_sec && src.st_mtim.tv_nsec > bin.st_mtim.tv_nsec);
}

int lab_load(struct lab *lab, const char *name, const char *variant)
{
	char root[PATH_MAX + 16];
	memset(lab, 0, sizeof *lab);
	snprintf(lab->variant, sizeof lab->variant, "%s", variant ? variant : "");
	DIR *d = open_labs(root, sizeof root);
	if (!d)
		return 2;
	struct dirent *de;
	char folder[256] = "";
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && lab_matches(de->d_name, name)) {
			snprintf(folder, sizeof folder, "%s", de->d_name);
			break;
		}
	closedir(d);
	if (!folder[0]) {
		fprintf(stderr, _("trace: no lab named '%s': ./trace --list shows the labs\n"), name);
		return 2;
	}
	int rc = read_conf(lab, root, folder);
	if (rc) {
		fprintf(stderr, "%s\n", lab->error);
		return rc;
	}
	if (access(lab->program, X_OK) != 0) {
		fprintf(stderr, _("trace: %s is not built: run `make lab%d` first\n"), lab->name, atoi(lab->name + 3));
		return 2;
	}
	if (source_is_newer(lab->program)) {
		fprintf(stderr, _("trace: %s.c changed after %s was built: run `make lab%d` first "
			"(the old program would run)\n"), lab->program, strrchr(lab->program, '/') + 1,
			atoi(lab->name + 3));
		return 2;
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The first heading of the lab's README.md, or of README.LANG.md (lang:
 * "vi"; NULL for English): 0, or -1 when there is no such file. */
static int read_title(const char *root, const char *folder, const char *lang, char *title, size_t size)
{
	char path[PATH_MAX * 2], *line = NULL;
	size_t room = 0;
	snprintf(path, sizeof path, "%s/%s/README%s%s.md", root, folder, lang ? "." : "", lang ? lang : "");
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	if (getline(&line, &room, f) < 0) {   /* the whole line, however long */
		free(line);
		line = NULL;
	}
	fclose(f);
	const char *t = line ? line : "";
	t += strspn(t, "# ");
	/* a title longer than the list's column ends in the cut mark */
	utf8_snprintf(title, size, "%.*s", (int)strcspn(t, "\r\n"), t);
	free(line);
	return 0;
}

/* The title ./trace --list shows: the README's in the user's language
 * when the lab has one, else the English README's. The JSON keeps the
 * English title whatever the language: a program reads it. */
static void list_title(const char *root, const char *folder, int human, char *title, size_t size)
{
	title[0] = '\0';
	if (human && lang_has_catalog(lang_code()) && read_title(root, folder, lang_code(), title, size) == 0)
		return;
	read_title(root, folder, NULL, title, size);
}

/* One lab as JSON: what lab.conf says, for the Python kit. */
static void list_json(FILE *out, const struct lab *lab, const char *title, int ok, int built)
{
	struct arena a = ARENA_INIT;
	struct fields fs;
	char classes[128];
	fields_init(&fs, &a);
	fs_str(&fs, "lab", lab->name);
	fs_int(&fs, "number", atoi(lab->name + 3));
	fs_str(&fs, "title", title);
	fs_str(&fs, "dir", lab->dir);
	fs_bool(&fs, "ok", ok);
	if (!ok)
		fs_str(&fs, "error", lab->error);
	if (ok) {
		const char *slash = strrchr(lab->program, '/');
		int nargs = 0, nload = 0;
		while (lab->argv[nargs])
			nargs++;
		while (lab->load[nload])
			nload++;
		fs_str(&fs, "program", slash ? slash + 1 : lab->program);
		fs_strs(&fs, "args", (const char *const *)lab->argv + 1, nargs - 1);
		fs_str(&fs, "ready", lab->ready);
		fs_strs(&fs, "load", (const char *const *)lab->load, nload);
		if (lab->stop_sig)
			fs_str(&fs, "stop", sig_name(lab->stop_sig));
		else
			fs_null(&fs, "stop");
		fs_names(&fs, "classes", cls_list(lab->classes & ~CLS_READY, classes, sizeof classes));
		fs_bool(&fs, "hold_sigchld", lab->hold_sigchld != HOLD_NONE);
		fs_str(&fs, "hold", hold_mode_name[lab->hold_sigchld]);
		if (lab->lesson[0])
			fs_str(&fs, "lesson", lab->lesson);
		else
			fs_null(&fs, "lesson");
		struct fields *asks = fs_list(&fs, "predict");
		for (int q = 0; asks && q < lab->nquestions; q++) {
			struct fields *o = fs_obj(asks, NULL);
			if (o) {
				fs_str(o, "fact", lab->questions[q].fact);
				fs_str(o, "question", lab->questions[q].text);
			}
		}
		struct fields *variants = fs_list(&fs, "variants");
		for (const char *v = lab->variants; variants && *v; ) {   /* "a, b" */
			size_t n = strcspn(v, ",");
			fs_str(variants, NULL, arena_strndup(&a, v, n));
			v += n + strspn(v + n, ", ");
		}
		fs_bool(&fs, "built", built);
	}
	json_put_object(out, &fs);
	putc('\n', out);
	arena_free(&a);
}

/* ./trace --list's columns: "lab12  ", the folder, the title. */
#define LIST_FOLDER_WIDTH 24
#define LIST_INDENT (7 + LIST_FOLDER_WIDTH + 1)

int lab_list(FILE *json)
{
	char root[PATH_MAX + 16], *names[LABS_MAX];
	int n = 0;
	DIR *d = open_labs(root, sizeof root);
	if (!d)
		return 2;
	struct dirent *de;
	while ((de = readdir(d)) && n < LABS_MAX)
		if (is_lab_folder(de->d_name))
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, (size_t)n, sizeof *names, by_name);
	for (int i = 0; i < n; i++) {
		char title[256];
		struct lab lab;
		memset(&lab, 0, sizeof lab);
		list_title(root, names[i], !json, title, sizeof title);
		int ok = read_conf(&lab, root, names[i]) == 0;
		int built = ok && access(lab.program, X_OK) == 0;
		if (json) {
			list_json(json, &lab, title, ok, built);
		} else {
			if (!ok)
				fprintf(stderr, "%s\n", lab.error);
			/* The title on the lab's line, what else there is to
			 * know on lines of their own beneath it: each line
			 * stays within the beginner's 100 columns. */
			printf("lab%-3d %-*s %s\n", atoi(names[i] + 3), LIST_FOLDER_WIDTH, names[i], title);
			if (lab.variants[0]) {
				printf("%*s", LIST_INDENT, "");
				printf(_("variants: %s\n"), lab.variants);
			}
			if (ok && !built) {
				printf("%*s", LIST_INDENT, "");
				printf(_("not built: make lab%d\n"), atoi(names[i] + 3));
			}
		}
		free(names[i]);
	}
	return 0;
}
