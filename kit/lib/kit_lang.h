/*
 * kit_lang.h - which language a student asked for, and the catalog of a
 * kit program's sentences (GNU gettext), in one header with no .c file
 * of its own: the tracer (tracer/common/lang.c) uses the choice, the
 * labs' library (labkit.c) and the load generator use both, and a lab
 * built on its own (`gcc lab07.c labkit.c`) needs no file more.
 *
 * The choice: TRACELAB_LANG, which ./trace sets in the environment of the
 * programs it starts to the language it chose (so `--lang en` wins over
 * LANGUAGE=vi); else LANGUAGE's first known entry, then the first of
 * LC_ALL, LC_MESSAGES, LANG that is set (POSIX's order).
 *
 * The catalog must be found on a machine with only C.UTF-8 installed:
 * glibc's gettext reads LANGUAGE only when the messages locale is not
 * plain "C", so the lookup runs under a C.UTF-8 messages locale of its
 * own (uselocale: the program's global locale, and so strerror's English
 * and printf's numbers, stay as they were), and LANGUAGE is set to the
 * language. The kit's programs exec nothing, so no other program sees it.
 */
#ifndef KIT_LANG_H
#define KIT_LANG_H

#include <libintl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define KIT_LANG_ENGLISH "en"
/* The domain of the labs' and the load generator's sentences (po/labs/). */
#define KIT_LANG_LABS_DOMAIN "tracelab-labs"

/* The languages there is a catalog for, English first (no catalog). */
__attribute__((unused)) static const char *const kit_lang_languages[] = { KIT_LANG_ENGLISH, "vi" };
#define KIT_LANG_COUNT (sizeof kit_lang_languages / sizeof kit_lang_languages[0])

/* The language a locale name or LANGUAGE entry names ("vi_VN.UTF-8",
 * "vi", "VI": the code before _ . @ or :, in any case), if there is a
 * catalog for it; NULL otherwise. */
static inline const char *kit_lang_known(const char *name, size_t len)
{
	size_t code = strcspn(name, "_.@:");
	if (code > len)
		code = len;
	for (size_t i = 0; i < KIT_LANG_COUNT; i++)
		if (strlen(kit_lang_languages[i]) == code &&
		    strncasecmp(name, kit_lang_languages[i], code) == 0)
			return kit_lang_languages[i];
	return NULL;
}

/* What the environment asks for, TRACELAB_LANG left out (the tracer's
 * own choice reads --lang first, then this). */
static inline const char *kit_lang_from_environment(void)
{
	const char *list = getenv("LANGUAGE");
	for (const char *p = list; p && *p; p += strcspn(p, ":"), p += *p == ':') {
		const char *lang = kit_lang_known(p, strcspn(p, ":"));
		if (lang)
			return lang;
	}
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v) {
			const char *lang = kit_lang_known(v, strlen(v));
			return lang ? lang : KIT_LANG_ENGLISH;
		}
	}
	return KIT_LANG_ENGLISH;
}

/* The messages locale the lookups run under; 0 while English. One per
 * program, shared by all its files: declared here, defined once beside
 * the program's call to kit_lang_init (labkit.c, loadgen.c). A static
 * here would give each file a copy of its own, and every file but the
 * one that called kit_lang_init would stay English. */
extern locale_t kit_lang_locale;

/* A kit program's set-up (call it before main, from a constructor, so
 * that the tracer's view counts the catalog's loading as set-up): choose
 * the language and, for a translated one, load domain's catalog from
 * TRACELAB_LOCALEDIR (./trace sets it) or the directory the program was
 * built with (fallback, NULL for none). Any failure leaves it English. */
static inline void kit_lang_init(const char *domain, const char *fallback)
{
	const char *asked = getenv("TRACELAB_LANG");
	const char *lang = asked && *asked ? kit_lang_known(asked, strlen(asked))
					   : kit_lang_from_environment();
	const char *dir = getenv("TRACELAB_LOCALEDIR");
	if (!dir || !*dir)
		dir = fallback;
	if (!lang || strcmp(lang, KIT_LANG_ENGLISH) == 0 || !dir)
		return;
	locale_t loc = newlocale(LC_MESSAGES_MASK, "C.UTF-8", (locale_t)0);
	if (loc == (locale_t)0)
		return;
	setenv("LANGUAGE", lang, 1);
	bindtextdomain(domain, dir);
	bind_textdomain_codeset(domain, "UTF-8");
	kit_lang_locale = loc;
	/* The header entry: looking it up opens and maps the catalog now. */
	locale_t was = uselocale(loc);
	(void)dgettext(domain, "");
	uselocale(was);
}

/* msgid in the chosen language (msgid itself in English, or when the
 * catalog lacks it). format_arg: say(kit_lang_text(D, "%d"), n) is
 * checked as say("%d", n) is. */
__attribute__((format_arg(2)))
static inline const char *kit_lang_text(const char *domain, const char *msgid)
{
	if (kit_lang_locale == (locale_t)0 || !msgid || !*msgid)
		return msgid;
	locale_t was = uselocale(kit_lang_locale);
	const char *text = dgettext(domain, msgid);
	uselocale(was);
	return text;
}

#endif
