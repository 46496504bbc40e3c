/*
 * text_events.c - what each event did, in the words of the course: the
 * part of a timeline line after the columns (text_layout.c lays them out).
 * The beginner's view keeps the sentence and leaves the kernel's own
 * tokens to --verbose: the kernel's name for a call ([wait4]), the flags
 * a clone was given, a signal's si_code (CLD_EXITED, SI_USER).
 */
#include <stdio.h>
#include <string.h>
#include "common/names.h"
#include "output/text_int.h"
#include "output/text_value.h"
#include "output/text_words.h"

/* A call that took this long or more, without sleeping, says so. */
#define SHOW_DURATION_NS NS_PER_MS

/* Why a call never returned ("unfinished"), in words. */
static const struct { const char *why, *words; } unfinished_words[] = {
	{ "killed", N_("when it was killed") }, { "exited", N_("when its process exited") },
	{ "exec", N_("when another thread called exec") }, { "detached", N_("when the tracer let go") },
	{ "ended", N_("when the trace ended") },
};

static void text_syscall(struct text_sink *t, const struct event *ev)
{
	FILE *f = t->f;
	const struct fields *fs = &ev->f;
	const char *name = fs_str_or(fs, "name", "?"), *call = fs_str_or(fs, "call", name);
	const char *call_or = fs_gets(fs, "call_or");   /* "wait() or waitpid(...)": no hook said which */
	const struct fields *out = fs_getobj(fs, "out");
	const struct field *ret = fs_get(fs, "ret");
	const char *err = fs_gets(fs, "err"), *intr = fs_gets(fs, "interrupted");
	int64_t dur = fs_geti(fs, "dur_ns", 0);
	const struct field *slept = fs_get(fs, "slept");
	int did_sleep = slept && slept->kind == F_BOOL && slept->i;
	const char *unfinished = fs_gets(fs, "unfinished");

	char took[DURATION_TEXT_MAX];
	if (call_or)
		fprintf(f, _("%s() or %s("), call, call_or);
	else
		fprintf(f, "%s(", call);
	put_call_args(f, name, fs_getobj(fs, "args"), ", ", 0, t->verbose);
	fputs(")", f);
	if (unfinished) {
		const char *words = unfinished;
		for (size_t i = 0; i < sizeof unfinished_words / sizeof unfinished_words[0]; i++)
			if (strcmp(unfinished_words[i].why, unfinished) == 0)
				words = _(unfinished_words[i].words);
		fprintf(f, "  %s", on(t, C_BAD));
		fprintf(f, did_sleep ? _("<still blocked after %s %s>") : _("<still in it after %s %s>"),
			duration_text(took, sizeof took, (uint64_t)dur), words);
		fputs(on(t, C_OFF), f);
	} else if (intr) {
		fprintf(f, " %s", on(t, C_SIGNAL));
		fprintf(f, strcmp(intr, "EINTR") == 0 ? _("<- interrupted by %s: returns -1 EINTR to the program")
						      : _("<- interrupted by %s: the kernel restarts it"),
			fs_str_or(fs, "signal", "?"));
		fputs(on(t, C_OFF), f);
	} else if (ret && ret->kind == F_INT) {
		fprintf(f, " = %lld", (long long)ret->i);
		if (err)
			fprintf(f, " %s%s%s", on(t, C_BAD), err, on(t, C_OFF));
		if (out && out->n) {
			fputs(" -> ", f);
			put_call_args(f, NULL, out, " ", 1, t->verbose);   /* a wait status in words */
		}
	}
	if (!unfinished && (did_sleep || dur >= (int64_t)SHOW_DURATION_NS)) {
		fprintf(f, "  %s", on(t, C_DIM));
		fprintf(f, did_sleep ? _("<blocked %s>") : _("<took %s>"), duration_text(took, sizeof took, (uint64_t)dur));
		fputs(on(t, C_OFF), f);
	}
	if (t->verbose && strcmp(name, call) != 0)
		fprintf(f, "  %s[%s]%s", on(t, C_DIM), name, on(t, C_OFF));
}

/* How a child ended, as a SIGCHLD says: "child exited 0"; with --verbose,
 * in the kernel's words for a wait status (WIFSIGNALED: "child signaled
 * SIGSEGV", as status= writes it), which the user's language says too. */
static const struct child_words { const char *exited, *killed, *core, *stopped, *continued; } child_status_words[2] = {
	[0] = { N_("child exited %lld"), N_("child killed by %s"), N_("child killed by %s, core dumped"),
		N_("child stopped by %s"), N_("child continued") },
	/* TRANSLATORS: --verbose, after CLD_KILLED: the kernel's words for a wait
	   status (WIFSIGNALED), said as "status=signaled %s" is */
	[1] = { N_("child exited %lld"), N_("child signaled %s"), N_("child signaled %s core"),
		N_("child stopped %s"), N_("child continued") },
};

