/*
 * picture_store.c - where the picture of a run lives in memory: an empty
 * picture (with the text renderer that writes its timeline lines), arrays
 * that grow, the task of a tid (found, or made when first seen), a span
 * added to a task, and everything freed at the end. picture.c says what
 * each event adds to it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "output/output.h"
#include "output/picture_store.h"

int picture_grow(void *arr, int n, int *cap, size_t sz)
{
	if (n < *cap)
		return 0;
	int ncap = *cap ? *cap * 2 : 4;
	void *q = realloc(*(void **)arr, (size_t)ncap * sz);
	if (!q)
		return -1;
	*(void **)arr = q;
	*cap = ncap;
	return 0;
}

int task_of_tid(const struct picture *p, pid_t tid)
{
	intptr_t v = (intptr_t)idmap_get(&p->by_tid, tid);
	return v ? (int)v - 1 : -1;
}

int new_task(struct picture *p, pid_t pid, pid_t tid, int parent, uint64_t t)
{
	if (tid <= 0 || GROW(p, p->tasks, p->ntasks, p->captasks) < 0)
		return -1;
	struct task *k = &p->tasks[p->ntasks];
	memset(k, 0, sizeof *k);
	k->pid = pid;
	k->tid = tid;
	k->thread = pid != tid;
	k->parent = parent;
	k->born = t;
	k->made = "";
	k->reap = -1;
	k->first_line = p->seq;
	if (parent >= 0)
		snprintf(k->name, sizeof k->name, "%s", p->tasks[parent].name);
	if (idmap_put(&p->by_tid, tid, (void *)(intptr_t)(p->ntasks + 1)) < 0) {
		p->failed = 1;
		return -1;
	}
	return p->ntasks++;
}

/* The task an event is about: known, or seen for the first time. */
int task_at(struct picture *p, pid_t pid, pid_t tid, uint64_t t)
{
	int k = task_of_tid(p, tid);
	return k >= 0 ? k : new_task(p, pid, tid, tid == pid ? -1 : task_of_tid(p, pid), t);
}

struct span *add_span(struct picture *p, int k, enum span_kind kind, uint64_t t0, uint64_t t1, long line)
{
	struct task *tk = &p->tasks[k];
	if (t1 < t0 || GROW(p, tk->spans, tk->nspans, tk->capspans) < 0)
		return NULL;
	struct span *s = &tk->spans[tk->nspans++];
	*s = (struct span){ .t0 = t0, .t1 = t1, .kind = kind, .line = line, .count = 1 };
	return s;
}

int picture_init(struct picture *p)
{
	memset(p, 0, sizeof *p);
	if (!(p->text_f = open_memstream(&p->text_buf, &p->text_len)))
		return -1;
	if (!(p->text = text_sink_new(p->text_f, 0, 1, 0))) {
		fclose(p->text_f);
		free(p->text_buf);
		return -1;
	}
	return 0;
}

void picture_free(struct picture *p)
{
	if (p->text)
		p->text->free(p->text);
	if (p->text_f)
		fclose(p->text_f);
	free(p->text_buf);
	for (int k = 0; k < p->ntasks; k++) {
		free(p->tasks[k].spans);
		free(p->tasks[k].exited_kids);
	}
	free(p->tasks);
	idmap_free(&p->by_tid);
	for (int i = 0; i < p->narrows; i++)
		free(p->arrows[i].merged);
	free(p->arrows);
	free(p->marks);
	for (int i = 0; i < p->nmux; i++) {
		free(p->mux[i].fds);
		free(p->mux[i].ready);
	}
	free(p->mux);
	free(p->epoll);
	for (int i = 0; i < p->nlanes; i++)
		free(p->lanes[i].spans);
	free(p->lanes);
	free(p->line_at);
	free(p->linebuf);
	for (unsigned i = 0; i < p->capinterned; i++)
		free(p->interned[i]);
	free(p->interned);
	free(p->lesson);
	free(p->about);
}
