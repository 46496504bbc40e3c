/*
 * main.c - ./trace: read the options, set up the renderers, start or
 * attach, run the loop, and leave with the traced command's exit status.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "decode/call.h"
#include "core/hold.h"
#include "lab/lab.h"
#include "core/launch.h"
#include "core/loop.h"
#include "common/names.h"
#include "core/options.h"
#include "output/output.h"

static void on_stop_signal(int sig)
{
	if (sig == SIGALRM)
		loop_timeout = 1;
	else
		loop_interrupt = sig;
}

static void catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;   /* no SA_RESTART: waitpid must return */
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

static char **header_argv;
static const char *header_lab;

static void emit_header(struct tracer *tr)
{
	char **argv = header_argv;
	const char *lab = header_lab;
	struct event e = { .type = EV_TRACE, .t = now_ns(), .pid = tr->root, .tid = tr->root };
	static struct arena a;
	char classes[128] = "";
	int argc = 0;
	while (argv && argv[argc])
		argc++;
	for (const struct clsname *c = cls_names; c->name; c++)
		if ((tr->classes & c->bits) == c->bits && c->bits != CLS_ALL)
			snprintf(classes + strlen(classes), sizeof classes - strlen(classes), "%s%s",
				 classes[0] ? "|" : "", c->name);
	fs_int(&e.f, "version", 1);
	fs_strs(&e.f, &a, "argv", (const char *const *)argv, argc);
	fs_names(&e.f, &a, "classes", classes);
	fs_bool(&e.f, "attached", tr->attached);
	fs_bool(&e.f, "hook", (tr->classes & CLS_HOOK) != 0);
	if (lab)
		fs_str(&e.f, &a, "lab", lab);
	else
		fs_null(&e.f, "lab");
	model_emit(tr->m, &e);
}

int main(int argc, char **argv)
{
	struct options o;
	int rc = options_parse(&o, argc, argv);
	if (rc)
		return rc < 0 ? 0 : rc;
	if (sc_init() < 0) {
		fprintf(stderr, "trace: libseccomp cannot name this machine's syscalls: install libseccomp2\n");
		return 2;
	}
	if (o.list)
		return lab_list();

	static struct lab lab;
	char path[4096];
	char **cmd = o.argv;
	if (o.lab) {
		if ((rc = lab_load(&lab, o.lab, o.variant)))
			return rc;
		cmd = lab.argv;
		if (!o.classes_set)
			o.classes = lab.classes;
		o.classes |= CLS_READY;
		o.hold_sigchld |= lab.hold_sigchld;
	}
	if (cmd && (rc = launch_check(cmd, path, sizeof path)))
		return rc;

	/* The renderers: the timeline, the summary, and JSON Lines. */
	FILE *text = stderr, *json = NULL;
	if (o.out_path && !(text = fopen(o.out_path, "we"))) {
		fprintf(stderr, "trace: cannot write %s: %s\n", o.out_path, strerror(errno));
		return 2;
	}
	if (o.json_path && !(json = strcmp(o.json_path, "-") == 0 ? stdout : fopen(o.json_path, "we"))) {
		fprintf(stderr, "trace: cannot write %s: %s\n", o.json_path, strerror(errno));
		return 2;
	}
	static struct stream out;
	int color = use_color(o.color, text);
	if (!o.quiet)
		stream_add(&out, text_sink_new(text, color));
	stream_add(&out, summary_sink_new(text, color));
	if (json)
		stream_add(&out, json_sink_new(json));

	/* Library calls (pthread_join, pthread_detach) through the preloaded
	 * hook, when it is built; a program linked statically just has none. */
	char hook[4200];
	snprintf(hook, sizeof hook, "%s/kit/hook/libtlhook.so", kit_root());
	if (!o.attach && access(hook, R_OK) == 0)
		o.classes |= CLS_HOOK;

	static struct tracer tr;
	tr.out = &out;
	tr.classes = o.classes;
	tr.seccomp = 1;
	tr.hold_sigchld = o.hold_sigchld;
	tr.show_calls = !o.quiet || json;
	tr.max_procs = o.max_procs;
	tr.max_mem_mb = o.max_mem_mb;
	tr.lab = o.lab ? &lab : NULL;
	tr.m = model_new(&out, getpid());
	if (!tr.m)
		return 1;
	now_ns();   /* time 0 */

	catch_signals();
	/* Orphans of the traced tree come to us, so we can reap them (as init). */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	header_argv = o.attach ? NULL : cmd;
	header_lab = o.lab ? lab.name : NULL;
	tr.started = emit_header;
	rc = o.attach ? launch_attach(&tr, o.attach) : launch_command(&tr, cmd, path);
	if (rc)
		return rc;
	if (o.timeout_s)
		alarm((unsigned)o.timeout_s);

	loop_run(&tr);

	int status = 0;
	if (tr.root_done)
		status = WIFEXITED(tr.root_status) ? WEXITSTATUS(tr.root_status) : 128 + WTERMSIG(tr.root_status);
	if (tr.timed_out)
		fprintf(text, "trace: --timeout %d s reached: the traced processes were killed\n", o.timeout_s);
	if (tr.limit)
		fprintf(text, "trace: --max-procs %d exceeded (a fork bomb?): the traced processes were killed\n", o.max_procs);
	summary_emit(&tr, status, now_ns());
	stream_finish(&out);
	if (text != stderr)
		fclose(text);
	if (json && json != stdout)
		fclose(json);
	model_free(tr.m);
	if (o.lab)
		return tr.timed_out ? status : (tr.lab->ready_seen ? 0 : status);
	return status;
}