static void put_child_status(FILE *f, const struct fields *st, int verbose)
{
	const char *sig = st ? fs_gets(st, "signaled") : NULL, *stop = st ? fs_gets(st, "stopped") : NULL;
	const struct child_words *w = &child_status_words[verbose != 0];
	if (st && fs_get(st, "exited"))
		fprintf(f, _(w->exited), (long long)fs_geti(st, "exited", 0));
	else if (sig)
		fprintf(f, fs_geti(st, "core", 0) ? _(w->core) : _(w->killed), sig);
	else if (stop)
		fprintf(f, _(w->stopped), stop);
	else
		fputs(_(w->continued), f);
}

static void text_signal(struct text_sink *t, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	const struct field *st = fs_get(fs, "child_status");
	int64_t sender = fs_geti(fs, "sender", 0);
	fprintf(t->f, "%s<- %s%s", on(t, C_SIGNAL), fs_str_or(fs, "sig", "?"), on(t, C_OFF));
	if (sender > 0) {
		putc(' ', t->f);
		fprintf(t->f, _("from %lld"), (long long)sender);
	}
	const char *code = fs_str_or(fs, "code", "?"), *words = signal_code_words(code);
	if (t->verbose) {
		fprintf(t->f, " (%s", code);
		if (st && st->kind == F_OBJ) {
			fputs(": ", t->f);
			put_child_status(t->f, st->sub, 1);
		}
		fputs(")", t->f);
	} else if (st) {   /* the child's status says how it came */
		fputs(" (", t->f);
		put_child_status(t->f, st->kind == F_OBJ ? st->sub : NULL, 0);
		fputs(")", t->f);
	} else if (words) {
		fprintf(t->f, " (%s)", words);
	}
	fprintf(t->f, " %s", signal_action_words(fs));
}

static void text_exit(struct text_sink *t, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	const char *sig = fs_gets(fs, "signal");
	int whole = (int)fs_geti(fs, "process", 0);
	int64_t exec_by = fs_geti(fs, "exec_by", 0);
	int core = fs_geti(fs, "core", 0) != 0;
	if (exec_by) {
		fprintf(t->f, _("thread ended: thread %lld called exec, which ends every other thread"),
			(long long)exec_by);
	} else if (sig) {
		fputs(on(t, C_BAD), t->f);
		fprintf(t->f, whole ? (core ? _("killed by %s (core dumped)") : _("killed by %s"))
				    : (core ? _("thread killed by %s (core dumped)") : _("thread killed by %s")), sig);
		fputs(on(t, C_OFF), t->f);
	} else {
		fprintf(t->f, whole ? _("exited with code %lld") : _("thread exited with code %lld"),
			(long long)fs_geti(fs, "code", 0));
	}
}

static void text_reap(struct text_sink *t, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	const char *how = fs_str_or(fs, "how", "?");
	int64_t child = fs_geti(fs, "child", 0);
	char zombie[DURATION_TEXT_MAX];
	duration_text(zombie, sizeof zombie, (uint64_t)fs_geti(fs, "zombie_ns", 0));
	if (strcmp(how, "wait") == 0) {
		/* TRANSLATORS: the first and third %s colour the words between them */
		fprintf(t->f, _("%sreaped %lld%s, a zombie for %s"), on(t, C_GOOD), (long long)child, on(t, C_OFF),
			zombie);
	} else if (strcmp(how, "auto") == 0) {
		fprintf(t->f, _("%s%lld reaped by the kernel at once%s: its parent ignores SIGCHLD (or set "
				"SA_NOCLDWAIT), so no zombie"), on(t, C_GOOD), (long long)child, on(t, C_OFF));
	} else if (fs_geti(fs, "leaked", 0)) {
		fprintf(t->f, _("%sLEAKED zombie %lld%s: its parent ended without reaping it; the tracer reaps "
				"it now, after %s"), on(t, C_BAD), (long long)child, on(t, C_OFF), zombie);
	} else {
		fprintf(t->f, _("orphan %lld reaped by the tracer (it outlived its parent; init would reap it)"),
			(long long)child);
	}
}

