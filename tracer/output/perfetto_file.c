/*
 * perfetto_file.c - the records of a Chrome trace-event file, in memory
 * until the end, then written sorted by time.
 *
 * A slice is known only when it ends, so records are made out of order.
 * They are written in time order on purpose: Perfetto's JSON importer
 * keeps the file's order for records of the same time, and that order
 * decides two things. A slice must come before the shorter slices it
 * holds (or it cannot hold them), and a flow event binds to the slice on
 * top of its thread's stack at that moment: so each flow event follows
 * the instant it belongs to (pf_begin order), with nothing between them.
 */
#include <errno.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include "output/output.h"
#include "output/perfetto_file.h"

struct pf_rec {
	uint64_t ts, dur;
	uint32_t seq;        /* the order it was made in */
	uint8_t rank;        /* enum pf_rank */
	size_t off, len;     /* its text in pf_file.text */
};

struct pf_file {
	FILE *mem;           /* writes to text, one record after the other */
	char *text;
	size_t size, room;
	struct pf_rec *recs;
	size_t n, cap;
	int failed;          /* out of memory */
};

#define TEXT_FIRST (1u << 20)
#define OUT_BUFFER (1u << 20)   /* a few hundred write(2)s for a big file, not tens of thousands */

/* The records' text grows by doubling, and nothing else: an
 * open_memstream() zero-fills what it adds and cost four times as much
 * here (20,000 forks). */
static ssize_t text_write(void *cookie, const char *buf, size_t n)
{
	struct pf_file *pf = cookie;
	if (pf->size + n > pf->room) {
		size_t room = pf->room ? pf->room : TEXT_FIRST;
		while (room < pf->size + n)
			room *= 2;
		char *more = realloc(pf->text, room);
		if (!more) {
			pf->failed = 1;
			return -1;
		}
		pf->text = more;
		pf->room = room;
	}
	memcpy(pf->text + pf->size, buf, n);
	pf->size += n;
	return (ssize_t)n;
}

struct pf_file *pf_file_new(void)
{
	struct pf_file *pf = calloc(1, sizeof *pf);
	if (pf && !(pf->mem = fopencookie(pf, "w", (cookie_io_functions_t){ .write = text_write }))) {
		free(pf);
		return NULL;
	}
	if (pf)
		__fsetlocking(pf->mem, FSETLOCKING_BYCALLER);   /* one thread: no lock per putc */
	return pf;
}

void pf_file_free(struct pf_file *pf)
{
	if (!pf)
		return;
	fclose(pf->mem);
	free(pf->text);
	free(pf->recs);
	free(pf);
}

void pf_put_us(FILE *f, uint64_t ns)
{
	fprintf(f, "%llu.%03llu", (unsigned long long)(ns / 1000), (unsigned long long)(ns % 1000));
}

FILE *pf_begin(struct pf_file *pf, char ph, enum pf_rank rank, const char *cat, const char *name,
	       uint64_t ts, uint64_t dur, pid_t pid, pid_t tid)
{
	if (pf->n == pf->cap) {
		size_t cap = pf->cap ? 2 * pf->cap : 1024;
		struct pf_rec *more = realloc(pf->recs, cap * sizeof *more);
		if (!more)
			pf->failed = 1;
		else {
			pf->recs = more;
			pf->cap = cap;
		}
	}
	struct pf_rec *r = pf->n < pf->cap ? &pf->recs[pf->n] : NULL;
	if (fflush(pf->mem) != 0)
		pf->failed = 1;
	if (r) {
		*r = (struct pf_rec){ ts, ph == 'X' ? dur : 0, (uint32_t)pf->n, (uint8_t)rank, pf->size, 0 };
		pf->n++;
	}
	FILE *f = pf->mem;
	fputs("{\"name\":", f);
	json_put_string(f, name);
	fputs(",\"cat\":", f);
	json_put_string(f, cat);
	fprintf(f, ",\"ph\":\"%c\",\"ts\":", ph);
	pf_put_us(f, ts);
	if (ph == 'X') {
		fputs(",\"dur\":", f);
		pf_put_us(f, dur);
	}
	fprintf(f, ",\"pid\":%d,\"tid\":%d", pid, tid);
	return f;
}

void pf_end(struct pf_file *pf)
{
	putc('}', pf->mem);
	if (fflush(pf->mem) != 0 || ferror(pf->mem))
		pf->failed = 1;
	else if (pf->n && pf->n <= pf->cap)
		pf->recs[pf->n - 1].len = pf->size - pf->recs[pf->n - 1].off;
}

/* Metadata first; then by time; at the same time, slices before points,
 * the longer slice first, a state before the call it holds; then in the
 * order made. */
static int by_time(const void *a, const void *b)
{
	const struct pf_rec *x = a, *y = b;
	int xm = x->rank == PF_META, ym = y->rank == PF_META;
	if (xm != ym)
		return ym - xm;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	int xp = x->rank == PF_POINT, yp = y->rank == PF_POINT;
	if (xp != yp)
		return xp - yp;
	if (!xp && x->dur != y->dur)
		return x->dur > y->dur ? -1 : 1;
	if (!xp && x->rank != y->rank)
		return x->rank - y->rank;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int pf_write(struct pf_file *pf, FILE *out, const char *other)
{
	if (pf->failed || fflush(pf->mem) != 0)
		return ENOMEM;
	if (pf->n)   /* (recs is NULL while there is none) */
		qsort(pf->recs, pf->n, sizeof *pf->recs, by_time);
	setvbuf(out, NULL, _IOFBF, OUT_BUFFER);   /* nothing was written to it before */
	fputs("{\"traceEvents\":[\n", out);
	for (size_t i = 0; i < pf->n; i++) {
		if (i)
			fputs(",\n", out);
		fwrite(pf->text + pf->recs[i].off, 1, pf->recs[i].len, out);
	}
	fprintf(out, "\n],\n\"displayTimeUnit\":\"ms\",\n\"otherData\":{%s}}\n", other ? other : "");
	return 0;
}
