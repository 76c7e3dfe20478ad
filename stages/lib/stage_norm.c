/* stage_norm.c - ner-norm: plain-text files (or a stream) in, clean documents out. */
#include <errno.h>
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
#include "tokenize.h"
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
	size_t part_size;	/* bytes of text in a part at most */
	struct buf pend;	/* repaired text not yet in a part */
	struct doc *scratch;	/* for tokenize_cut_at, once a text is cut */
};

/* Text is read this many bytes at a time. */
#define READ_CHUNK (64u << 10)
#define PART_SIZE_MAX (1u << 30)
/* How far before the last good white space a part's end looks for a
 * sentence end. */
#define SENTENCE_REACH (16u << 10)

struct bad_ctx {
	const struct norm *n;
	const char *name;
	size_t count;
	size_t base;		/* input bytes before the piece repaired */
};

static void on_bad(size_t offset, const char *what, void *arg)
{
	struct bad_ctx *b = arg;

	if (!b->n->quiet && b->count < MAX_WARNINGS)
		diag_warn("%s: byte %zu: %s, replaced by U+FFFD", b->name,
			  b->base + offset, what);
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

/* --- long documents, in parts (ner-stream(5), "Parts") ------------------ */

/* A document on its way out: what each later part repeats, and how far
 * the text has gone.  The text waits in nm->pend, repaired. */
struct parts {
	struct norm *nm;
	struct doc *d;
	stage_doc_fn *emit;
	void *arg;
	char *id;		/* the id, once a first part was cut */
	char **meta;		/* then its #meta keys and values, in turn */
	size_t nmeta;
	const char *error;	/* a #meta error for the last part, or NULL */
	size_t off;		/* bytes of nm->pend handed on */
	size_t n;		/* parts handed on */
	uint64_t cps;		/* code points in them */
	int sentence;		/* the next part starts after a sentence end */
};

/* Start p for d, which holds the document's id and #meta lines. */
static void parts_begin(struct parts *p, struct norm *nm, struct doc *d,
			stage_doc_fn *emit, void *arg)
{
	memset(p, 0, sizeof(*p));
	p->nm = nm;
	p->d = d;
	p->emit = emit;
	p->arg = arg;
}

static void parts_end(struct parts *p)
{
	for (size_t k = 0; k < p->nmeta; k++)
		free(p->meta[k]);
	free(p->meta);
	free(p->id);
	trim_buf(&p->nm->pend);
	trim_buf(&p->nm->clean);
}

/* Keep d's id and #meta lines for the parts after the first. */
static void keep_head(struct parts *p)
{
	const struct doc *d = p->d;

	p->id = xstrdup(d->id);
	p->meta = xcalloc(2 * d->nlines + 1, sizeof(*p->meta));
	for (size_t k = 0; k < d->nlines; k++)
		if (d->lines[k].kind == DL_META) {
			p->meta[p->nmeta++] = xstrdup(doc_line_key(&d->lines[k]));
			p->meta[p->nmeta++] = xstrdup(doc_line_value(&d->lines[k]));
		}
}

/* Hand on the next len bytes of the text as a part, the last one if
 * last is set; a document that is one part is handed on as it is. */
static int emit_part(struct parts *p, size_t len, int last)
{
	struct norm *nm = p->nm;
	struct doc *d = p->d;
	/* An input of nothing but bytes that were dropped leaves pend
	 * without a buffer (NULL + 0 is undefined). */
	const char *s = nm->pend.s ? nm->pend.s + p->off : "";
	char num[32];
	int st = EX_OK, est;

	if (p->n == 0 && !last)
		keep_head(p);
	if (p->n > 0) {
		doc_clear(d);
		doc_set_id(d, p->id);
		for (size_t k = 0; k + 1 < p->nmeta; k += 2)
			doc_add_meta(d, p->meta[k], p->meta[k + 1]);
	}
	if (p->n > 0 || !last) {
		snprintf(num, sizeof(num), "%zu", p->n + 1);
		doc_add_meta(d, "part", num);
	}
	if (p->n > 0) {
		snprintf(num, sizeof(num), "%llu", (unsigned long long)p->cps);
		doc_add_meta(d, "part_start", num);
		if (p->sentence)
			doc_add_meta(d, "part_sentence", "1");
	}
	if (last && p->error)
		doc_add_meta(d, "error", p->error);
	if (!last)	/* counted only for the parts after it */
		p->cps += utf_count(s, len);
	if (p->off == 0 && len == nm->pend.len) {
		st = doc_add_text_lines(d, &nm->pend);
	} else {
		buf_reset(&nm->clean);
		buf_put(&nm->clean, s, len);
		p->off += len;
		st = doc_add_text_lines(d, &nm->clean);
	}
	if (st < 0) {
		diag_warn("%s: text larger than the 4 GiB a document may be",
			  d->id);
		doc_add_meta(d, "error", "text too large");
		st = EX_DATAERR;
	}
	p->n++;
	est = p->emit(d, p->arg);
	return est != EX_OK ? est : st;
}

/* Is s[at] (at > 0) the first byte of a run of white space, after a
 * character that is none? */
static int space_run_at(const char *s, size_t at)
{
	unsigned char c = (unsigned char)s[at];
	size_t k = at - 1;
	int32_t cp;

	if (c != ' ' && !(c >= '\t' && c <= '\r'))
		return 0;
	while (k > 0 && at - k < 4 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	return utf_decode(s + k, at - k, &cp) < 0 || !utf_is_space(cp);
}

/* The newlines, up to 2, in the white space at s[at..n); *end is where
 * it stops.  -1 if it runs to n while more text may follow. */
static int run_newlines(const char *s, size_t n, size_t at, int more,
			size_t *end)
{
	int nl = 0, l;
	int32_t cp;

	while (at < n && nl < 2) {
		l = utf_decode(s + at, n - at, &cp);
		if (l < 0 || !utf_is_space(cp))
			break;
		nl += cp == '\n';
		at += (size_t)l;
	}
	*end = at;
	return at == n && more && nl < 2 ? -1 : nl;
}

static int line_width(const char *s, size_t a, size_t b)
{
	return tokenize_line_width(s + a, b - a);
}

/* Is the single line break in the white space s[at..end) one that
 * ner-tok could take for a wrap and join?  ls is where the line before
 * starts, SIZE_MAX if before s.  Only lines of a width that is never
 * joined say no. */
static int may_join(const char *s, size_t n, size_t at, size_t end, size_t ls)
{
	const char *nl = memchr(s + end, '\n', n - end);
	int before = line_width(s, ls == SIZE_MAX ? 0 : ls, at);

	if (before == TOKENIZE_WIDE ||
	    (before == TOKENIZE_NARROW && ls != SIZE_MAX))
		return 0;
	return line_width(s, end, nl ? (size_t)(nl - s) : n) != TOKENIZE_WIDE;
}

/* Can the line [ls, next_nl) be cut at the white space at?  Only if the
 * pieces before and after are so wide that no wrap is looked for
 * around them (a line that starts before s has none before it, one
 * that ends the document none after it). */
static int wide_around(const char *s, size_t n, size_t at, size_t ls,
		       size_t next_nl, int more)
{
	if (ls != SIZE_MAX && line_width(s, ls, at) != TOKENIZE_WIDE)
		return 0;
	return (next_nl == n && !more) ||
	       line_width(s, at, next_nl) == TOKENIZE_WIDE;
}

/* Ask the tokenizer about a cut at the white space at: 1 after a
 * sentence end, 0 after another token, -1 if the tokens before it would
 * change.  The run of text before at is looked at, up to 1 KiB. */
static int cut_after_token(struct doc *scratch, const char *s, size_t n,
			   size_t at)
{
	size_t rs = at;

	while (rs > 0 && at - rs < 1024 && (unsigned char)s[rs - 1] > ' ')
		rs--;
	if (rs > 0 && (unsigned char)s[rs - 1] > ' ')
		return -1;
	return tokenize_cut_at(scratch, s + rs, n - rs, at - rs);
}

/* The start of the white space that s[at] is in. */
static size_t space_start(const char *s, size_t at)
{
	while (at > 0) {
		size_t k = at - 1;
		int32_t cp;

		while (k > 0 && at - k < 4 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--;
		if (utf_decode(s + k, at - k, &cp) < 0 || !utf_is_space(cp))
			break;
		at = k;
	}
	return at;
}

/* The last paragraph end in s[lo..hi], lo > 0: the start of white
 * space that holds two newlines; 0 if there is none. */
static size_t paragraph_end(const char *s, size_t n, size_t lo, size_t hi,
			    int more)
{
	size_t end;

	for (size_t at = hi; at >= lo; at--) {
		if (s[at] != '\n')
			continue;
		at = space_start(s, at);
		if (at >= lo && run_newlines(s, n, at, more, &end) == 2)
			return at;
		if (at == 0)
			break;
	}
	return 0;
}

/* Where the line holding s[at] starts: after the last newline before
 * it, SIZE_MAX if there is none in s. */
static size_t line_start(const char *s, size_t at)
{
	while (at > 0 && s[at - 1] != '\n')
		at--;
	return at > 0 ? at : SIZE_MAX;
}

/* Where to end a part of s[0..n), n > size: at most size bytes, at
 * least half of it when it can.  The last paragraph end (a line break
 * and a blank line) if there is one, else the last sentence end or line
 * break, else the last white space, each where ner-tok splits the text
 * the same in parts as whole (tokenize_cut_at, tokenize_line_width);
 * else the last white space where a wrapped line may be taken for two,
 * else any code point boundary, which may split a token.  Each part but the first starts with the white space.  Sets
 * *sentence if the tokens before the cut end a sentence. */
static size_t find_cut(struct doc *scratch, const char *s, size_t n,
		       size_t size, int more, int *sentence)
{
	size_t lo = size / 2 ? size / 2 : 1, sent_at = 0, space_at = 0;
	size_t loose_at = 0, at, end;
	int space_sent = 0, sent_sent = 0, loose_sent = 0;
	const char *q = memchr(s + size, '\n', n - size);
	size_t next_nl = q ? (size_t)(q - s) : n, ls;

	*sentence = 0;
	ls = line_start(s, size);
	if ((at = paragraph_end(s, n, lo, size, more)))
		return at;
	for (at = size; at >= lo; at--) {
		if (space_at && space_at - at > SENTENCE_REACH)
			break;
		if (s[at] == '\n')
			next_nl = at;
		if (ls != SIZE_MAX && ls > at)
			ls = line_start(s, at);
		if (!space_run_at(s, at))
			continue;
		int nl = run_newlines(s, n, at, more, &end), r = 0;

		if (nl < 0 || nl == 2 || sent_at)
			continue;
		if (!loose_at && (r = cut_after_token(scratch, s, n, at)) >= 0) {
			loose_at = at;
			loose_sent = r;
		}
		if (nl == 1) {
			if (!may_join(s, n, at, end, ls))
				sent_at = at;
			continue;
		}
		if (!wide_around(s, n, at, ls, next_nl, more) ||
		    (r = cut_after_token(scratch, s, n, at)) < 0)
			continue;
		if (r == 1) {
			sent_at = at;
			sent_sent = 1;
		}
		if (!space_at) {
			space_at = at;
			space_sent = r;
		}
	}
	if (sent_at) {
		*sentence = sent_sent;
		return sent_at;
	}
	*sentence = space_sent;
	if (space_at)
		return space_at;
	if (loose_at) {
		*sentence = loose_sent;
		return loose_at;
	}
	at = size;

	while (at > 0 && ((unsigned char)s[at] & 0xC0) == 0x80)
		at--;
	while (at == 0 || (at < n && ((unsigned char)s[at] & 0xC0) == 0x80))
		at++;
	return at;
}

/* Hand on parts while more than a part's size of text waits; with no
 * more to come, the rest as the last part. */
static int parts_feed(struct parts *p, int more)
{
	struct norm *nm = p->nm;
	int st = EX_OK, sentence;

	while (st == EX_OK && nm->pend.len - p->off > nm->part_size) {
		if (!nm->scratch)
			nm->scratch = doc_new();
		size_t cut = find_cut(nm->scratch, nm->pend.s + p->off,
				      nm->pend.len - p->off, nm->part_size,
				      more, &sentence);

		st = emit_part(p, cut, 0);
		p->sentence = sentence;
	}
	if (p->off) {
		memmove(nm->pend.s, nm->pend.s + p->off, nm->pend.len - p->off);
		nm->pend.len -= p->off;
		p->off = 0;
	}
	if (st == EX_OK && !more)
		st = emit_part(p, nm->pend.len, 1);
	return st;
}

/* Bytes at the end of s[0..n) to keep for the next piece: a CR (maybe
 * half a CRLF) or a UTF-8 sequence not yet whole. */
static size_t held_back(const char *s, size_t n)
{
	if (n && s[n - 1] == '\r')
		return 1;
	for (size_t k = n; k > 0 && n - k < 4; k--) {
		unsigned char c = (unsigned char)s[k - 1];
		size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;

		if ((c & 0xC0) == 0x80)
			continue;
		return c >= 0xC0 && n - (k - 1) < want ? n - (k - 1) : 0;
	}
	return 0;
}

/* Make the document id (with #meta file path unless NULL) from the text
 * fp gives after the bytes already in nm->raw, read READ_CHUNK bytes at
 * a time, repaired, and handed to emit in parts.  Returns the status,
 * or -1 for a read error before anything was handed on (errno says
 * which). */
static int text_doc(struct norm *nm, FILE *fp, struct doc *d, const char *id,
		    const char *path, const char *name, stage_doc_fn *emit,
		    void *arg)
{
	struct bad_ctx b = { nm, name, 0, 0 };
	struct parts p;
	int more = 1, st = EX_OK;

	doc_clear(d);
	doc_set_id(d, id);
	if (path)
		doc_add_meta(d, "file", path);
	buf_reset(&nm->pend);
	parts_begin(&p, nm, d, emit, arg);
	while (more && st == EX_OK) {
		size_t got, keep;

		buf_reserve(&nm->raw, READ_CHUNK);
		got = fread(nm->raw.s + nm->raw.len, 1, READ_CHUNK, fp);
		nm->raw.len += got;
		if (got < READ_CHUNK && ferror(fp)) {
			int e = errno;

			if (p.n == 0) {
				parts_end(&p);
				buf_reset(&nm->raw);
				errno = e;
				return -1;
			}
			diag_warn("%s: read error:", name);
			p.error = "cannot read file";
		}
		more = got == READ_CHUNK;
		keep = more ? held_back(nm->raw.s, nm->raw.len) : 0;
		utf_repair(&nm->pend, nm->raw.s, nm->raw.len - keep, b.base == 0,
			   on_bad, &b);
		b.base += nm->raw.len - keep;
		memmove(nm->raw.s, nm->raw.s + nm->raw.len - keep, keep);
		nm->raw.len = keep;
		st = parts_feed(&p, more);
	}
	report_bad(&b);
	parts_end(&p);
	buf_reset(&nm->raw);
	trim_buf(&nm->raw);
	return p.error && st == EX_OK ? EX_NOINPUT : st;
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
	struct bad_ctx b = { nm, rs->name, 0, 0 };
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

/* Make d from the record o (line lineno of name): its id and #meta
 * lines, and its text repaired in nm->pend.  Returns EX_OK, or
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
	struct bad_ctx b = { nm, where, 0, 0 };

	buf_reset(&nm->pend);
	utf_repair(&nm->pend, json_object_get_string(text),
		   (size_t)json_object_get_string_len(text), 1, on_bad, &b);
	report_bad(&b);
	return EX_OK;
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
		int est;

		if (rst == EX_OK) {
			struct parts p;

			parts_begin(&p, nm, d, emit, arg);
			est = parts_feed(&p, 0);
			parts_end(&p);
		} else {
			est = emit(d, arg);
		}

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
	st = text_doc(nm, stdin, d, nm->stdin_id, NULL, "<stdin>", emit, arg);
	if (st < 0) {
		diag_warn("<stdin>:");
		return EX_IOERR;
	}
	return st;
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
	if (fp) {
		st = text_doc(nm, fp, d, id, path, path, emit, arg);
		int e = errno;

		fclose(fp);
		errno = e;
	}
	if (fp && st >= 0) {
		free(id);
		return st;
	}
	diag_warn("%s:", path);
	doc_clear(d);
	doc_set_id(d, id);
	doc_add_meta(d, "file", path);
	doc_add_meta(d, "error", "cannot read file");
	free(id);
	est = emit(d, arg);
	return est != EX_OK ? est : EX_NOINPUT;
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
	nm->part_size = DOC_PART_SIZE_DEFAULT;
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
		case 'p': {
			long n = opt_parse_count(optarg);

			if (n < 1 || n > (long)PART_SIZE_MAX) {
				diag_warn("--part-size: want a number of bytes from 1 "
					  "to %u, not '%s'", PART_SIZE_MAX, optarg);
				free(nm);
				return EX_USAGE;
			}
			nm->part_size = (size_t)n;
			break;
		}
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
	buf_free(&nm->pend);
	doc_free(nm->scratch);
	strmap_free(&nm->ids);
	free(nm);
}

static const struct opt norm_opts[] = {
	{ "id", 'i', "ID", "document id for standard input (default stdin)" },
	{ "jsonl", 'j', NULL, "read JSON Lines: a document a line, with\n"
			      "\"id\", \"text\" and optional \"url\", \"title\", \"date\"" },
	{ "part-size", 'p', "BYTES", "hand on a longer text in parts of at most\n"
				     "BYTES (default 1048576)" },
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
