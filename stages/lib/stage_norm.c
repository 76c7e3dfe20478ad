/* stage_norm.c - ner-norm: plain-text files (or a stream) in, clean documents out. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <json.h>

#include "alloc.h"
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
	int jsonl;		/* inputs are JSON Lines, a document a line */
	struct buf line;
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
	size_t seen, n = strlen(path);

	if (!strmap_get(&nm->ids, id, &seen)) {
		strmap_put(&nm->ids, id, 1);
		return id;
	}
	if (n > 4 && strcmp(path + n - 4, ".txt") == 0)
		n -= 4;
	char *alt = doc_id_take(&nm->ids, path, n);

	diag_warn("%s: document id '%s' is taken by an earlier file; "
		  "this one is '%s'", path, id, alt);
	free(id);
	return alt;
}

/* Free a buffer that one large input left large. */
static void trim_buf(struct buf *b)
{
	if (b->cap > DOC_KEEP_BYTES)
		buf_free(b);
}

/* Add s[0..n) to d as its text, repaired, a #text chunk a line (d takes
 * the repaired bytes as they are); name is for the warnings.  Returns
 * EX_OK, or EX_DATAERR for a text too large for a document, which is
 * then left out and said in #meta error. */
static int add_text(struct norm *nm, struct doc *d, const char *s, size_t n,
		    const char *name)
{
	struct bad_ctx b = { nm, name, 0 };
	int st = EX_OK;

	buf_reset(&nm->clean);
	utf_repair(&nm->clean, s, n, 1, on_bad, &b);
	report_bad(&b);
	trim_buf(&nm->raw);
	if (doc_add_text_lines(d, &nm->clean) < 0) {
		diag_warn("%s: text larger than the 4 GiB a document may be",
			  name);
		doc_add_meta(d, "error", "text too large");
		st = EX_DATAERR;
	}
	trim_buf(&nm->clean);
	return st;
}

static int make_doc(struct norm *nm, struct doc *d, const char *id,
		    const char *path, const char *name)
{
	doc_clear(d);
	doc_set_id(d, id);
	if (path)
		doc_add_meta(d, "file", path);
	return add_text(nm, d, nm->raw.s ? nm->raw.s : "", nm->raw.len, name);
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
		const char *s;
		size_t n;

		if (d->lines[i].kind != DL_TEXT)
			continue;
		s = doc_line_text(d, &d->lines[i], &n);
		buf_reset(&nm->clean);
		utf_repair(&nm->clean, s, n, first, on_bad, &b);
		first = 0;
		if (doc_set_line_text(d, i, nm->clean.s ? nm->clean.s : "",
				      nm->clean.len) < 0) {
			diag_warn("%s: document '%s' is too large", rs->name, d->id);
			return EX_DATAERR;
		}
	}
	report_bad(&b);
	return rs->emit(d, rs->arg);
}

/* --- JSON Lines: {"id": ..., "text": ..., "url", "title", "date"} -------- */

/* A record that is not a usable document still gives one, with no text
 * and the reason in #meta error, so that it is not lost downstream. */
static void bad_record(struct doc *d, const char *name, size_t lineno,
		       const char *id, const char *why)
{
	char fallback[64];

	if (!id) {
		snprintf(fallback, sizeof(fallback), "line-%zu", lineno);
		id = fallback;
	}
	diag_warn("%s:%zu: %s", name, lineno, why);
	doc_clear(d);
	doc_set_id(d, id);
	doc_add_meta(d, "error", why);
}

/* The id member as a string: a JSON string, or an integer written out;
 * NULL if absent or of another type, or unusable as an id. */
static const char *record_id(json_object *o, char *num, size_t numlen)
{
	json_object *v;
	const char *id;

	if (!json_object_object_get_ex(o, "id", &v))
		return NULL;
	if (json_object_is_type(v, json_type_int)) {
		int64_t n = json_object_get_int64(v);

		/* json-c clamps what does not fit: two ids would be one. */
		if (n == INT64_MAX || n == INT64_MIN)
			return NULL;
		snprintf(num, numlen, "%lld", (long long)n);
		return num;
	}
	if (!json_object_is_type(v, json_type_string))
		return NULL;
	id = json_object_get_string(v);
	if (!*id || strlen(id) != (size_t)json_object_get_string_len(v) ||
	    strpbrk(id, "\t\n\r"))
		return NULL;
	return id;
}