/* What the lab runner did, in words. */
static void text_lab(FILE *f, const struct fields *fs)
{
	const char *what = fs_str_or(fs, "what", "?");
	if (strcmp(what, "ready") == 0)
		fprintf(f, _("the server is ready on port %lld"), (long long)fs_geti(fs, "port", 0));
	else if (strcmp(what, "load-start") == 0)
		fprintf(f, _("the load generator starts (pid %lld, not traced)"), (long long)fs_geti(fs, "loadgen_pid", 0));
	else if (strcmp(what, "load-done") == 0)
		fprintf(f, _("the load generator is done (exit %lld)"), (long long)fs_geti(fs, "exit", 0));
	else if (strcmp(what, "stop") == 0)
		fprintf(f, _("the tracer sends %s to the server: the lab is over"), sig_name((int)fs_geti(fs, "sig", 0)));
	else
		put_args(f, fs, ", ", 0);
}

static void text_spawn(struct text_sink *t, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	const struct fields *flags = fs_getlist(fs, "flags");
	const char *call = fs_str_or(fs, "call", "?");
	const char *untraced = fs_gets(fs, "untraced");
	if (untraced && strcmp(untraced, "escaped") == 0) {
		fprintf(t->f, _("%s%lld escaped the trace%s (made with CLONE_UNTRACED), found only now: "
				"what it did until now was not seen"), on(t, C_BAD), (long long)fs_geti(fs, "child", 0),
			on(t, C_OFF));
		return;
	}
	if (strcmp(fs_str_or(fs, "kind", "?"), "thread") == 0 && strcmp(call, "pthread_create") == 0)
		/* it returns 0 and writes the new thread's id through its first argument */
		fprintf(t->f, _("%s(&thread) = 0 -> new thread %lld"), call, (long long)fs_geti(fs, "child", 0));
	else if (strcmp(fs_str_or(fs, "kind", "?"), "thread") == 0)
		fprintf(t->f, _("%s() = %lld (new thread)"), call, (long long)fs_geti(fs, "child", 0));
	else
		fprintf(t->f, _("%s() = %lld (new process)"), call, (long long)fs_geti(fs, "child", 0));
	if (fs_get(fs, "took_ns")) {   /* --time-spawns: the kernel's work, in CPU time */
		char took[DURATION_TEXT_MAX];
		fprintf(t->f, "  %s", on(t, C_DIM));
		fprintf(t->f, _("<took %s of CPU>"), duration_text(took, sizeof took, (uint64_t)fs_geti(fs, "took_ns", 0)));
		fputs(on(t, C_OFF), t->f);
	}
	if (t->verbose) {
		fprintf(t->f, "  %s[%s ", on(t, C_DIM), fs_str_or(fs, "syscall", "?"));
		if (flags && flags->n)
			put_all_names(t->f, flags);   /* what the kernel was asked, whole */
		else
			putc('0', t->f);
		fprintf(t->f, "]%s", on(t, C_OFF));
	}
	if (untraced)
		fprintf(t->f, "  %s", _("(CLONE_UNTRACED asks the kernel to hide the child from the tracer; the tracer "
					 "took it out, and traces it)"));
}

static void text_exec(struct text_sink *t, const struct event *ev)
{
	const struct fields *argv = fs_getlist(&ev->f, "argv");
	fprintf(t->f, "%sexec%s ", on(t, C_NOTE), on(t, C_OFF));
	for (int i = 0; argv && i < argv->n; i++) {
		fputs(i ? " " : "", t->f);
		put_value(t->f, &argv->f[i]);
	}
	if (fs_get(&ev->f, "old_tid"))
		fprintf(t->f, _("  (by thread %lld, which takes over pid %d; the other threads are gone)"),
			(long long)fs_geti(&ev->f, "old_tid", 0), ev->pid);
}

static void text_state(struct text_sink *t, const struct event *ev)
{
	const char *to = fs_str_or(&ev->f, "to", "?");
	if (strcmp(to, "zombie") == 0)
		fprintf(t->f, _("%sis a zombie now%s (<defunct> in ps) until its parent reaps it"), on(t, C_BAD),
			on(t, C_OFF));
	else if (strcmp(to, "stopped") == 0)
		fprintf(t->f, "%s%s%s", on(t, C_SIGNAL), _("stopped"), on(t, C_OFF));
	else
		fprintf(t->f, "%s%s%s", on(t, C_SIGNAL), _("continued"), on(t, C_OFF));
}

/* What a joined thread returned: a small number as such (what labs
 * return), anything else as the address it most likely is. */
#define JOIN_VALUE_SMALL 0x100000000LL

