/*
 * text_words.c - what a delivered signal does, in the words of the course:
 * a SIGCHLD left to its default action is not the same as one set to
 * SIG_IGN (the first leaves a zombie, the second none), so the timeline
 * says which, from the event's "action", "disposition" and "child_zombie".
 * And how a signal came, in words, for the view without the kernel's
 * si_code names. Both come back in the language chosen (common/lang.h).
 */
#include <string.h>
#include "common/lang.h"
#include "output/text_words.h"

/* What a delivered signal does, in words: the first row that fits its
 * "action", its "disposition" (NULL: any) and what it says of a child. */
enum chld { ANY_SIGNAL, SIGCHLD_ANY, SIGCHLD_ZOMBIE };
static const struct { const char *action, *disp; enum chld chld; const char *words; } signal_words[] = {
	{ "handler", NULL, ANY_SIGNAL, N_("-> runs the handler") },
	{ "ignore", "ignore", SIGCHLD_ANY, N_("-> ignored (SIG_IGN): the kernel reaps the children itself") },
	{ "ignore", "ignore", ANY_SIGNAL, N_("-> ignored (SIG_IGN)") },
	{ "ignore", "default", SIGCHLD_ZOMBIE,
	  N_("-> default action: nothing runs; the child stays a zombie until it is reaped") },
	{ "ignore", "default", ANY_SIGNAL, N_("-> default action: nothing runs") },
	{ "ignore", NULL, ANY_SIGNAL, N_("-> ignored") },
	{ "stop", NULL, ANY_SIGNAL, N_("-> stops the process") }, { "default", NULL, ANY_SIGNAL, N_("-> continues the process") },
	{ "kill", NULL, ANY_SIGNAL, N_("-> kills the process") }, { "core", NULL, ANY_SIGNAL, N_("-> kills the process") },
	{ "discard", NULL, ANY_SIGNAL, N_("-> dropped by the kernel: its process group is orphaned, and nobody could continue it") },
};

const char *signal_action_words(const struct fields *fs)
{
	const char *action = fs_str_or(fs, "action", "?"), *disp = fs_gets(fs, "disposition");
	const struct field *zombie = fs_get(fs, "child_zombie");
	enum chld chld = strcmp(fs_str_or(fs, "sig", "?"), "SIGCHLD") != 0 ? ANY_SIGNAL
		       : zombie && zombie->kind == F_BOOL && zombie->i ? SIGCHLD_ZOMBIE : SIGCHLD_ANY;
	for (size_t i = 0; i < sizeof signal_words / sizeof signal_words[0]; i++)
		if (strcmp(signal_words[i].action, action) == 0 &&
		    (!signal_words[i].disp || (disp && strcmp(signal_words[i].disp, disp) == 0)) &&
		    (signal_words[i].chld == ANY_SIGNAL || signal_words[i].chld == chld))
			return _(signal_words[i].words);
	return action;
}


/* How a signal came, by its si_code (a SIGCHLD about a child says the
 * child's status instead). Codes not here read only with --verbose. */
static const struct { const char *code, *words; } code_words[] = {
	{ "SI_USER", N_("sent by kill()") }, { "SI_TKILL", N_("sent by tgkill()") },
	{ "SI_QUEUE", N_("sent by sigqueue()") }, { "SI_KERNEL", N_("sent by the kernel") },
	{ "SI_TIMER", N_("a timer expired") }, { "SI_MESGQ", N_("a message arrived") },
	{ "SI_ASYNCIO", N_("asynchronous I/O is done") }, { "SI_SIGIO", N_("I/O is possible") },
	{ "POLL_IN", N_("input is ready") }, { "POLL_OUT", N_("output is possible") },
	{ "POLL_MSG", N_("a message is ready") }, { "POLL_ERR", N_("an I/O error") },
	{ "POLL_PRI", N_("urgent input is ready") }, { "POLL_HUP", N_("the other end hung up") },
};

const char *signal_code_words(const char *code)
{
	for (size_t i = 0; code && i < sizeof code_words / sizeof code_words[0]; i++)
		if (strcmp(code_words[i].code, code) == 0)
			return _(code_words[i].words);
	return NULL;
}