/* Make d from the record o (line lineno of name).  Returns EX_OK, or
 * EX_DATAERR for a record that gave only an error document. */
static int record_doc(struct norm *nm, json_object *o, const char *name,
		      size_t lineno, struct doc *d)
{
	static const char *const keys[] = { "url", "title", "date" };
	char num[32], where[256];
	const char *id;
	json_object *text;

	if (!json_object_is_type(o, json_type_object)) {
		bad_record(d, name, lineno, NULL, "not a JSON object");
		return EX_DATAERR;
	}
	if (!(id = record_id(o, num, sizeof(num)))) {
		bad_record(d, name, lineno, NULL,
			   "no \"id\" (a non-empty string without TAB or "
			   "newline, or an integer)");
		return EX_DATAERR;
	}
	if (!json_object_object_get_ex(o, "text", &text) ||
	    !json_object_is_type(text, json_type_string)) {
		bad_record(d, name, lineno, id, "no \"text\" string");
		return EX_DATAERR;
	}
	doc_clear(d);
	doc_set_id(d, id);
	for (size_t k = 0; k < sizeof(keys) / sizeof(*keys); k++) {
		json_object *v;

		if (json_object_object_get_ex(o, keys[k], &v) &&
		    json_object_is_type(v, json_type_string))
			doc_add_meta(d, keys[k], json_object_get_string(v));
	}
	snprintf(where, sizeof(where), "%.200s:%zu", name, lineno);
	return add_text(nm, d, json_object_get_string(text),
			(size_t)json_object_get_string_len(text), where);
}

/* Two records of one id would be one document downstream: the later
 * one becomes ID~2, ID~3, ... with a warning, as files do. */
static void unique_record_id(struct norm *nm, struct doc *d, const char *name,
			     size_t lineno)
{
	char *id = doc_id_take(&nm->ids, d->id, strlen(d->id));

	if (strcmp(id, d->id) != 0) {
		diag_warn("%s:%zu: document id '%s' is taken by an earlier "
			  "record; this one is '%s'", name, lineno, d->id, id);
		doc_set_id(d, id);
	}
	free(id);
}

/* Read fp as JSON Lines, a document a line; blank lines are skipped. */
static int from_jsonl(struct norm *nm, FILE *fp, const char *name,
		      struct doc *d, stage_doc_fn *emit, void *arg)
{
	/* Strict JSON (no 007, no trailing commas), nested as deep as a
	 * record may need. */
	json_tokener *tok = json_tokener_new_ex(1000);
	size_t lineno = 0;
	ssize_t n;
	int st = EX_OK;

	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	while ((n = buf_getline(&nm->line, fp)) > 0) {
		const char *s = nm->line.s;
		json_object *o;
		int rst;

		/* A byte-order mark before the first record, as in text. */
		if (++lineno == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
			s += 3;
			n -= 3;
		}
		if (strspn(s, " \t\r\n") == (size_t)n)
			continue;
		json_tokener_reset(tok);
		o = json_tokener_parse_ex(tok, s, (int)n);
		if (!o || json_tokener_get_error(tok) != json_tokener_success ||
		    strspn(s + json_tokener_get_parse_end(tok), " \t\r\n") !=
			    (size_t)n - json_tokener_get_parse_end(tok)) {
			char why[160];

			enum json_tokener_error e = json_tokener_get_error(tok);

			snprintf(why, sizeof(why), "not one JSON value: %s",
				 o ? "text after it" :
				 e == json_tokener_continue ? "it ends too early" :
				 json_tokener_error_desc(e));
			bad_record(d, name, lineno, NULL, why);
			rst = EX_DATAERR;
		} else {
			rst = record_doc(nm, o, name, lineno, d);
		}
		json_object_put(o);
		trim_buf(&nm->line);
		unique_record_id(nm, d, name, lineno);
		if (rst != EX_OK)
			st = rst;
		int est = emit(d, arg);

		if (est != EX_OK) {
			st = est;
			break;
		}
	}
	if (n < 0) {
		diag_warn("%s: read error:", name);
		st = EX_IOERR;
	}
	json_tokener_free(tok);
	return st;
}