static void text_libcall(struct text_sink *t, const struct event *ev)
{
	fprintf(t->f, "%s(", fs_str_or(&ev->f, "name", "?"));
	put_args(t->f, fs_getobj(&ev->f, "args"), ", ", 0);
	fprintf(t->f, ") = %lld", (long long)fs_geti(&ev->f, "ret", 0));
	if (fs_get(&ev->f, "canceled")) {
		fprintf(t->f, " %s", _("-> it was canceled (PTHREAD_CANCELED)"));
	} else if (fs_get(&ev->f, "returned")) {
		long long v = (long long)fs_geti(&ev->f, "returned", 0);
		if (v > -JOIN_VALUE_SMALL && v < JOIN_VALUE_SMALL)
			fprintf(t->f, _(" -> it returned %lld"), v);
		else
			fprintf(t->f, _(" -> it returned %#llx"), (unsigned long long)v);
	}
	fprintf(t->f, "  %s[%s]%s", on(t, C_DIM), _("library call"), on(t, C_OFF));
}

static void text_note(struct text_sink *t, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	if (strcmp(fs_str_or(fs, "what", "?"), "foreign_calls") == 0)
		fprintf(t->f, _("%smakes %s system calls (the first: number %lld): they run, but this trace "
				"shows x86-64 calls only%s"), on(t, C_SIGNAL), fs_str_or(fs, "arch", "?"),
			(long long)fs_geti(fs, "nr", 0), on(t, C_OFF));
	else
		fprintf(t->f, _("note: %s"), fs_str_or(fs, "what", "?"));
}

/* --hold sigchld: where the tracer arranged the race, said where it
 * happens, so that nobody takes the merged signal for the kernel's delay. */
static void text_hold(struct text_sink *t, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	const char *what = fs_str_or(fs, "what", "?"), *sig = fs_str_or(fs, "sig", "?");
	long long children = fs_geti(fs, "children", 0), exits = fs_geti(fs, "exits", 0);
	fputs(on(t, C_NOTE), t->f);
	char held[DURATION_TEXT_MAX];
	if (strcmp(what, "start") == 0 && children > 0)
		fprintf(t->f, P_("the tracer holds this %s back until its %lld running child and any new ones "
				 "have exited, to make the race certain",
				 "the tracer holds this %s back until its %lld running children and any new ones "
				 "have exited, to make the race certain", (unsigned long)children), sig, children);
	else if (strcmp(what, "start") == 0)
		fprintf(t->f, _("the tracer holds this %s back while the process may still make children, "
				"to make the race certain"), sig);
	else if (strcmp(what, "release") == 0)
		fprintf(t->f, P_("the tracer lets the held %s go after %s: this one signal stands for %lld child's exit",
				 "the tracer lets the held %s go after %s: this one signal stands for %lld children's exits",
				 (unsigned long)exits),
			sig, duration_text(held, sizeof held, (uint64_t)fs_geti(fs, "held_ns", 0)), exits);
	else
		fprintf(t->f, _("the held %s is never delivered: the process ended first"), sig);
	fprintf(t->f, " (--hold sigchld)%s", on(t, C_OFF));
}


/* The calls that return twice, 0 in the child (posix_spawn's child and
 * clone(fn)'s do not return: they run exec or fn). */
static const char *const returns_twice[] = { "fork", "vfork" };

int text_child_side(struct text_sink *t, const struct event *ev)
{
	const struct fields *fs = &ev->f;
	const char *call = fs_str_or(fs, "call", "?");
	pid_t child = (pid_t)fs_geti(fs, "child", 0);
	int twice = 0;
	for (size_t i = 0; i < sizeof returns_twice / sizeof returns_twice[0]; i++)
		twice |= strcmp(returns_twice[i], call) == 0;
	if (ev->type != EV_SPAWN || !twice || strcmp(fs_str_or(fs, "kind", "?"), "process") != 0 || child <= 0 ||
	    fs_gets(fs, "untraced") || strcmp(fs_str_or(fs, "syscall", "?"), "unreported") == 0)
		return 0;
	fprintf(t->f, _("%s() = 0  (in the child: this is the new process)"), call);
	return 1;
}

void text_body(struct text_sink *t, const struct event *ev)
{
	switch (ev->type) {
	case EV_SYSCALL: text_syscall(t, ev); break;
	case EV_SIGNAL: text_signal(t, ev); break;
	case EV_EXIT: text_exit(t, ev); break;
	case EV_REAP: text_reap(t, ev); break;
	case EV_SPAWN: text_spawn(t, ev); break;
	case EV_EXEC: text_exec(t, ev); break;
	case EV_STATE: text_state(t, ev); break;
	case EV_LIBCALL: text_libcall(t, ev); break;
	case EV_NOTE: text_note(t, ev); break;
	case EV_HOLD: text_hold(t, ev); break;
	case EV_LAB:
		fprintf(t->f, "%s== ", on(t, C_NOTE));
		text_lab(t->f, &ev->f);
		fputs(on(t, C_OFF), t->f);
		break;
	default:
		break;
	}
}
