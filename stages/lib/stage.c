/* stage.c - running a stage module as a filter over a document stream. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "gaz.h"
#include "stage.h"
#include "stream.h"

#ifndef NERPIPE_DATADIR
#define NERPIPE_DATADIR "/usr/local/share/nerpipe"
#endif

const struct stage_ops *const stage_registry[] = {
	&stage_norm, &stage_tok, &stage_gaz, &stage_rules, &stage_tsv, &stage_link,
	&stage_html, &stage_db,
	NULL,
};

const struct stage_ops *stage_find(const char *name)
{
	for (size_t i = 0; stage_registry[i]; i++)
		if (strcmp(stage_registry[i]->name, name) == 0)
			return stage_registry[i];
	return NULL;
}

int stage_read_reader(struct stream_reader *r, struct doc *d,
		      stage_doc_fn *fn, void *arg)
{
	int st, ret = EX_OK;

	while ((st = stream_read(r, d)) > 0) {
		/* A truncated document is still passed on, marked so that
		 * later stages know it, then reported. */
		if (r->truncated)
			doc_add_meta(d, "error", "truncated stream");
		if ((ret = fn(d, arg)) != EX_OK)
			return ret;
		if (r->truncated) {
			diag_warn("%s", r->err);
			return EX_DATAERR;
		}
	}
	if (st < 0) {
		diag_warn("%s", r->err);
		return r->ioerr ? EX_IOERR : EX_DATAERR;
	}
	return EX_OK;
}

int stage_read_stream(FILE *in, const char *name, struct doc *d,
		      stage_doc_fn *fn, void *arg)
{
	struct stream_reader r;
	int ret;

	stream_reader_init(&r, in, name);
	ret = stage_read_reader(&r, d, fn, arg);
	stream_reader_free(&r);
	return ret;
}

struct filter_ctx {
	const struct stage_ops *ops;
	void *state;
	FILE *out;
	int werrno;		/* errno of the first failed write */
};

static int filter_doc(struct doc *d, void *arg)
{
	struct filter_ctx *c = arg;
	int st = c->ops->run(c->state, d, c->out);

	if (st != EX_OK)
		return st;
	if (!c->ops->tail)
		stream_write(c->out, d);
	if (ferror(c->out)) {
		c->werrno = errno;
		return EX_IOERR;
	}
	return EX_OK;
}

static int filter_file(struct filter_ctx *c, const char *path, struct doc *d)
{
	if (c->ops->source)
		return c->ops->source(c->state, path, d, filter_doc, c);
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	int st;

	if (!in) {
		diag_warn("%s:", path);
		return EX_NOINPUT;
	}
	st = stage_read_stream(in, in == stdin ? "<stdin>" : path, d,
			       filter_doc, c);
	if (in != stdin)
		fclose(in);
	return st;
}

int stage_main(const struct stage_ops *ops, int argc, char **argv)
{
	struct filter_ctx c = { ops, NULL, stdout, 0 };
	struct doc *d;
	int argind = 1, st;

	diag_init(argv[0]);
	diag_ignore_sigpipe();
	st = ops->init(argc, argv, &argind, &c.state);
	if (st == STAGE_DONE)
		return diag_close_output(stdout, "<stdout>");
	if (st != EX_OK)
		return st;
	d = doc_new();
	if (argind >= argc)
		st = filter_file(&c, "-", d);
	/* An unreadable file is reported and the others still run. */
	for (int i = argind; i < argc && (st == EX_OK || st == EX_NOINPUT); i++) {
		int fst = filter_file(&c, argv[i], d);

		if (fst != EX_OK && st == EX_OK)
			st = fst;
		else if (fst != EX_OK && fst != EX_NOINPUT)
			st = fst;
	}
	if (ops->finish) {
		int fst = ops->finish(c.state, stdout, st);

		if (fst != EX_OK && (st == EX_OK || st == EX_NOINPUT))
			st = fst;
	}
	doc_free(d);
	ops->free(c.state);
	if (st == EX_IOERR && c.werrno == EPIPE) {
		fclose(stdout);
		return EX_OK;	/* the reader left: stop quietly */
	}
	if (st == EX_IOERR && c.werrno) {
		errno = c.werrno;
		diag_warn("<stdout>: write error:");
		fclose(stdout);	/* said once: not again on closing */
		return st;
	}
	int cst = diag_close_output(stdout, "<stdout>");
	return st != EX_OK ? st : cst;
}

static char *exe_dir_path(const char *rel)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	size_t len = strlen(exe) + strlen(rel) + 2;
	char *p = xmalloc(len);
	snprintf(p, len, "%s/%s", exe, rel);
	return p;
}

static char *join(const char *dir, const char *name)
{
	size_t len = strlen(dir) + strlen(name) + 2;
	char *p = xmalloc(len);

	snprintf(p, len, "%s/%s", dir, name);
	return p;
}

char *stage_data_path(const char *name)
{
	const char *env = getenv("NERPIPE_DATA");
	char *dirs[3] = { NULL, NULL, NULL };
	char *found = NULL;

	if (strchr(name, '/'))
		return xstrdup(name);
	dirs[0] = env && *env ? xstrdup(env) : NULL;
	dirs[1] = exe_dir_path("../gazetteers");
	dirs[2] = xstrdup(NERPIPE_DATADIR);
	for (int i = 0; i < 3 && !found; i++) {
		if (!dirs[i])
			continue;
		char *p = join(dirs[i], name);
		if (access(p, F_OK) == 0)
			found = p;
		else
			free(p);
	}
	for (int i = 0; i < 3; i++)
		free(dirs[i]);
	return found ? found : xstrdup(name);
}

unsigned stage_gaz_flags(void)
{
	const char *env = getenv("NERPIPE_GAZ_VERIFY");

	return env && *env && strcmp(env, "0") != 0 ? GAZ_VERIFY : 0;
}

int stage_common_option(const struct stage_ops *ops, int c)
{
	switch (c) {
	case 'h':
		printf("usage: %s [options] %s\n%s\n\noptions:\n%s"
		       "  -h, --help       show this help and exit\n"
		       "  -V, --version    show the version and exit\n"
		       "\nSee %s(1).\n", ops->name, ops->args, ops->summary,
		       ops->options, ops->name);
		return STAGE_DONE;
	case 'V':
		printf("%s %s\n", ops->name, NERPIPE_VERSION);
		return STAGE_DONE;
	default:
		fprintf(stderr, "Try '%s --help'.\n", ops->name);
		return EX_USAGE;
	}
}

long stage_parse_count(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0)
		return -1;
	return v;
}

int stage_load_file(const char *path, stage_load_fn *load, void *arg)
{
	char err[512];
	int in = strcmp(path, "-") == 0;
	FILE *fp = in ? stdin : fopen(path, "r");
	int ret;

	if (!fp) {
		diag_warn("%s:", path);
		return EX_NOINPUT;
	}
	struct stat st;

	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		diag_warn("%s: is a directory", in ? "stdin" : path);
		if (!in)
			fclose(fp);
		return EX_NOINPUT;
	}
	ret = load(fp, in ? "stdin" : path, arg, err, sizeof(err));
	if (!in)
		fclose(fp);
	if (ret < 0) {
		diag_warn("%s", err);
		return EX_DATAERR;
	}
	return EX_OK;
}
