/* path.h - where the programs live and find their data, and reading an input file. */
#ifndef NERPIPE_PATH_H
#define NERPIPE_PATH_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

/* "DIR/name", where DIR is the directory of the running program (from
 * /proc/self/exe), as a new string the caller frees; NULL when the
 * program's own path cannot be read. */
char *path_beside_exe(const char *name);

/* Locate a data file (gazetteer, rules) by name: a name with a '/' is
 * used as it is; otherwise $NERPIPE_DATA, then gazetteers/ beside the
 * programs' bin/, then the installed data directory.  Returns a string
 * the caller frees; the plain name if none exists. */
char *path_data(const char *name);

/* The pipeline file nerpipe reads when not told: $NERPIPE_CONF, else
 * the readable pipeline.conf beside the programs' bin/, else the
 * installed one.  A string the caller frees. */
char *path_conf(void);

/* Is the argument s a URL, "scheme://..." (a scheme being letters,
 * digits, '+', '.' and '-', RFC 3986), rather than a file name?  Which
 * schemes are fetched is ner-fetch's business (http and https only). */
int path_is_url(const char *s);

/* Reads one input file for a program: returns 0, or -1 with e saying
 * why the data are bad.  name is the file's name for messages. */
typedef int path_load_fn(FILE *fp, const char *name, void *arg,
			 struct err *e);

/* Open path ("-" is standard input, named "stdin" in messages) and hand
 * it to load with arg.  Returns 0, or -1 with e saying why: EX_NOINPUT
 * (it cannot be opened, or is a directory) or what load said. */
int path_load_file(const char *path, path_load_fn *load, void *arg,
		   struct err *e);

#endif
