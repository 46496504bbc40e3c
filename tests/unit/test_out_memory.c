/*
 * test_out_memory.c - the Perfetto writer and the picture (--perfetto,
 * --svg, --html) free everything they take, on every path: a normal
 * replay, a file that holds two traces, and a run in which any one
 * allocation fails (the first, the second, ... each in turn), as it
 * would when memory runs out. A failed allocation may cost the output,
 * never a crash or a leak.
 *
 * The allocator is wrapped (-Wl,--wrap=malloc,...): each block the
 * sources take is noted until it is given back, and alloc_fail_at makes
 * the Nth allocation fail. Blocks the C library takes for itself (a
 * stream's buffer) are not noted, and freeing them is fine.
 * argv[1]: a trace (./trace --json); argv[2]: the same twice over.
 * Run by tests/unit/test_unit_programs.py (make unit builds it).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "event/replay.h"
#include "output/output.h"

static int failures, checks;
#define CHECK(cond) do { checks++; if (!(cond)) { failures++; \
	fprintf(stderr, "%s:%d: %s: failed: %s\n", __FILE__, __LINE__, __func__, #cond); } } while (0)

/* ---- the wrapped allocator ------------------------------------------ */

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
FILE *__real_open_memstream(char **buf, size_t *len);
FILE *__real_fopencookie(void *cookie, const char *mode, cookie_io_functions_t io);
int __real_fclose(FILE *f);

#define LIVE_MAX (1 << 16)   /* open addressing: far more than a small trace holds at once */
static struct { void *p; void *from; } live[LIVE_MAX];
static long nlive, allocs, alloc_fail_at;   /* alloc_fail_at: 0 for never */

static size_t slot(const void *p)
{
	return ((uintptr_t)p >> 4) * 2654435761u % LIVE_MAX;
}

static void note(void *p, void *from)
{
	if (!p)
		return;
	size_t i = slot(p);
	while (live[i].p)
		i = (i + 1) % LIVE_MAX;
	live[i].p = p;
	live[i].from = from;
	nlive++;
}

/* 1 if p was noted (and is no more). */
static int forget(void *p)
{
	if (!p)
		return 0;
	for (size_t i = slot(p); live[i].p; i = (i + 1) % LIVE_MAX)
		if (live[i].p == p) {
			/* take it out, and move up the ones after it in its run */
			live[i].p = NULL;
			nlive--;
			for (size_t j = (i + 1) % LIVE_MAX; live[j].p; j = (j + 1) % LIVE_MAX) {
				void *q = live[j].p, *from = live[j].from;
				live[j].p = NULL;
				nlive--;
				note(q, from);
			}
			return 1;
		}
	return 0;
}

/* Does this allocation fail? */
static int fails(void)
{
	return ++allocs == alloc_fail_at;
}

void *__wrap_malloc(size_t n)
{
	void *p = fails() ? NULL : __real_malloc(n);
	note(p, __builtin_return_address(0));
	return p;
}

void *__wrap_calloc(size_t k, size_t n)
{
	void *p = fails() ? NULL : __real_calloc(k, n);
	note(p, __builtin_return_address(0));
	return p;
}

void *__wrap_realloc(void *old, size_t n)
{
	if (fails())
		return NULL;   /* old stays as it was, and noted */
	int noted = forget(old);
	void *p = __real_realloc(old, n);
	if (noted || !old)
		note(p, __builtin_return_address(0));
	return p;
}

void __wrap_free(void *p)
{
	forget(p);
	__real_free(p);
}

char *__wrap_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = fails() ? NULL : __real_malloc(n);
	if (p)
		memcpy(p, s, n);
	note(p, __builtin_return_address(0));
	return p;
}

FILE *__wrap_open_memstream(char **buf, size_t *len)
{
	FILE *f = fails() ? NULL : __real_open_memstream(buf, len);
	note(f, __builtin_return_address(0));
	return f;
}

FILE *__wrap_fopencookie(void *cookie, const char *mode, cookie_io_functions_t io)
{
	FILE *f = fails() ? NULL : __real_fopencookie(cookie, mode, io);
	note(f, __builtin_return_address(0));
	return f;
}

int __wrap_fclose(FILE *f)
{
	forget(f);
	return __real_fclose(f);
}

/* Where the program starts: a place in it, less that, is what
 * addr2line -e build/unit/test_out_memory reads. */
extern char __executable_start;

static void say_leaks(const char *what)
{
	for (size_t i = 0; i < LIVE_MAX; i++)
		if (live[i].p)
			fprintf(stderr, "  %s: a block taken at %#lx (addr2line) is never given back\n", what,
				(unsigned long)((char *)live[i].from - &__executable_start));
}

/* ---- the runs -------------------------------------------------------- */

/* Replay path into the Perfetto writer and the picture (SVG and page),
 * to /dev/null; everything freed after. The replay's status. */
static int render(const char *path)
{
	FILE *null = fopen("/dev/null", "w");
	if (!null)
		return -1;
	int pf_failed = 0;
	struct stream out = { NULL };
	stream_add(&out, perfetto_sink_new(null, &pf_failed));
	stream_add(&out, picture_sink_new(null, null));
	int rc = replay_file(path, &out);
	stream_finish(&out);
	stream_free(&out);
	fclose(null);
	return rc;
}

/* All is well: nothing left behind. */
static long test_a_whole_run_frees_everything(const char *path, const char *what)
{
	allocs = 0;
	alloc_fail_at = 0;
	CHECK(render(path) == 0);
	CHECK(nlive == 0);
	if (nlive)
		say_leaks(what);
	return allocs;
}

/* Each allocation of the run fails in turn: no crash, nothing left. */
static void test_any_allocation_may_fail(const char *path, long total)
{
	long leaky = 0;
	FILE *err = stderr;
	stderr = fopen("/dev/null", "w");   /* the replay's "out of memory" lines */
	for (long n = 1; n <= total; n++) {
		allocs = 0;
		alloc_fail_at = n;
		render(path);
		if (nlive) {
			if (!leaky++)
				fprintf(err, "  with allocation %ld of %ld failing:\n", n, total);
			FILE *keep = stderr;
			stderr = err;
			say_leaks("out of memory");
			stderr = keep;
			memset(live, 0, sizeof live);   /* the next one starts clean (the leak stays) */
			nlive = 0;
		}
	}
	fclose(stderr);
	stderr = err;
	alloc_fail_at = 0;
	CHECK(leaky == 0);
	if (leaky)
		fprintf(stderr, "  %ld of %ld failing allocations left blocks behind\n", leaky, total);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s run.jsonl twice.jsonl\n", argv[0]);
		return 2;
	}
	long total = test_a_whole_run_frees_everything(argv[1], "one trace");
	CHECK(total > 20);   /* it did render something */
	test_a_whole_run_frees_everything(argv[2], "two traces in one file");
	test_any_allocation_may_fail(argv[1], total);
	printf("%d checks, %d failed\n", checks, failures);
	return failures != 0;
}
