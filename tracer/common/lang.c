/*
 * lang.c - which language the tracer speaks (see lang.h).
 *
 * It must work on a machine where no Vietnamese locale was generated
 * (Debian has only C.UTF-8 until locale-gen runs). glibc's gettext picks
 * a catalog from LANGUAGE as long as the messages locale is not plain "C",
 * and C.UTF-8 always exists: so for a translated language the tracer sets
 * LC_MESSAGES and LC_CTYPE to C.UTF-8 and LANGUAGE to the language, and
 * puts LANGUAGE back in the traced program's environment before its exec.
 * It never touches LC_NUMERIC: "0.003" must stay "0.003" in every locale.
 *
 * When that cannot be done (C.UTF-8 missing, LOCPATH elsewhere, or the
 * catalog not where it should be), the tracer speaks English, whole:
 * its locales and LANGUAGE as they were, and "en" for everyone who asks
 * (the lab's own words, the page's lang, the programs it starts), not
 * English sentences around Vietnamese ones.
 */
#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/lang.h"
/* The choice of language, shared with the kit's programs. */
#include "../../kit/lib/kit_lang.h"

#define DOMAIN "tracelab"
/* The messages and character locale while translating: it always exists
 * on glibc, but LOCPATH or a trimmed system can take it away. */
#define UTF8_LOCALE "C.UTF-8"
#define ENGLISH KIT_LANG_ENGLISH
#define known kit_lang_known
#define languages kit_lang_languages
#define NLANGUAGES KIT_LANG_COUNT

static const char *chosen = ENGLISH;
static int translating;
static int env_changed;
static char *user_language;   /* LANGUAGE as the user gave it, or NULL */
static char locale_dir[4096]; /* where the catalogs are */

/* The locale of category now, copied (setlocale's answer is overwritten
 * by the next call); NULL if it cannot be copied. */
static char *locale_now(int category)
{
	const char *now = setlocale(category, NULL);
	return now ? strdup(now) : NULL;
}

/* Back to English, as if it had been asked for: the environment as the
 * user gave it. */
static void speak_english(void)
{
	if (env_changed) {
		if (user_language)
			setenv("LANGUAGE", user_language, 1);
		else
			unsetenv("LANGUAGE");
	}
	free(user_language);
	user_language = NULL;
	env_changed = 0;
	translating = 0;
	chosen = ENGLISH;
}

int lang_init(const char *asked, const char *kit_root)
{
	/* --lang takes what a locale names (vi_VN.UTF-8, VI): the code in
	 * it is chosen, and only the code goes on (TRACELAB_LANG=vi). */
	const char *lang = asked ? known(asked, strlen(asked)) : kit_lang_from_environment();
	if (!lang)
		return -1;
	speak_english();   /* (a second call starts afresh) */
	chosen = lang;
	const char *dir_env = getenv("TRACELAB_LOCALEDIR");   /* an installed copy's */
	if (dir_env && *dir_env)
		snprintf(locale_dir, sizeof locale_dir, "%s", dir_env);
	else
		snprintf(locale_dir, sizeof locale_dir, "%s/build/locale", kit_root);
	if (strcmp(lang, ENGLISH) == 0)
		return 0;   /* the sentences as written: no catalog */
	char *messages = locale_now(LC_MESSAGES), *ctype = locale_now(LC_CTYPE);
	int ok = messages && ctype && setlocale(LC_MESSAGES, UTF8_LOCALE) && setlocale(LC_CTYPE, UTF8_LOCALE);
	if (ok) {
		const char *was = getenv("LANGUAGE");
		user_language = was ? strdup(was) : NULL;
		ok = !was || user_language;   /* (the user's must be put back whole) */
		if (ok) {
			setenv("LANGUAGE", lang, 1);
			env_changed = 1;
		}
		/* The catalog's header entry is there only if the catalog was
		 * found and read: without it every sentence would stay English,
		 * and the lab's own words would not. */
		ok = ok && bindtextdomain(DOMAIN, locale_dir) && bind_textdomain_codeset(DOMAIN, "UTF-8");
		const char *header_msgid = "";   /* (a variable: xgettext need not see it) */
		const char *header = ok ? dgettext(DOMAIN, header_msgid) : NULL;
		ok = header && *header;
	}
	if (ok) {
		translating = 1;
	} else {
		if (messages)
			setlocale(LC_MESSAGES, messages);
		if (ctype)
			setlocale(LC_CTYPE, ctype);
		speak_english();
	}
	free(messages);
	free(ctype);
	return 0;
}

const char *lang_choices(void)
{
	static char list[64];
	if (!list[0])
		for (size_t i = 0, n = 0; i < NLANGUAGES && n < sizeof list; i++)
			n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", languages[i]);
	return list;
}

int lang_has_catalog(const char *code)
{
	const char *lang = known(code, strlen(code));
	return lang && strcmp(lang, ENGLISH) != 0 && strcmp(code, lang) == 0;
}

const char *lang_code(void)
{
	return chosen;
}

const char *lang_text(const char *msgid)
{
	return translating && msgid && *msgid ? dgettext(DOMAIN, msgid) : msgid;
}

const char *lang_plural(const char *one, const char *many, unsigned long n)
{
	return translating ? dngettext(DOMAIN, one, many, n) : n == 1 ? one : many;
}

void lang_child_env(void)
{
	setenv("TRACELAB_LANG", chosen, 1);
	if (locale_dir[0])
		setenv("TRACELAB_LOCALEDIR", locale_dir, 1);
	if (!env_changed)
		return;
	if (user_language)
		setenv("LANGUAGE", user_language, 1);
	else
		unsetenv("LANGUAGE");
}
