/*
 * main.c - ./trace: read the options, set up the renderers (and the lab
 * runner), start or attach, run the loop, and leave with the traced
 * command's exit status. With --replay, render a recorded trace instead.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "common/lang.h"
#include "core/launch.h"
#include "core/options.h"
#include "core/predict.h"
#include "core/stops.h"
#include "decode/call.h"
#include "event/replay.h"
#include "lab/lab.h"
#include "model/diagnose.h"
#include "output/output.h"

#define HOOK_PATH "kit/hook/libtlhook.so"

/* When --timeout runs out (CLOCK_MONOTONIC seconds; 0: never). */
static volatile time_t timeout_deadline;
/* After a stop signal, SIGALRM comes again this often until the end. */
#define WAKE_AGAIN_S 1

static time_t monotonic_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* --timeout; Ctrl-C (SI_KERNEL when a terminal sent it), SIGTERM, SIGHUP.
 * A signal that lands between the loop's check and its waitpid would be
 * seen only at the next stop, and a program may never stop again: so
 * each one sets an alarm that wakes the loop again, every second, until
 * the trace is over. SIGALRM means "timed out" only past the deadline. */
static void on_stop_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	alarm(WAKE_AGAIN_S);
	if (sig == SIGALRM) {
		if (timeout_deadline && monotonic_s() >= timeout_deadline)
			loop_timeout = 1;
		return;
	}
	if (!loop_interrupt) {
		ctrl_c_from_terminal = si && si->si_code == SI_KERNEL;
		loop_interrupt = sig;
	}
	ctrl_c_count++;
}

static void catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_stop_signal;
	sa.sa_flags = SA_SIGINFO;   /* no SA_RESTART: waitpid must return */
	sigfillset(&sa.sa_mask);    /* one at a time */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int use_color(int want, FILE *f)
{
	if (want >= 0)
		return want;
	const char *no = getenv("NO_COLOR");
	return !(no && *no) && isatty(fileno(f));
}

static FILE *open_out(const char *path, FILE *dflt, int dash_is_stdout)
{
	if (!path)
		return dflt;
	if (dash_is_stdout && strcmp(path, "-") == 0)
		return stdout;
	FILE *f = fopen(path, "we");
	if (!f)
		fprintf(stderr, _("trace: cannot write %s: %s: check the folder exists and is writable\n"), path, strerror(errno));
	return f;
}

/* Where the renderers write, and whether a write failed. */
struct outputs {
	FILE *text;          /* the timeline and summary: -o FILE, else stderr */
	FILE *json;          /* --json FILE ("-": stdout), or NULL */
	int json_failed;     /* the errno of a failed JSON write, or 0 */
	FILE *perfetto;      /* --perfetto FILE ("-": stdout), or NULL */
	int perfetto_failed; /* the errno of a failure to make it (no memory), or 0 */
	FILE *svg, *html;    /* --svg FILE, --html FILE, or NULL */
	int picture_failed;  /* ENOMEM when the picture could not be started, or 0 */
};

/* Close a picture's file: 0, or the errno of a write that failed (or
 * failed, when the picture was never made). */
static int close_picture(FILE *f, int failed)
{
	if (!f)
		return 0;
	int err = failed ? failed : fflush(f) != 0 || ferror(f) ? (errno ? errno : EIO) : 0;
	if (fclose(f) != 0 && !err)
		err = errno;
	return err;
}

/* A file that could not be written, in one line of at most 100 columns
 * (with a short name): what to do about it. */
static void say_write_failed(const char *path, int err, const char *option)
{
	if (err == ENOMEM)   /* the file was never made */
		fprintf(stderr, _("trace: cannot write %s: %s: free some memory, or leave out %s\n"), path,
			strerror(err), option);
	else
		fprintf(stderr, _("trace: cannot write %s: %s: free some space, or use another file\n"), path,
			strerror(err));
}

/* Close the files; a write that failed (a full disk, /dev/full) is said
 * in one line. 0, or 2 when one did. */
static int close_outputs(const struct options *o, struct outputs *out)
{
	int text_err = 0, json_err = out->json_failed, pf_err = out->perfetto_failed;
	if (out->text && (fflush(out->text) != 0 || ferror(out->text)))
		text_err = errno ? errno : EIO;
	if (out->perfetto && !pf_err && (fflush(out->perfetto) != 0 || ferror(out->perfetto)))
		pf_err = errno ? errno : EIO;
	if (out->perfetto && out->perfetto != stdout && fclose(out->perfetto) != 0 && !pf_err)
		pf_err = errno;
	if (out->text && out->text != stderr && fclose(out->text) != 0 && !text_err)
		text_err = errno;
	if (out->json && out->json != stdout && fclose(out->json) != 0 && !json_err)
		json_err = errno;
	int svg_err = close_picture(out->svg, out->picture_failed);
	int html_err = close_picture(out->html, out->picture_failed);
	const struct { int err; const char *path, *option; } failed[] = {
		{ text_err, o->out_path ? o->out_path : _("the timeline"), "-o" },
		{ json_err, o->json_path, "--json" }, { pf_err, o->perfetto_path, "--perfetto" },
		{ svg_err, o->svg_path, "--svg" }, { html_err, o->html_path, "--html" },
	};
	int rc = 0;
	for (size_t i = 0; i < sizeof failed / sizeof *failed; i++)
		if (failed[i].err) {
			say_write_failed(failed[i].path, failed[i].err, failed[i].option);
			rc = 2;
		}
	return rc;
}

