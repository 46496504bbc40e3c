/*
 * options.c - parse the command line; every mistake gets one line that
 * says what to do, and exit status 2.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "common/lang.h"
#include "decode/call.h"
#include "lab/lab.h"
#include "output/output.h"
#include "core/ctrl_c.h"
#include "core/options.h"
#include "core/out_paths.h"

/* The message for one --cgroup too many says 4. */
_Static_assert(CGROUP_JOIN_MAX == 4, "options.c: say the new number in the --cgroup message");

#define VERSION "tracelab trace 1.0 (trace format 1)"

/* Each part translated whole, an option at a time (the translator keeps
 * the columns: 21 before the words). */
static const char *const usage[] = {
N_("usage: ./trace LAB [VARIANT] [options]   run a lab (./trace lab3, ./trace 3 -q, ./trace 10 thread)\n"
"       ./trace [options] -- CMD [ARG...] trace a command and all it creates\n"
"       ./trace [options] -p PID          attach to a running process; Ctrl-C detaches\n"
"       ./trace [options] --replay FILE   render a trace recorded with --json FILE\n"
"       ./trace --list [--json]           list the labs (as JSON Lines: what lab.conf says)\n"),
N_("\n"
"options:\n"),
N_("  -o FILE            write the timeline to FILE instead of stderr\n"),
N_("  -q                 no timeline, only the summary\n"),
N_("  --json FILE        also write every event as JSON Lines (\"-\" for stdout)\n"),
N_("  --perfetto FILE    also write the run as a Chrome trace-event JSON file, to\n"
"                     open in ui.perfetto.dev or chrome://tracing (\"-\" for stdout)\n"),
N_("  --html FILE        also write the picture of the run as a web page: a lane\n"
"                     per process and thread, its states over time, arrows for\n"
"                     fork, signals and reaps; one file that opens offline\n"),
N_("  --svg FILE         also write the same picture as an SVG image\n"),
N_("  --color WHEN       auto, always or never (NO_COLOR is honoured)\n"),
N_("  --verbose, -v      the expert's timeline: also the set-up before main (the\n"
"                     loader's and the constructors' calls), the writes to fd 1\n"
"                     and 2, the kernel's names and flags, to the microsecond\n"),
N_("  --legend           say what each column and mark of the timeline means\n"),
N_("  --numbered         start each timeline line with its event's index in the\n"
"                     JSON Lines (0 is the first line) and a tab, for tools\n"
"                     (one line per event: long lines are not wrapped)\n"),
N_("  --trace CLASSES    which calls stop: process, signal, wait, mux, io, sync, all\n"
"                     (comma-separated; default process,signal,wait,mux;\n"
"                     sync is futex: a thread that waits for a lock sleeps in\n"
"                     futex(FUTEX_WAIT), its holder's unlock wakes it)\n"),
N_("  --timeout SECONDS  kill the whole traced tree after SECONDS, and say so\n"),
N_("  --max-procs N      kill the whole tree if more than N processes are alive at once\n"),
N_("  --max-mem MB       limit each traced process to MB of address space\n"),
N_("  --user USER        run the program as USER (a name, UID or UID:GID, not root;\n"
"                     the tracer must be root): it cannot signal the tracer or\n"
"                     write what USER may not; with --max-procs N, RLIMIT_NPROC 4N\n"),
N_("  --cgroup DIR       run the program in the cgroup DIR (its folder under\n"
"                     /sys/fs/cgroup, made by the caller; up to 4 times, one\n"
"                     per cgroup v1 hierarchy: memory, pids, cpuacct): its\n"
"                     limits and counts hold for the whole tree; the tracer\n"
"                     itself stays outside\n"),
N_("  --hold sigchld     hold back each SIGCHLD that would run a handler until the\n"
"                     parent has no child left running and is quiet, then\n"
"                     deliver one for all: SIGCHLDs always coalesce (a race,\n"
"                     arranged; the timeline says so where it happens)\n"),
N_("  --hold sigchld-burst  the same, but let each held SIGCHLD go once the\n"
"                     process is quiet and no child has exited for a while,\n"
"                     even if some children still run\n"),
N_("  --lang LANG        the language of the timeline, summary and messages: en\n"
"                     or vi (default: from LANGUAGE, LC_ALL, LC_MESSAGES, LANG)\n"),
N_("  --time-spawns      say how much CPU time each fork() and pthread_create() took\n"
"                     the kernel (one stop more per fork)\n"),
N_("  --predict          a lab only: first answer its questions (how many zombies\n"
"                     will be left?), one number each; the summary then says\n"
"                     what the run did beside each answer\n"),
N_("  --help, --version\n"),
"\n",
};

