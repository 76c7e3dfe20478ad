/* opt.h - command-line options as data: one table per program drives
 * getopt_long, --help, --version and the answer to a bad option. */
#ifndef NERPIPE_OPT_H
#define NERPIPE_OPT_H

#include <stdio.h>

/* One option of a program.  key is its short letter, or OPT_LONG + n for
 * an option with a long name only; opt_next returns it.  arg names its
 * value in --help ("FILE"), NULL for an option that takes none.  help
 * may hold '\n': each line after the first is indented under the
 * first. */
struct opt {
	const char *name;
	int key;
	const char *arg;
	const char *help;
};

/* Keys of long-only options: OPT_LONG, OPT_LONG + 1, ... */
#define OPT_LONG 256

/* A program's command line.  usage follows "usage: NAME " in --help;
 * about (lines ending in '\n') says what it does; opts ends with an
 * entry whose name is NULL; -h/--help and -V/--version are every
 * program's and are not listed there.  footer (may be NULL) ends the
 * help; a table has at most 38 options (opt.c reads no more).  With
 * in_order set, options stop at the first operand (as a stage in a
 * pipeline.conf line wants); otherwise they may follow operands, as GNU
 * programs allow. */
struct opt_prog {
	const char *name;
	const char *usage;
	const char *about;
	const struct opt *opts;
	const char *footer;
	int in_order;
};

/* Returned by opt_next after --help or --version was answered, and
 * after a bad option was. */
#define OPT_DONE (-2)
#define OPT_BAD (-3)

/* Start reading a new command line: getopt_long keeps state between
 * calls, and one process (nerpipe) reads several. */
void opt_start(void);

/* The next option of argv, by p's table: its key, with optarg set to the
 * value of one that takes a value; -1 when the options are over (optind
 * is then the first operand); OPT_DONE after printing the help (-h,
 * --help) or "NAME VERSION" (-V, --version) on stdout; or OPT_BAD
 * after saying on stderr, in p->name's name, what is wrong ("NAME:
 * unknown option '-x'", "NAME: option '--format' needs a value") and
 * "Try 'NAME --help'.".  Long options may be shortened to any prefix
 * that names one option. */
int opt_next(const struct opt_prog *p, int argc, char **argv);

/* Print p's help to fp: usage, about, each option of the table and the
 * common ones, footer. */
void opt_help(const struct opt_prog *p, FILE *fp);

/* Say "NAME: MESSAGE" and "Try 'NAME --help'." on stderr, for a command
 * line that is wrong in other ways (a missing operand, a bad value).
 * Returns OPT_BAD. */
int opt_bad(const struct opt_prog *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Parse a non-negative decimal integer option value; -1 if malformed
 * (empty, trailing characters, negative, or out of range of long). */
long opt_parse_count(const char *s);

#endif
