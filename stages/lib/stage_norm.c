/* stage_norm.c - ner-norm: plain-text files (or a stream) in, clean documents out. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "buf.h"
#include "diag.h"
#include "stage.h"
#include "stream.h"
#include "strmap.h"
#include "utf.h"

/* Enough to locate a problem; a binary file would otherwise print
 * thousands of lines. */
#define MAX_WARNINGS 10

struct norm {
	const char *stdin_id;
	int quiet;
	struct buf raw, clean;
	struct strmap ids;	/* the ids of the files read so far */
};

struct bad_ctx {
	const struct norm *n;
	const char *name;
	size_t count;
};

static void on_bad(size_t offset, const char *what, void *arg)
{
	struct bad_ctx *b = arg;

	if (!b->n->quiet && b->count < MAX_WARNINGS)
		diag_warn("%s: byte %zu: %s, replaced by U+FFFD", b->name,
			  offset, what);
	b->count++;
}

static void report_bad(const struct bad_ctx *b)
{
	if (!b->n->quiet && b->count > MAX_WARNINGS)
		diag_warn("%s: %zu more bad bytes replaced", b->name,
			  b->count - MAX_WARNINGS);
}

/* Split clean text into #text chunks, one per line. */
static void add_lines(struct doc *d, const char *s, size_t n)
{
	while (n > 0) {
		const char *nl = memchr(s, '\n', n);
		size_t len = nl ? (size_t)(nl - s) + 1 : n;

		doc_add_text(d, s, len);
		s += len;
		n -= len;
	}
}

/* The document id of a file: its name without directory and .txt. */
static char *file_id(const char *path)
{
	char *copy = xstrdup(path), *id;
	size_t n = strlen(copy);

	while (n > 1 && copy[n - 1] == '/')
		copy[--n] = '\0';
	const char *base = strrchr(copy, '/');
	id = xstrdup(base && base[1] ? base + 1 : copy);
	free(copy);
	n = strlen(id);
	if (n > 4 && strcmp(id + n - 4, ".txt") == 0)
		id[n - 4] = '\0';
	/* An id has no TAB or newline (ner-stream(5)). */
	for (char *c = id; *c; c++)
		if (*c == '\t' || *c == '\n' || *c == '\r')
			*c = '_';
	return id;
}

/* Make id, a file's id, unique among the files this run has read: two
 * files of one name in different folders (x/news.txt, y/news.txt) would
 * otherwise be one document downstream.  The later one takes its path
 * without .txt as id, then "~2", "~3"... after it, with a warning.
 * Returns id or a new string that replaces it (id is freed then). */
static char *unique_id(struct norm *nm, char *id, const char *path)
{
	size_t seen;

	if (strmap_get(&nm->ids, id, &seen)) {
		struct buf b = BUF_INIT;
		size_t n = strlen(path);

		if (n > 4 && strcmp(path + n - 4, ".txt") == 0)
			n -= 4;
		buf_put(&b, path, n);
		for (size_t k = 2; strmap_get(&nm->ids, b.s, &seen); k++) {
			buf_reset(&b);
			buf_printf(&b, "%.*s~%zu", (int)n, path, k);
		}
		for (char *c = b.s; *c; c++)
			if (*c == '\t' || *c == '\n' || *c == '\r')
				*c = '_';
		diag_warn("%s: document id '%s' is taken by an earlier file; "
			  "this one is '%s'", path, id, b.s);
		free(id);
		id = b.s;
	}
	strmap_put(&nm->ids, id, 1);
	return id;
}

static void make_doc(struct norm *nm, struct doc *d, const char *id,
		     const char *path, const char *name)
{
	struct bad_ctx b = { nm, name, 0 };

	doc_clear(d);
	doc_set_id(d, id);
	if (path)
		doc_add_meta(d, "file", path);
	buf_reset(&nm->clean);
	utf_repair(&nm->clean, nm->raw.s ? nm->raw.s : "", nm->raw.len, 1,
		   on_bad, &b);
	report_bad(&b);
	add_lines(d, nm->clean.s ? nm->clean.s : "", nm->clean.len);
}

struct restream {
	struct norm *nm;
	stage_doc_fn *emit;
	void *arg;
	const char *name;
};