/* After the legend's short form. */
static const char usage_end[] =
N_("\n"
"The exit status is the traced command's (128+N if a signal N killed it).\n"
"Ctrl-C gives the traced program its SIGINT, as without the tracer (its\n"
"handler runs); what still runs %g s later, or at a second Ctrl-C, is killed,\n"
"and the summary says so. With -p, Ctrl-C detaches and leaves it running.\n");

/* An error in the user's language: "trace: ..." on one line, exit 2.
 * (make pot takes bad's first argument as a message to translate.) */
__attribute__((format(printf, 1, 2))) static int bad(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("trace: ", stderr);
	vfprintf(stderr, _(fmt), ap);
	fputc('\n', stderr);
	va_end(ap);
	return 2;
}

/* The value of an option: "--json=F" or "--json F". */
static const char *value(int argc, char **argv, int *i, const char *name)
{
	const char *arg = argv[*i];
	size_t n = strlen(name);
	if (strncmp(arg, name, n) == 0 && arg[n] == '=')
		return arg + n + 1;
	if (*i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static int is_opt(const char *arg, const char *name)
{
	size_t n = strlen(name);
	return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || (arg[n] == '=' && name[1] == '-'));
}

/* --lang LANG, wherever it is before a command: every message after it,
 * --help and the errors too, is in that language. NULL: none given; ""
 * for a --lang without its word, which lang_init refuses. */
static const char *lang_asked(int argc, char **argv)
{
	const char *asked = NULL;
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (is_opt(argv[i], "--lang")) {
			asked = value(argc, argv, &i, "--lang");
			if (!asked)
				asked = "";
		}
	return asked;
}

/* The first argument other than --lang LANG and argv[at] (--version and
 * --legend take nothing else), or NULL. */
static const char *other_than(int argc, char **argv, int at)
{
	for (int i = 1; i < argc; i++) {
		if (is_opt(argv[i], "--lang")) {
			value(argc, argv, &i, "--lang");
			continue;
		}
		if (i != at)
			return argv[i];
	}
	return NULL;
}

int options_parse(struct options *o, int argc, char **argv)
{
	memset(o, 0, sizeof *o);
	o->color = -1;
	o->classes = CLS_DEFAULT;
	const char *lang = lang_asked(argc, argv);
	if (lang_init(lang, kit_root()) < 0) {
		lang_init(NULL, kit_root());
		return bad("--lang takes %s, not '%s'", lang_choices(), lang ? lang : "");
	}
	const char *beside_list = NULL;   /* the first option --list does not take */
	int i;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		char *end;
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (!beside_list && a[0] == '-' && a[1] &&
		    !is_opt(a, "--list") && !is_opt(a, "--json") && !is_opt(a, "--lang"))
			beside_list = a;
		if (a[0] != '-' || a[1] == '\0') {
			/* A lab and its variant may come before, between or after
			 * the options (./trace lab5 -q); a command ends them. */
			if (!o->lab && lab_is_name(a)) {
				o->lab = a;
				continue;
			}
			if (o->lab && !o->variant) {
				o->variant = a;
				continue;
			}
			if (o->lab)
				return bad("a lab takes at most a variant (got '%s'); to trace a program, "
					   "use ./trace -- CMD ARGS", a);
			break;
		}
		if (is_opt(a, "--help") || is_opt(a, "-h")) {
			for (size_t k = 0; k < sizeof usage / sizeof *usage; k++)
				fputs(_(usage[k]), stdout);
			text_legend(stdout, 0);
			printf(_(usage_end), CTRL_C_GRACE_MS / 1e3);
			return -1;
		} else if (is_opt(a, "--version")) {
			if (other_than(argc, argv, i))
				return bad("--version takes nothing else (got '%s')", other_than(argc, argv, i));
			puts(VERSION);
			return -1;
		} else if (is_opt(a, "--list")) {
			o->list = 1;
		} else if (is_opt(a, "-q") || is_opt(a, "--quiet")) {
			o->quiet = 1;
		} else if (is_opt(a, "--numbered")) {
			o->numbered = 1;
		} else if (is_opt(a, "--verbose") || is_opt(a, "-v")) {
			o->verbose = 1;
		} else if (is_opt(a, "--legend")) {
			if (other_than(argc, argv, i))
				return bad("--legend takes nothing else (got '%s')", other_than(argc, argv, i));
			text_legend(stdout, 1);
			return -1;
		} else if (is_opt(a, "-o")) {
			if (!(o->out_path = value(argc, argv, &i, "-o")))
				return bad("%s needs a file name: -o FILE", a);
		} else if (is_opt(a, "--json")) {
			o->json_path = value(argc, argv, &i, "--json");
			if (!o->json_path && o->list)
				o->json_path = "-";   /* ./trace --list --json */
			if (!o->json_path || (o->json_path[0] == '-' && o->json_path[1]))
				return bad("%s needs a file name: --json FILE (or - for stdout)", a);
		} else if (is_opt(a, "--perfetto")) {
			o->perfetto_path = value(argc, argv, &i, "--perfetto");
			if (!o->perfetto_path || (o->perfetto_path[0] == '-' && o->perfetto_path[1]))
				return bad("%s needs a file name: --perfetto FILE (or - for stdout)", a);
		} else if (is_opt(a, "--html") || is_opt(a, "--svg")) {
			int html = a[2] == 'h';
			v = value(argc, argv, &i, html ? "--html" : "--svg");
			if (!v || v[0] == '-')
				return bad("%s needs a file name: %s run.%s", a, html ? "--html" : "--svg", html ? "html" : "svg");
			if (html)
				o->html_path = v;
			else
				o->svg_path = v;
		} else if (is_opt(a, "--replay")) {
			if (!(o->replay = value(argc, argv, &i, "--replay")))
				return bad("%s needs a file: --replay run.jsonl (written by ./trace --json run.jsonl)", a);
		} else if (is_opt(a, "--color") || is_opt(a, "--colour")) {
			v = value(argc, argv, &i, a[7] == 'u' ? "--colour" : "--color");
			if (!v || (strcmp(v, "auto") && strcmp(v, "always") && strcmp(v, "never")))
				return bad("--color takes auto, always or never, not '%s'", v ? v : "");
			o->color = strcmp(v, "always") == 0 ? 1 : strcmp(v, "never") == 0 ? 0 : -1;
		} else if (is_opt(a, "--trace") || is_opt(a, "-e")) {
			char word[32];
			v = value(argc, argv, &i, "--trace");
			if (!v)
				return bad("%s needs classes: --trace process,signal,wait,mux,io,sync or all", a);
			o->classes = cls_parse(v, word, sizeof word);
			if (o->classes <= 0)
				return bad("unknown class '%s': use process, signal, wait, mux, io, sync or all", word);
			o->classes_set = 1;
		} else if (is_opt(a, "--timeout")) {
			v = value(argc, argv, &i, "--timeout");
			long s = v ? strtol(v, &end, 10) : 0;
			if (!v || *end || s <= 0 || s > 86400)
				return bad("--timeout takes a number of seconds from 1 to 86400, not '%s'", v ? v : "");
			o->timeout_s = (int)s;
		} else if (is_opt(a, "--max-procs") || is_opt(a, "--max-mem")) {
			int procs = a[6] == 'p';
			v = value(argc, argv, &i, procs ? "--max-procs" : "--max-mem");
			long n = v ? strtol(v, &end, 10) : 0;
			if (!v || *end || n <= 0 || n > 1000000)
				return procs ? bad("--max-procs takes a number of processes, not '%s'", v ? v : "")
					     : bad("--max-mem takes a number of megabytes, not '%s'", v ? v : "");
			if (procs)
				o->max_procs = (int)n;
			else
				o->max_mem_mb = (int)n;
		} else if (is_opt(a, "--user")) {
			v = value(argc, argv, &i, "--user");
			if (!v || run_as_parse(v, &o->run_as) != 0)
				return bad("--user takes a user name, UID or UID:GID other than root, not '%s'", v ? v : "");
			if (geteuid() != 0)
				return bad("--user needs the tracer to run as root (it switches the program to that user)");
		} else if (is_opt(a, "--cgroup")) {
			v = value(argc, argv, &i, "--cgroup");
			int added = v ? cgroups_add(&o->cgroups, v) : -2;
			if (added == -1)
				return bad("--cgroup may be given at most 4 times (got '%s' too)", v);
			if (added == -2)
				return bad("--cgroup takes a cgroup's folder with a cgroup.procs this user may write, not '%s'",
					   v ? v : "");
		} else if (is_opt(a, "--hold")) {
			v = value(argc, argv, &i, "--hold");
			o->hold_sigchld = v ? hold_mode_parse(v) : -1;
			if (o->hold_sigchld <= HOLD_NONE)
				return bad("--hold takes sigchld or sigchld-burst, not '%s'", v ? v : "");
		} else if (is_opt(a, "--lang")) {
			value(argc, argv, &i, "--lang");   /* taken first (lang_asked) */
		} else if (is_opt(a, "--time-spawns")) {
			o->time_spawns = 1;
		} else if (is_opt(a, "--predict")) {
			o->predict = 1;
		} else if (is_opt(a, "-p") || is_opt(a, "--attach")) {
			v = value(argc, argv, &i, "--attach");
			long pid = v ? strtol(v, &end, 10) : 0;
			if (!v || *end || pid <= 0)
				return bad("-p takes a process id (a number), not '%s'", v ? v : "");
			o->attach = (pid_t)pid;
		} else {
			return bad("unknown option '%s': see ./trace --help", a);
		}
	}
	int rest = argc - i;
	const char *target = o->lab ? o->lab : rest > 0 ? argv[i] : NULL;
	if (o->lab && rest > 0)
		return bad("give either a lab or a command, not both ('%s'): ./trace -- CMD ARGS traces a program",
			   argv[i]);
	if (o->list && target)
		return bad("--list takes no lab or command (got '%s'): ./trace --list [--json [FILE]]", target);
	if (o->list && beside_list)
		return bad("--list takes only --json and --lang beside it (got '%s'): ./trace --list [--json [FILE]]",
			   beside_list);
	if (o->list)
		return 0;
	if (o->json_path && o->perfetto_path && strcmp(o->json_path, "-") == 0 &&
	    strcmp(o->perfetto_path, "-") == 0)
		return bad("--json - and --perfetto - cannot both write to stdout: give one of them a file name");
	struct out_clash clash;
	if (out_paths_clash(o, &clash)) {
		if (strcmp(clash.first, "--replay") == 0)
			return bad("%s %s would overwrite the file that --replay reads: write it to another file",
				   clash.second, clash.path);
		return bad("%s and %s both name %s: give each output its own file", clash.first, clash.second,
			   clash.path);
	}
	if (o->replay) {
		if (target || o->attach)
			return bad("--replay renders a recorded trace: give no command, lab or -p with it (%s)",
				   target ? target : "-p");
		if (o->classes_set || o->timeout_s || o->hold_sigchld || o->max_procs || o->max_mem_mb ||
		    o->run_as.set || o->cgroups.n || o->predict || o->time_spawns)
			return bad("--replay takes only -o -q --json --perfetto --html --svg --color --numbered -v --lang");
		return 0;
	}
	if (o->attach && target)
		return bad("give either -p PID or a command, not both (%s)", target);
	if (o->attach && o->run_as.set)
		return bad("--user is for a program the tracer starts, not with -p");
	if (o->attach && o->cgroups.n)
		return bad("--cgroup is for a program the tracer starts, not with -p");
	if (o->predict && !o->lab)
		return bad("--predict asks a lab's questions: give a lab (./trace --predict lab6)");
	if (!o->attach && !target)
		return bad("nothing to trace: give a lab (./trace lab3), a command (./trace -- ./prog) or -p PID");
	if (rest > 0)
		o->argv = argv + i;
	return 0;
}
