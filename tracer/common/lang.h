/*
 * lang.h - the language the tracer speaks to its user: English, the
 * language its sentences are written in, or one of po/'s catalogs
 * (GNU gettext), chosen by --lang or the environment.
 *
 *     printf(_("the lab is over"));           a sentence to translate
 *     static const char *w[] = { N_("ok") };  marked here, translated where used: _(w[i])
 *     printf(P_("%d child", "%d children", n), n);   a count's noun
 *
 * Names from C (fork, SIGCHLD, WNOHANG, EINTR) and the JSON format are
 * never translated: a program reads them.
 */
#ifndef TRACELAB_LANG_H
#define TRACELAB_LANG_H

#define _(s) lang_text(s)
#define N_(s) (s)
#define P_(one, many, n) lang_plural(one, many, n)

/* Choose the language: asked (--lang), or NULL for the environment's
 * (LANGUAGE, then LC_ALL, LC_MESSAGES, LANG). The catalogs are in
 * kit_root's build/locale. Returns 0, or -1 when asked names a language
 * there is no catalog for. */
int lang_init(const char *asked, const char *kit_root);
/* The languages --lang takes, as "en, vi". */
const char *lang_choices(void);
/* Is there a catalog for code ("vi"; not "en", the sentences as written)? */
int lang_has_catalog(const char *code);
/* The chosen language's code: "en", "vi". */
const char *lang_code(void);
/* format_arg: printf(_("%d"), n) is checked as printf("%d", n) is. */
__attribute__((format_arg(1))) const char *lang_text(const char *msgid);
__attribute__((format_arg(1), format_arg(2)))
const char *lang_plural(const char *one, const char *many, unsigned long n);
/* In a child, before it execs the traced program or the load generator:
 * the environment as the user gave it (gettext is steered by LANGUAGE,
 * which lang_init may set), and the choice handed on, so that the lab's
 * and the load generator's own lines are in the same language:
 * TRACELAB_LANG (the chosen code) and TRACELAB_LOCALEDIR (the catalogs). */
void lang_child_env(void);

#endif
