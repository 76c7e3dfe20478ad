/* stage.h - a pipeline stage as a library module, run alone or by nerpipe. */
#ifndef NERPIPE_STAGE_H
#define NERPIPE_STAGE_H

#include <stdio.h>

#include "doc.h"
#include "err.h"
#include "opt.h"

/* Returned by a stage's init after it printed --help or --version. */
#define STAGE_DONE (-1)

struct stage_ops {
	/* The command line of its program: cli.name is the stage's name
	 * ("ner-tok"), cli.opts its options, from which init parses argv
	 * (opt_next) and --help is written. */
	struct opt_prog cli;
	/* Parse argv (argv[0] is the name).  Returns 0 and sets *state, or
	 * STAGE_DONE, or an exit code (EX_USAGE, EX_NOINPUT...) after saying
	 * why.  Positional arguments are left for the caller from *argind
	 * on. */
	int (*init)(int argc, char **argv, int *argind, void **state);
	/* Work on one document.  out is where a tail stage writes its own
	 * format; other stages leave writing to the caller.  Returns 0 or an
	 * exit code.  NULL for a head stage that does all its work in
	 * source. */
	int (*run)(void *state, struct doc *d, FILE *out);
	/* Called once after the last document (may be NULL), also when the
	 * input stopped on an error: status is the run's exit status so far
	 * (EX_OK, EX_NOINPUT for an unreadable file, or the error).  A tail
	 * stage ends its output here (a header for empty input, the end of
	 * a page, a last commit).  Returns 0 or an exit code, which counts
	 * only if status was EX_OK or EX_NOINPUT. */
	int (*finish)(void *state, FILE *out, int status);
	void (*free)(void *state);
	/* A state for another thread, made from one init made (may be
	 * NULL: then init runs again).  It shares what no run changes (a
	 * mapped gazetteer) and has its own scratch; it is freed with free
	 * before the state it came from. */
	void *(*clone)(const void *state);
	/* A head stage (ner-norm) makes documents from a path ("-" for
	 * standard input) and hands each to emit; NULL for a filter. */
	int (*source)(void *state, const char *path, struct doc *d,
		      int (*emit)(struct doc *d, void *arg), void *arg);
	int tail;		/* writes its own output instead of a stream */
	int repairs_utf8;	/* takes invalid UTF-8 in and repairs it */
};

/* ops->run on d, or nothing for a stage without one (a head stage
 * that nerpipe's pipeline.conf put further down). */
static inline int stage_run(const struct stage_ops *ops, void *state,
			    struct doc *d, FILE *out)
{
	return ops->run ? ops->run(state, d, out) : 0;
}

/* The built-in stages, each a module of its own (stage_NAME.c); the
 * programs ner-NAME run one each, nerpipe chains them. */
extern const struct stage_ops stage_norm, stage_tok, stage_gaz, stage_rules,
	stage_link, stage_tsv, stage_html, stage_db;

/* The main() of a filter stage: init, then read the stream on stdin (or
 * the files named), run each document and write it.  Returns the exit
 * status; see ner-stream(5) for truncated and malformed input. */
int stage_main(const struct stage_ops *ops, int argc, char **argv);

/* Read documents from the stream r reads and hand each to fn; shared by
 * stage_main and ner-norm.  A truncated document is handed on with
 * "#meta error truncated stream" before the error.  Returns EX_OK, the
 * first status other than EX_OK that fn returned, or -1 for a stream
 * that is malformed, torn or unreadable: r->err says why
 * (ner-stream(5)). */
typedef int stage_doc_fn(struct doc *d, void *arg);
struct stream_reader;
int stage_read_reader(struct stream_reader *r, struct doc *d,
		      stage_doc_fn *fn, void *arg);

/* What a stage's init returns for what opt_next gave outside the
 * stage's own options: STAGE_DONE for OPT_DONE (--help or --version
 * answered), EX_USAGE for OPT_BAD or anything else. */
int stage_opt_status(int c);

#endif
