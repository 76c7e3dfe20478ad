/* opt.c - command-line options from a table (opt.h). */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "opt.h"
#include "version.h"

/* Room for the options of the largest table, plus -h and -V. */
#define OPT_MAX 40

static const struct opt common[] = {
	{ "help", 'h', NULL, "show this help and exit" },
	{ "version", 'V', NULL, "show the version and exit" },
};

void opt_start(void)
{
	optind = 0;	/* glibc: start afresh, reading '+' again */
}

static size_t count_opts(const struct opt_prog *p)
{
	size_t n = 0;

	while (p->opts && p->opts[n].name)
		n++;
	return n;
}

/* The getopt_long tables of p: a NULL-terminated struct option array and
 * the short-option string ("+:" first so that a missing value is told
 * apart from an unknown option). */
static void make_tables(const struct opt_prog *p, struct option *lo,
			char *so)
{
	size_t n = count_opts(p), k = 0;

	if (p->in_order)
		*so++ = '+';
	*so++ = ':';
	for (size_t i = 0; i < n + 2 && k < OPT_MAX; i++) {
		const struct opt *o = i < n ? &p->opts[i] : &common[i - n];

		lo[k++] = (struct option){ o->name, o->arg ? required_argument :
					   no_argument, NULL, o->key };
		if (o->key < OPT_LONG) {
			*so++ = (char)o->key;
			if (o->arg)
				*so++ = ':';
		}
	}
	lo[k] = (struct option){ NULL, 0, NULL, 0 };
	*so = '\0';
}

int opt_bad(const struct opt_prog *p, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", p->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", p->name);
	return OPT_BAD;
}

/* What was wrong with the option getopt_long turned down (c is '?' or
 * ':'), said by opt_bad.  arg is the word it stopped at. */
static int bad_option(const struct opt_prog *p, int c, const char *arg)
{
	int is_long = arg && strncmp(arg, "--", 2) == 0;
	size_t n = is_long ? strcspn(arg, "=") : 0;

	if (c == ':' && is_long)
		return opt_bad(p, "option '%.*s' needs a value", (int)n, arg);
	if (c == ':')
		return opt_bad(p, "option '-%c' needs a value", optopt);
	if (is_long && optopt)
		return opt_bad(p, "option '%.*s' takes no value", (int)n, arg);
	if (is_long)
		return opt_bad(p, "unknown option '%.*s'", (int)n, arg);
	return opt_bad(p, "unknown option '-%c'", optopt);
}

int opt_next(const struct opt_prog *p, int argc, char **argv)
{
	struct option lo[OPT_MAX + 1];
	char so[3 * OPT_MAX + 3];
	int c, at;

	make_tables(p, lo, so);
	opterr = 0;
	at = optind ? optind : 1;
	c = getopt_long(argc, argv, so, lo, NULL);
	switch (c) {
	case 'h':
		opt_help(p, stdout);
		return OPT_DONE;
	case 'V':
		printf("%s %s\n", p->name, NERPIPE_VERSION);
		return OPT_DONE;
	case '?':
	case ':':
		return bad_option(p, c, optind > at ? argv[optind - 1] :
				  at < argc ? argv[at] : NULL);
	default:
		return c;
	}
}

/* "  -x, --name ARG" for o, in out (room for 64 bytes). */
static size_t left_part(const struct opt *o, char *out)
{
	int n;

	if (o->key < OPT_LONG)
		n = snprintf(out, 64, "  -%c, --%s%s%s", o->key, o->name,
			     o->arg ? " " : "", o->arg ? o->arg : "");
	else
		n = snprintf(out, 64, "      --%s%s%s", o->name,
			     o->arg ? " " : "", o->arg ? o->arg : "");
	return n < 0 ? 0 : n > 63 ? 63 : (size_t)n;
}

/* The help text starts in this column, unless the option and its value
 * are wider: then it starts on the next line. */
#define HELP_COLUMN_MAX 24

static void put_opt(const struct opt *o, size_t col, FILE *fp)
{
	char left[64];
	size_t n = left_part(o, left);
	const char *h = o->help;

	fputs(left, fp);
	if (n + 1 > col) {
		fputc('\n', fp);
		n = 0;
	}
	for (;;) {
		size_t len = strcspn(h, "\n");

		fprintf(fp, "%*s%.*s\n", (int)(col - n), "", (int)len, h);
		if (!h[len])
			break;
		h += len + 1;
		n = 0;
	}
}

void opt_help(const struct opt_prog *p, FILE *fp)
{
	size_t n = count_opts(p), col = 0;
	char left[64];

	for (size_t i = 0; i < n + 2; i++) {
		size_t w = left_part(i < n ? &p->opts[i] : &common[i - n], left);

		if (w <= HELP_COLUMN_MAX && w > col)
			col = w;
	}
	col += 2;
	fprintf(fp, "usage: %s %s\n%s\noptions:\n", p->name, p->usage, p->about);
	for (size_t i = 0; i < n + 2; i++)
		put_opt(i < n ? &p->opts[i] : &common[i - n], col, fp);
	if (p->footer)
		fprintf(fp, "\n%s", p->footer);
}

long opt_parse_count(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0)
		return -1;
	return v;
}