/* The timeline (-o, else stderr), the JSON Lines (--json, "-": stdout)
 * and the Perfetto file (--perfetto, "-": stdout). */
static int open_outputs(const struct options *o, struct outputs *out)
{
	memset(out, 0, sizeof *out);
	out->text = open_out(o->out_path, stderr, 0);
	out->json = out->text ? open_out(o->json_path, NULL, 1) : NULL;
	int ok = out->text && (!o->json_path || out->json);
	out->perfetto = ok ? open_out(o->perfetto_path, NULL, 1) : NULL;
	ok = ok && (!o->perfetto_path || out->perfetto);
	out->svg = ok ? open_out(o->svg_path, NULL, 0) : NULL;
	ok = ok && (!o->svg_path || out->svg);
	out->html = ok ? open_out(o->html_path, NULL, 0) : NULL;
	if (ok && (!o->html_path || out->html))
		return 0;
	close_outputs(o, out);
	return -1;
}

/* The renderers: the timeline (unless -q), the summary, JSON Lines, the
 * Perfetto file, the picture. */
static void add_renderers(struct stream *st, const struct options *o, struct outputs *out)
{
	int color = use_color(o->color, out->text);
	if (!o->quiet)
		stream_add(st, text_sink_new(out->text, color, o->numbered, o->verbose));
	stream_add(st, summary_sink_new(out->text, color));
	if (out->json)
		stream_add(st, json_sink_new(out->json, &out->json_failed));
	if (out->perfetto) {
		struct sink *pf = perfetto_sink_new(out->perfetto, &out->perfetto_failed);
		if (!pf)
			out->perfetto_failed = ENOMEM;
		stream_add(st, pf);
	}
	if (out->svg || out->html) {
		struct sink *pic = picture_sink_new(out->svg, out->html);
		if (!pic)   /* an empty file must not pass for a picture */
			out->picture_failed = ENOMEM;
		stream_add(st, pic);
	}
}

/* The last event: the summary of the whole run. */
static void emit_summary(struct tracer *tr, const struct options *o, int exit_status,
			 struct sink *diagnoses)
{
	struct event *e = tracer_event(tr, EV_SUMMARY, tracer_now(tr), tr->root, tr->root);
	fs_int(&e->f, "exit", exit_status);
	model_summarize(tr->m, &e->f, (tr->classes & CLS_HOOK) != 0);
	diagnose_summarize(diagnoses, &e->f, e->t);
	fs_bool(&e->f, "timed_out", tr->timed_out);
	if (tr->timed_out)
		fs_int(&e->f, "timeout_s", o->timeout_s);
	if (tr->limit) {
		fs_str(&e->f, "limit", tr->limit);
		fs_int(&e->f, "max_procs", o->max_procs);
	} else {
		fs_null(&e->f, "limit");
	}
	ctrl_c_summary(tr, &e->f);
	fs_int(&e->f, "lost", tr->lost);
	fs_int(&e->f, "untraceable_killed", tr->untraceable_killed);
	tracer_emit(tr);
}

static int replay(const struct options *o)
{
	struct outputs files;
	if (open_outputs(o, &files) < 0)
		return 2;
	struct stream out = { NULL };
	add_renderers(&out, o, &files);
	int rc = replay_file(o->replay, &out);
	stream_finish(&out);
	stream_free(&out);
	int wrc = close_outputs(o, &files);
	return wrc ? wrc : rc;
}

