/*
 * perfetto_file.h - the records of a Chrome trace-event file, held in
 * memory and written in time order (out_perfetto.c decides what they say).
 */
#ifndef TRACELAB_PERFETTO_FILE_H
#define TRACELAB_PERFETTO_FILE_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct pf_file;

/* How records at the same time are ordered, after the longer slices
 * (which hold the shorter ones) and before the points (instants, flows). */
enum pf_rank { PF_META, PF_STATE, PF_CALL, PF_POINT };

struct pf_file *pf_file_new(void);   /* NULL when out of memory */
void pf_file_free(struct pf_file *pf);

/* Start a record {"name", "cat", "ph", "ts", ["dur" for X,] "pid", "tid"
 * (times in ns, written in microseconds); the caller may add fields
 * (",\"args\":{...}") to the FILE it returns, then calls pf_end. */
FILE *pf_begin(struct pf_file *pf, char ph, enum pf_rank rank, const char *cat, const char *name,
	       uint64_t ts, uint64_t dur, pid_t pid, pid_t tid);
void pf_end(struct pf_file *pf);
/* A time in ns as microseconds with three decimals: exact. */
void pf_put_us(FILE *f, uint64_t ns);

/* Write the file: the records sorted by time, then displayTimeUnit and
 * otherData, whose members are other (or none: NULL). 0, or an errno. */
int pf_write(struct pf_file *pf, FILE *out, const char *other);

#endif
