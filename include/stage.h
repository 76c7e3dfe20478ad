/* stage.h - a pipeline stage as a library module, run alone or by nerpipe. */
#ifndef NERPIPE_STAGE_H
#define NERPIPE_STAGE_H

#include <stdio.h>

#include "doc.h"

/* Returned by a stage's init after it printed --help or --version. */
#define STAGE_DONE (-1)

struct stage_ops {
	const char *name;	/* program name, "ner-tok" */
	const char *summary;	/* one line for --help */
	const char *args;	/* what follows the options in --help */
	const char *options;	/* the stage's own options for --help */
	/* Parse argv (argv[0] is the name).  Returns 0 and sets *state, or
	 * STAGE_DONE, or an exit code (EX_USAGE, EX_NOINPUT...) after saying
	 * why.  Positional arguments are left for the caller from *argind
	 * on. */
	int (*init)(int argc, char **argv, int *argind, void **state);
	/* Work on one document.  out is where a tail stage writes its own
	 * format; other stages leave writing to the caller.  Returns 0 or an
	 * exit code. */
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
};

/* All stages nerpipe can run in one process, NULL-terminated. */
extern const struct stage_ops *const stage_registry[];
const struct stage_ops *stage_find(const char *name);

extern const struct stage_ops stage_norm, stage_tok, stage_gaz, stage_rules,
	stage_tsv;
extern const struct stage_ops stage_link;
extern const struct stage_ops stage_html;
extern const struct stage_ops stage_db;

/* The main() of a filter stage: init, then read the stream on stdin (or
 * the files named), run each document and write it.  Returns the exit
 * status; see ner-stream(5) for truncated and malformed input. */
int stage_main(const struct stage_ops *ops, int argc, char **argv);

/* Read documents from a stream and hand each to fn; shared by
 * stage_main and nerpipe.  Returns EX_OK or the first error status. */
typedef int stage_doc_fn(struct doc *d, void *arg);
int stage_read_stream(FILE *in, const char *name, struct doc *d,
		      stage_doc_fn *fn, void *arg);
struct stream_reader;
int stage_read_reader(struct stream_reader *r, struct doc *d,
		      stage_doc_fn *fn, void *arg);

/* Locate a data file (gazetteer, rules) by name: a name with a '/' is
 * used as it is; otherwise $NERPIPE_DATA, then gazetteers/ beside the
 * programs' bin/, then the installed data directory.  Returns a string
 * the caller frees; the plain name if none exists. */
char *stage_data_path(const char *name);

/* The flags stages open gazetteers with (gaz_open): GAZ_VERIFY when
 * NERPIPE_GAZ_VERIFY is set in the environment to anything but "" or
 * "0", so that every gazetteer is checked whole before use. */
unsigned stage_gaz_flags(void);

/* Reads one input file for a program: returns < 0 with a message in err
 * if the data are bad.  name is the file's name for messages. */
typedef int stage_load_fn(FILE *fp, const char *name, void *arg, char *err,
			  size_t errlen);

/* Open path ("-" is standard input, named "stdin" in messages) and hand
 * it to load with arg.  Returns EX_OK, EX_NOINPUT (it cannot be opened)
 * or EX_DATAERR (load refused it); what went wrong is said on stderr. */
int stage_load_file(const char *path, stage_load_fn *load, void *arg);

/* The options every stage shares, for the default branch of its option
 * switch: c is 'h' (print --help, from ops->args and ops->options), 'V'
 * (print the version), or anything else (a usage error).  Returns
 * STAGE_DONE or EX_USAGE, after printing. */
int stage_common_option(const struct stage_ops *ops, int c);

/* Parse a non-negative integer option value; -1 if malformed. */
long stage_parse_count(const char *s);

#endif
