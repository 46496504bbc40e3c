/*
 * text_legend.c - how to read the timeline: what each column and mark
 * means (./trace --legend), a short form for --help, and the line at the
 * top of a lab's timeline that points to it. Kept beside the renderer
 * whose lines it explains; tests/tracer/test_view.py finds every mark it
 * names in real runs.
 */
#include <stdio.h>
#include "output/output.h"
#include "output/text_int.h"

/* Its parts, each translated whole (a translator keeps the columns). */
static const char *const legend[] = {
N_("How to read the timeline of ./trace\n"
"\n"
"    0.058 9316        lab07    fork() = 9322 (new process)\n"
"    0.058   9322      lab07    fork() = 0  (in the child: this is the new process)\n"
"    0.107 9316        lab07    | waitpid(pid=-1 (any child), options=WNOHANG) = 9322\n"
"                               | -> status=exited 0\n"),
N_("The columns\n"
"  0.058          seconds since the trace started (--verbose: to the microsecond)\n"
"  9316           who: the process id (pid); a thread shows as pid/tid (its process/its own id)\n"
"  (indent)       two spaces per level of the process tree: a child sits under its parent\n"
"  lab07          the program that process runs (its name, cut to 8 letters)\n"
"  [tracer]       in the program column: a line the tracer says itself (a zombie left behind,\n"
"                 a SIGCHLD it held back), not a program's\n"
"  (the rest)     what happened, in words; a long line goes on under its words\n"),
N_("The marks\n"
"  | waitpid(..)  a bar for each signal handler the thread is running, from the signal to its end\n"
"  f(a=1) = 3     a call, its arguments as C writes them, and what it returned\n"
"  = -1 EINTR     the call failed, and the error (errno) it returned\n"
"  -> status=..   after a result: what the call wrote back into the program's memory\n"
"  <blocked 2 ms> the call slept that long: it waited (for a client, a child, data)\n"
"  <took 2 ms>    the call did not sleep, and still took that long\n"
"  <still ...>    the call never returned, and why (killed, exited, the trace ended)\n"
"  <- SIGCHLD     a signal arrives: from whom, why, and what it does (-> runs the handler)\n"
"  == the server  the lab runner's lines: what it does to drive the lab (load, stop)\n"
"  the tracer holds this SIGCHLD back ...   a race the tracer arranges (--hold sigchld)\n"),
N_("Shown only with --verbose\n"
"  - the set-up before main: the loader's and the constructors' calls, before the program's\n"
"    own code starts (the dynamic loader reads its libraries, then their constructors run)\n"
"  - a write() to fd 1 or 2 that went through at once: the program's own text, which is\n"
"    printed as it is, among the timeline's lines (one that failed or blocked keeps its line,\n"
"    and so does every write of a program ./trace -p attached to: it prints elsewhere)\n"
"  - the kernel's names: a call's ([wait4], [clone ...] with the flags it was given), a\n"
"    signal's si_code (CLD_EXITED, SI_USER), flags the C library adds (SA_RESTORER), a\n"
"    handler's address\n"),
};

static const char legend_short[] =
N_("timeline: seconds since the start, who (pid, or pid/tid for a thread; indented by depth in\n"
"  the process tree), the program, what happened. \"| \" runs in a signal handler, \"<- \" a\n"
"  signal arrives, \"== \" the lab runner's lines, <blocked ...> the call slept. By default\n"
"  the set-up before main (the loader's and the constructors' calls), writes to fd 1 and 2\n"
"  (the program's text) and the kernel's names are left out: --verbose shows them.\n"
"  ./trace --legend says it all.\n");

void text_legend(FILE *f, int whole)
{
	if (!whole) {
		fputs(_(legend_short), f);
		return;
	}
	for (size_t i = 0; i < sizeof legend / sizeof *legend; i++)
		fprintf(f, "%s%s", i ? "\n" : "", _(legend[i]));
}

void text_legend_pointer(FILE *f, int verbose)
{
	fprintf(f, "%s\n", verbose ? _("(./trace --legend: how to read this)")
				  : _("(./trace --legend: how to read this; --verbose: every call, in the kernel's names)"));
}
