/*
 * header.c - the first event of every trace: what was traced and how
 * (docs/trace-format.md, "trace"), and the root process made known to
 * the model right after it.
 */
#include <string.h>
#include <unistd.h>
#include "core/predict.h"
#include "core/tracer.h"
#include "decode/call.h"

/* --predict: the questions asked before the run, and the answers. */
static void put_predictions(const struct tracer *tr, struct fields *fs)
{
	if (!tr->npredictions) {
		fs_null(fs, "predict");
		return;
	}
	struct fields *list = fs_list(fs, "predict");
	for (int i = 0; list && i < tr->npredictions; i++) {
		struct fields *q = fs_obj(list, NULL);
		if (!q)
			return;
		fs_str(q, "fact", tr->predictions[i].fact);
		fs_str(q, "question", tr->predictions[i].question);
		fs_int(q, "answer", tr->predictions[i].answer);
	}
}

/* The lab's lesson and questions in the other languages lab.conf has
 * (lesson.vi, predict.vi), all of them whatever --lang is: a replay in
 * any language says them. Null for a command, or a lab with none. */
static void put_translations(const struct tracer *tr, struct fields *fs)
{
	if (!tr->nlab_words) {
		fs_null(fs, "translations");
		return;
	}
	struct fields *all = fs_obj(fs, "translations");
	for (int i = 0; all && i < tr->nlab_words; i++) {
		const struct lab_words *w = &tr->lab_words[i];
		struct fields *one = fs_obj(all, w->lang), *list;
		if (!one)
			return;
		if (w->lesson[0])
			fs_str(one, "lesson", w->lesson);
		else
			fs_null(one, "lesson");
		if (!w->nquestions) {
			fs_null(one, "predict");
			continue;
		}
		list = fs_list(one, "predict");
		for (int k = 0; list && k < w->nquestions; k++) {
			struct fields *q = fs_obj(list, NULL);
			if (!q)
				return;
			fs_str(q, "fact", w->questions[k].fact);
			fs_str(q, "question", w->questions[k].text);
		}
	}
}

void tracer_started(struct tracer *tr, const char *name)
{
	char classes[128];
	const char *slash = strrchr(name, '/');
	int argc = 0;
	while (tr->argv && tr->argv[argc])
		argc++;
	struct event *e = tracer_event(tr, EV_TRACE, tracer_now(tr), tr->root, tr->root);
	fs_int(&e->f, "version", TRACE_FORMAT_VERSION);
	fs_strs(&e->f, "argv", (const char *const *)tr->argv, argc);
	fs_names(&e->f, "classes", cls_list(tr->classes, classes, sizeof classes));
	fs_bool(&e->f, "attached", tr->attached);
	fs_bool(&e->f, "hook", (tr->classes & CLS_HOOK) != 0);
	if (tr->lab_name)
		fs_str(&e->f, "lab", tr->lab_name);
	else
		fs_null(&e->f, "lab");
	if (tr->lab_lesson)
		fs_str(&e->f, "lesson", tr->lab_lesson);
	else
		fs_null(&e->f, "lesson");
	put_predictions(tr, &e->f);
	put_translations(tr, &e->f);
	fs_str(&e->f, "name", slash ? slash + 1 : name);
	fs_int(&e->f, "tracer_pid", getpid());
	tracer_emit(tr);
	model_root(tr->m, tracer_now(tr), tr->root, name, tr->attached);
}
