/* eval.h - score predicted entity spans against gold spans. */
#ifndef NERPIPE_EVAL_H
#define NERPIPE_EVAL_H

#include <stdio.h>

#include "err.h"

#define EVAL_TYPE_MAX 31

/* A set of spans read from TSV: header naming at least doc, start, end,
 * type (other columns ignored, any order), as in /shared/eval/score.py
 * and ner-tsv's output. */
struct eval_span {
	char *doc;
	long start, end;
	char type[EVAL_TYPE_MAX + 1];
};

struct eval_set {
	struct eval_span *spans;
	size_t n, cap;
};

/* Read a span file.  Returns 0, or -1 with e saying why (EX_DATAERR:
 * "path:line: why", also for a read error).  Duplicate spans count once.
 * types (comma list, may be NULL) keeps only those types. */
int eval_load(struct eval_set *s, FILE *fp, const char *path,
	      const char *types, struct err *e);
void eval_set_free(struct eval_set *s);

/* Print the per-type and micro table (exact and partial P/R/F1) and the
 * last line "micro F1 exact 0.XXX".  Predictions for documents the gold
 * does not have are ignored.  With errors, list missed (FN) and spurious
 * (FP) spans after the table.  Returns the micro exact F1. */
double eval_report(struct eval_set *gold, struct eval_set *pred, int errors,
		   FILE *out);

#endif