int main(int argc, char **argv)
{
	struct options o;
	int rc = options_parse(&o, argc, argv);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (sc_init() < 0) {
		fprintf(stderr, _("trace: libseccomp cannot name this machine's syscalls: install libseccomp2\n"));
		return 2;
	}
	if (o.list) {
		FILE *json = open_out(o.json_path, NULL, 1);
		if (o.json_path && !json)
			return 2;
		rc = lab_list(json);
		if (json && json != stdout)
			fclose(json);
		return rc;
	}
	if (o.replay)
		return replay(&o);

	struct lab lab;
	char path[4096];
	char **cmd = o.argv;
	if (o.lab) {
		if ((rc = lab_load(&lab, o.lab, o.variant)))
			return rc;
		cmd = lab.argv;
		if (!o.classes_set)
			o.classes = lab.classes;
		o.classes |= CLS_READY;
		if (!o.hold_sigchld)   /* --hold on the command line wins */
			o.hold_sigchld = lab.hold_sigchld;
		lab.hold_sigchld = o.hold_sigchld;   /* the runner's cue depends on it */
		o.time_spawns |= lab.time_spawns;
	}
	struct prediction predictions[LAB_QUESTIONS_MAX];
	if (o.predict && (rc = predict_ask(&lab, predictions)))
		return rc;
	if (cmd && (rc = launch_check(cmd, path, sizeof path)))
		return rc;

	struct outputs files;
	if (open_outputs(&o, &files) < 0)
		return 2;
	struct stream out = { NULL };
	/* -q alone stops only the calls the summary needs: the fastest run,
	 * and the facts counted from the other calls are not known. */
	int show_calls = !o.quiet || files.json || files.perfetto || files.svg || files.html;
	struct sink *diagnoses = diagnose_sink_new(show_calls);
	stream_add(&out, diagnoses);
	add_renderers(&out, &o, &files);

	/* Library calls (pthread_join, pthread_detach) through the preloaded
	 * hook, when it is built; a program linked statically just has none. */
	char hook[PATH_MAX + sizeof HOOK_PATH];
	const char *hook_env = getenv("TRACELAB_HOOK");   /* a copy the program's user can read */
	if (hook_env && *hook_env)
		snprintf(hook, sizeof hook, "%s", hook_env);
	else
		snprintf(hook, sizeof hook, "%s/%s", kit_root(), HOOK_PATH);
	int use_hook = !o.attach && access(hook, R_OK) == 0;
	if (use_hook)
		o.classes |= CLS_HOOK;

	struct tracer tr = { 0 };
	tr.t0 = tracer_now(&tr);   /* time 0 (t0 was 0: this reads the clock itself) */
	tr.out = &out;
	tr.classes = o.classes;
	tr.seccomp = 1;
	tr.hold_sigchld = o.hold_sigchld;
	tr.time_spawns = o.time_spawns;
	tr.show_calls = show_calls;
	tr.max_procs = o.max_procs;
	tr.max_mem_mb = o.max_mem_mb;
	tr.run_as = o.run_as;
	tr.cgroups = o.cgroups;
	tr.argv = o.attach ? NULL : cmd;
	tr.lab_name = o.lab ? lab.name : NULL;
	tr.lab_lesson = o.lab && lab.lesson[0] ? lab.lesson : NULL;
	tr.lab_words = o.lab ? lab.words : NULL;
	tr.nlab_words = o.lab ? lab.nwords : 0;
	tr.predictions = predictions;
	tr.npredictions = o.predict ? lab.nquestions : 0;
	tr.preload = use_hook ? hook : NULL;
	tr.m = model_new(&out, getpid());
	struct lab_runner *runner = o.lab && tr.m ? lab_runner_new(&lab, &out, tr.m) : NULL;
	if (!tr.m || (o.lab && !runner)) {
		fprintf(stderr, _("trace: out of memory before the start: free some memory and try again\n"));
		model_free(tr.m);
		stream_free(&out);
		close_outputs(&o, &files);
		return 1;
	}
	if (runner)
		tr.hooks = (struct loop_hooks){ runner, lab_runner_tick, lab_runner_owns, lab_runner_kill,
						lab_runner_helper };

	catch_signals();
	/* Orphans of the traced tree come to us, so we can reap them (as init). */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	struct launched started;
	rc = o.attach ? launch_attach(&tr, o.attach) : launch_command(&tr, cmd, path, &started);
	if (!rc && !o.attach) {
		loop_first_stop(&tr, started.child);   /* its execve stops at entry */
		rc = launch_outcome(&tr, &started);
	}
	int status = rc;
	if (!rc) {
		if (o.timeout_s) {
			timeout_deadline = monotonic_s() + o.timeout_s;
			alarm((unsigned)o.timeout_s);
		}
		loop_run(&tr);
		alarm(0);
		ctrl_c_end(&tr);
		if (tr.root_done)
			status = WIFEXITED(tr.root_status) ? WEXITSTATUS(tr.root_status)
							   : 128 + WTERMSIG(tr.root_status);
		emit_summary(&tr, &o, status, diagnoses);
		/* A lab that ran (its server became ready) ends well, however the
		 * runner stopped the server; unless it ran out of time or the user
		 * interrupted it (then the status says what ended it, 130 for Ctrl-C). */
		if (runner && !tr.timed_out && !tr.ctrl_c.sig && lab_runner_ready_seen(runner))
			status = 0;
		stream_finish(&out);
	}
	stream_free(&out);
	if (close_outputs(&o, &files))
		status = 2;   /* the trace was not written whole */
	model_free(tr.m);
	arena_free(&tr.arena);
	park_free(&tr.parking);
	untraced_free(&tr);
	idmap_free(&tr.spawn_entries);
	forget_all_calls(&tr);
	hold_free(&tr);
	exec_forget_all(&tr);
	idmap_free(&tr.foreign_noted);
	return status;
}
