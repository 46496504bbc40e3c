/*
 * test_lang.c - the tracer's choice of language (tracer/common/lang.c)
 * when the system lets it down: a locale that cannot be set, a catalog
 * that is not there. It must then speak English, whole (its code "en",
 * every sentence as written, the user's LANGUAGE and locales as they
 * were), never half of each and never crash.
 *
 * setlocale is wrapped (-Wl,--wrap=setlocale): fail_category makes the
 * next switch of that category fail, as a system without C.UTF-8 would.
 * argv[1]: the checkout, whose build/locale holds the catalogs.
 * Run by tests/unit/test_unit_programs.py (make unit builds it).
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/lang.h"

static int failures, checks;
#define CHECK(cond) do { checks++; if (!(cond)) { failures++; \
	fprintf(stderr, "%s:%d: %s: failed: %s\n", __FILE__, __LINE__, __func__, #cond); } } while (0)

/* A sentence of po/vi.po, and its Vietnamese. */
#define SENTENCE "signals delivered:"
#define SENTENCE_VI "tín hiệu đã chuyển đến:"
#define NO_CATEGORY (-1)

static int fail_category = NO_CATEGORY;

char *__real_setlocale(int category, const char *locale);

char *__wrap_setlocale(int category, const char *locale)
{
	if (locale && category == fail_category)
		return NULL;   /* asked to switch, and cannot */
	return __real_setlocale(category, locale);
}

static const char *root = ".";

/* What must hold after a fall back to English (and the locales as they
 * were, unless a catalog was in use before). */
static void check_english(const char *why, int locales_kept)
{
	CHECK(strcmp(lang_code(), "en") == 0);
	CHECK(strcmp(lang_text(SENTENCE), SENTENCE) == 0);
	CHECK(strcmp(getenv("LANGUAGE") ? getenv("LANGUAGE") : "(unset)", "fr") == 0);
	CHECK(!locales_kept || strcmp(__real_setlocale(LC_MESSAGES, NULL), "C") == 0);
	CHECK(!locales_kept || strcmp(__real_setlocale(LC_CTYPE, NULL), "C") == 0);
	if (failures)
		fprintf(stderr, "  (after: %s)\n", why);
}

static void test_messages_locale_refused(void)
{
	fail_category = LC_MESSAGES;
	CHECK(lang_init("vi", root) == 0);   /* vi is a language it knows: no usage error */
	fail_category = NO_CATEGORY;
	check_english("LC_MESSAGES refused", 1);
}

static void test_ctype_locale_refused(void)
{
	fail_category = LC_CTYPE;   /* the messages locale was switched first: put back */
	CHECK(lang_init("vi", root) == 0);
	fail_category = NO_CATEGORY;
	check_english("LC_CTYPE refused", 1);
}

static void test_no_catalog(void)
{
	setenv("TRACELAB_LOCALEDIR", "/nonexistent/tracelab-locale", 1);
	CHECK(lang_init("vi", root) == 0);
	unsetenv("TRACELAB_LOCALEDIR");
	check_english("no catalog", 1);
}

static void test_the_catalog_when_all_is_well(void)
{
	CHECK(lang_init("vi", root) == 0);
	CHECK(strcmp(lang_code(), "vi") == 0);
	CHECK(strcmp(lang_text(SENTENCE), SENTENCE_VI) == 0);
	/* and back: English, the user's LANGUAGE again */
	CHECK(lang_init("en", root) == 0);
	check_english("--lang en after vi", 0);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		root = argv[1];
	setenv("LANGUAGE", "fr", 1);   /* the user's, to be kept */
	unsetenv("TRACELAB_LOCALEDIR");
	test_messages_locale_refused();
	test_ctype_locale_refused();
	test_no_catalog();
	test_the_catalog_when_all_is_well();
	printf("%d checks, %d failed\n", checks, failures);
	return failures != 0;
}
