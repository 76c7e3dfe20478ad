/* conf.h - pipeline.conf: one stage a line with its arguments. */
#ifndef NERPIPE_CONF_H
#define NERPIPE_CONF_H

#include <stddef.h>

#include "err.h"

struct conf_stage {
	char **argv;		/* NULL-terminated; argv[0] is the stage */
	int argc;
	size_t line;		/* where it was written */
};

struct conf {
	char *path;
	struct conf_stage *stages;
	size_t n;
};

/* Parse a pipeline file: words split at blanks, "double" and 'single'
 * quotes group words, a word starting with # starts a comment, blank
 * lines are skipped.  Returns 0, or -1 with e saying why: EX_NOINPUT
 * (cannot read) or EX_CONFIG (a bad line, or no stage at all; "path:line:
 * why").  Free with conf_free even after an error. */
int conf_load(const char *path, struct conf *c, struct err *e);

/* The same from a string (for tests); name is used in messages. */
int conf_parse(const char *text, const char *name, struct conf *c,
	       struct err *e);

void conf_free(struct conf *c);

#endif