static int from_stdin(struct norm *nm, struct doc *d, stage_doc_fn *emit,
		      void *arg)
{
	struct stream_reader r;
	ssize_t n;
	int st;

	if (nm->jsonl)
		return from_jsonl(nm, stdin, "<stdin>", d, emit, arg);
	stream_reader_init(&r, stdin, "<stdin>");
	r.repair_utf8 = 1;	/* repair_doc does */
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
		if (st < 0) {
			diag_warn("%s", r.err.msg);
			st = r.err.code;
		}
		stream_reader_free(&r);
		return st;
	}
	stream_reader_free(&r);
	if (buf_slurp(&nm->raw, stdin) < 0) {
		diag_warn("<stdin>:");
		return EX_IOERR;
	}
	st = make_doc(nm, d, nm->stdin_id, NULL, "<stdin>");
	int est = emit(d, arg);

	return est != EX_OK ? est : st;
}

/* A file that cannot be read still gives a document, marked with the
 * error, so that nothing downstream loses track of it. */
static int from_file(struct norm *nm, const char *path, struct doc *d,
		     stage_doc_fn *emit, void *arg)
{
	FILE *fp = fopen(path, "rb");
	char *id;
	int st = EX_OK, est;

	if (nm->jsonl) {
		if (!fp) {
			diag_warn("%s:", path);
			return EX_NOINPUT;
		}
		st = from_jsonl(nm, fp, path, d, emit, arg);
		fclose(fp);
		return st;
	}
	id = unique_id(nm, file_id(path), path);

	buf_reset(&nm->raw);
	if (!fp || buf_slurp(&nm->raw, fp) < 0) {
		diag_warn("%s:", path);
		doc_clear(d);
		doc_set_id(d, id);
		doc_add_meta(d, "file", path);
		doc_add_meta(d, "error", "cannot read file");
		st = EX_NOINPUT;
	} else {
		st = make_doc(nm, d, id, path, path);
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
	struct norm *nm = xcalloc(1, sizeof(*nm));
	int c;

	nm->stdin_id = "stdin";
	opt_start();
	while ((c = opt_next(&stage_norm.cli, argc, argv)) != -1) {
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
		case 'j':
			nm->jsonl = 1;
			break;
		default:
			free(nm);
			return stage_opt_status(c);
		}
	}
	*argind = optind;
	*state = nm;
	return EX_OK;
}

static void norm_free(void *state)
{
	struct norm *nm = state;

	if (!nm)
		return;
	buf_free(&nm->raw);
	buf_free(&nm->clean);
	buf_free(&nm->line);
	strmap_free(&nm->ids);
	free(nm);
}

static const struct opt norm_opts[] = {
	{ "id", 'i', "ID", "document id for standard input (default stdin)" },
	{ "jsonl", 'j', NULL, "read JSON Lines: a document a line, with\n"
			      "\"id\", \"text\" and optional \"url\", \"title\", \"date\"" },
	{ "quiet", 'q', NULL, "do not warn about repaired bytes" },
	{ NULL, 0, NULL, NULL },
};

const struct stage_ops stage_norm = {
	.cli = {
		.name = "ner-norm",
		.usage = "[options] [FILE.txt... | --jsonl [FILE.jsonl...]]",
		.about = "Read plain-text articles (or a document stream) and write\n"
			 "clean UTF-8 documents.\n",
		.opts = norm_opts,
		.footer = "See ner-norm(1).\n",
		.in_order = 1,
	},
	.init = norm_init,
	.free = norm_free,
	.source = norm_source,
};