/* A document that arrived as a stream: repair its text chunks. */
static int repair_doc(struct doc *d, void *arg)
{
	struct restream *rs = arg;
	struct norm *nm = rs->nm;
	struct bad_ctx b = { nm, rs->name, 0 };
	int first = 1;

	for (size_t i = 0; i < d->nlines; i++) {
		struct dline *l = &d->lines[i];

		if (l->kind != DL_TEXT)
			continue;
		buf_reset(&nm->clean);
		utf_repair(&nm->clean, l->a, strlen(l->a), first, on_bad, &b);
		first = 0;
		l->a = doc_strndup(d, nm->clean.s ? nm->clean.s : "",
				   nm->clean.len);
	}
	report_bad(&b);
	return rs->emit(d, rs->arg);
}

static int from_stdin(struct norm *nm, struct doc *d, stage_doc_fn *emit,
		      void *arg)
{
	struct stream_reader r;
	ssize_t n;
	int st;

	stream_reader_init(&r, stdin, "<stdin>");
	n = buf_getline(&nm->raw, stdin);
	if (n < 0) {
		diag_warn("<stdin>:");
		stream_reader_free(&r);
		return EX_IOERR;
	}
	if (n > 5 && strncmp(nm->raw.s, "#doc\t", 5) == 0) {
		struct restream rs = { nm, emit, arg, "<stdin>" };

		stream_reader_unread(&r, nm->raw.s, nm->raw.len);
		st = stage_read_reader(&r, d, repair_doc, &rs);
		stream_reader_free(&r);
		return st;
	}
	stream_reader_free(&r);
	if (buf_slurp(&nm->raw, stdin) < 0) {
		diag_warn("<stdin>:");
		return EX_IOERR;
	}
	make_doc(nm, d, nm->stdin_id, NULL, "<stdin>");
	return emit(d, arg);
}

/* A file that cannot be read still gives a document, marked with the
 * error, so that nothing downstream loses track of it. */
static int from_file(struct norm *nm, const char *path, struct doc *d,
		     stage_doc_fn *emit, void *arg)
{
	FILE *fp = fopen(path, "rb");
	char *id = unique_id(nm, file_id(path), path);
	int st = EX_OK, est;

	buf_reset(&nm->raw);
	if (!fp || buf_slurp(&nm->raw, fp) < 0) {
		diag_warn("%s:", path);
		doc_clear(d);
		doc_set_id(d, id);
		doc_add_meta(d, "file", path);
		doc_add_meta(d, "error", "cannot read file");
		st = EX_NOINPUT;
	} else {
		make_doc(nm, d, id, path, path);
	}
	if (fp)
		fclose(fp);
	free(id);
	est = emit(d, arg);
	return est != EX_OK ? est : st;
}

static int norm_source(void *state, const char *path, struct doc *d,
		       stage_doc_fn *emit, void *arg)
{
	if (strcmp(path, "-") == 0)
		return from_stdin(state, d, emit, arg);
	return from_file(state, path, d, emit, arg);
}

static int norm_init(int argc, char **argv, int *argind, void **state)
{
	static const struct option longopts[] = {
		{ "id", required_argument, NULL, 'i' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct norm *nm = xcalloc(1, sizeof(*nm));
	int c;

	nm->stdin_id = "stdin";
	optind = 1;
	while ((c = getopt_long(argc, argv, "+i:qhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (!*optarg || strpbrk(optarg, "\t\n")) {
				diag_warn("--id: an id is not empty and has no TAB or newline");
				free(nm);
				return EX_USAGE;
			}
			nm->stdin_id = optarg;
			break;
		case 'q':
			nm->quiet = 1;
			break;
		default:
			free(nm);
			return stage_common_option(&stage_norm, c);
		}
	}
	*argind = optind;
	*state = nm;
	return EX_OK;
}

static int norm_run(void *state, struct doc *d, FILE *out)
{
	(void)state;
	(void)d;
	(void)out;
	return EX_OK;
}

static void norm_free(void *state)
{
	struct norm *nm = state;

	if (!nm)
		return;
	buf_free(&nm->raw);
	buf_free(&nm->clean);
	strmap_free(&nm->ids);
	free(nm);
}

const struct stage_ops stage_norm = {
	.name = "ner-norm",
	.summary = "Read plain-text articles (or a document stream) and write "
		   "clean UTF-8 documents.",
	.args = "[FILE.txt...]",
	.options = "  -i, --id ID      document id for standard input (default stdin)\n"
		   "  -q, --quiet      do not warn about repaired bytes\n",
	.init = norm_init,
	.run = norm_run,
	.free = norm_free,
	.source = norm_source,
};
