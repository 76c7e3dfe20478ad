/* stream.c - reader and writer for the document stream, ner-stream(5). */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "stream.h"
#include "utf.h"

#define NFIELDS 10
#define LINE_KEEP_BYTES (1u << 20)

void stream_reader_init(struct stream_reader *r, FILE *fp, const char *name)
{
	memset(r, 0, sizeof(*r));
	r->fp = fp;
	r->name = name;
}

void stream_reader_free(struct stream_reader *r)
{
	buf_free(&r->line);
	buf_free(&r->field);
}

static int bad(struct stream_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int bad(struct stream_reader *r, const char *fmt, ...)
{
	va_list ap;
	char *m = r->err.msg;
	int n = snprintf(m, sizeof(r->err.msg), "%s:%zu: ", r->name, r->lineno);

	r->err.code = EX_DATAERR;
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < sizeof(r->err.msg))
		vsnprintf(m + n, sizeof(r->err.msg) - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Undo the escaping of s[0..n) into out (which may be s: unescaping
 * only shortens), NUL-terminated.  Returns the length, or -1 on a bad
 * escape or a NUL byte. */
static ssize_t unescape_to(char *out, const char *s, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\0')
			return -1;
		if (c == '\\') {
			if (++i == n)
				return -1;
			switch (s[i]) {
			case '\\': c = '\\'; break;
			case 't': c = '\t'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			default: return -1;
			}
		}
		out[o++] = c;
	}
	out[o] = '\0';
	return (ssize_t)o;
}

int stream_unescape(struct buf *out, const char *s, size_t n)
{
	ssize_t len;

	buf_reset(out);
	buf_reserve(out, n);
	if ((len = unescape_to(out->s, s, n)) < 0)
		return -1;
	out->len = (size_t)len;
	return 0;
}

/* Undo the escaping of field s[0..n) in place (the byte after a field
 * is its TAB or the end of the line, so the NUL fits).  Returns the new
 * length, or -1 on a bad escape or a NUL byte. */
static ssize_t unescape_field(char *s, size_t n)
{
	return unescape_to(s, s, n);
}

/* Split line s[0..n) at TABs into at most max fields; the last field
 * keeps any further TABs.  Returns the number of fields. */
static size_t split(char *s, size_t n, char **f, size_t *len, size_t max)
{
	size_t k = 0;
	char *p = s, *end = s + n;

	while (k + 1 < max) {
		char *tab = memchr(p, '\t', (size_t)(end - p));

		if (!tab)
			break;
		f[k] = p;
		len[k++] = (size_t)(tab - p);
		p = tab + 1;
	}
	f[k] = p;
	len[k++] = (size_t)(end - p);
	return k;
}

static int parse_offset(const char *s, size_t n, uint64_t *v)
{
	uint64_t x = 0;

	if (n == 0 || n > 19)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	*v = x;
	return 0;
}

static int parse_flags(const char *s, size_t n, unsigned *flags)
{
	*flags = 0;
	if (n == 1 && s[0] == '-')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == 'S')
			*flags |= TOK_SENT;
		else if (s[i] == 'L')
			*flags |= TOK_LINE;
		else
			return -1;
	}
	return n ? 0 : -1;
}

/* The tag s[0..n): O, or B- or I- and a type (returned in *type,
 * *typelen); an I- must continue a mention of its type. */
static int parse_tag(struct stream_reader *r, const struct doc *d,
		     const char *s, size_t n, enum tag_pos *pos,
		     const char **type, size_t *typelen)
{
	*type = "";
	*typelen = 0;
	if (n == 1 && s[0] == 'O') {
		*pos = TAG_O;
		return 0;
	}
	if (n < 3 || (s[0] != 'B' && s[0] != 'I') || s[1] != '-')
		return bad(r, "tag '%.*s' is not O, B-TYPE or I-TYPE", (int)n, s);
	for (size_t i = 2; i < n; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return bad(r, "tag '%.*s': type must be upper-case letters",
				   (int)n, s);
	*pos = s[0] == 'B' ? TAG_B : TAG_I;
	*type = s + 2;
	*typelen = n - 2;
	if (*pos == TAG_I) {
		const struct tok *prev = d->ntoks ? &d->toks[d->ntoks - 1] : NULL;
		const char *pt = prev ? tok_type(d, prev) : "";

		if (!prev || prev->pos == TAG_O || strlen(pt) != n - 2 ||
		    memcmp(pt, s + 2, n - 2) != 0)
			return bad(r, "%.*s does not continue a mention of that type",
				   (int)n, s);
	}
	return 0;
}

static int read_token(struct stream_reader *r, struct doc *d, char *s, size_t n)
{
	char *f[NFIELDS + 1];
	size_t len[NFIELDS + 1];
	size_t k = split(s, n, f, len, NFIELDS + 1);
	struct tok_fields tf;
	ssize_t ul[NFIELDS];
	enum tag_pos pos;
	const char *type;
	size_t typelen;

	if (k < NFIELDS)
		return bad(r, "token line has %zu fields, needs %d", k, NFIELDS);
	if (parse_offset(f[0], len[0], &tf.start) < 0 ||
	    parse_offset(f[1], len[1], &tf.end) < 0 || tf.end < tf.start)
		return bad(r, "bad offsets '%.*s' '%.*s'", (int)len[0], f[0],
			   (int)len[1], f[1]);
	if (len[2] == 0)
		return bad(r, "empty token text");
	if ((ul[2] = unescape_field(f[2], len[2])) < 0 ||
	    (ul[3] = unescape_field(f[3], len[3])) < 0 ||
	    (ul[4] = unescape_field(f[4], len[4])) < 0)
		return bad(r, "bad escape or NUL byte in a token field");
	if (parse_flags(f[5], len[5], &tf.flags) < 0)
		return bad(r, "bad flags '%.*s' (want -, S, L or SL)",
			   (int)len[5], f[5]);
	if (parse_tag(r, d, f[6], len[6], &pos, &type, &typelen) < 0)
		return -1;
	if ((ul[7] = unescape_field(f[7], len[7])) < 0 ||
	    (ul[8] = unescape_field(f[8], len[8])) < 0 ||
	    (ul[9] = unescape_field(f[9], len[9])) < 0)
		return bad(r, "bad escape or NUL byte in a token field");
	tf.text = f[2];
	tf.textlen = (size_t)ul[2];
	tf.gap = f[3];
	tf.gaplen = (size_t)ul[3];
	tf.key = f[4];
	tf.keylen = (size_t)ul[4];
	if (tf.start > UINT32_MAX)
		return bad(r, "offset %.*s is beyond the 4 Gi code points a "
			   "document may have", (int)len[0], f[0]);
	if (!doc_add_tok(d, &tf))
		return bad(r, "document '%s' is larger than the 4 GiB a "
			   "document may be", d->id);
	if (pos != TAG_O || ul[7] || ul[8] || ul[9] || k > NFIELDS)
		doc_annotate(d, d->ntoks - 1, pos, type, typelen, f[7], f[8],
			     f[9], k > NFIELDS ? f[NFIELDS] : "");
	return 0;
}

static int is_directive(const char *s, size_t n, const char *name)
{
	size_t m = strlen(name);

	return n >= m && memcmp(s, name, m) == 0 && (n == m || s[m] == '\t');
}

/* One directive line inside a document.  Returns 1 at #end, 0 to go on,
 * -1 on error. */
static int read_directive(struct stream_reader *r, struct doc *d, char *s,
			  size_t n)
{
	char *f[3];
	size_t len[3];
	size_t k = split(s, n, f, len, 3);

	if (memchr(s, '\0', n))
		return bad(r, "NUL byte in a directive");
	if (is_directive(s, n, "#doc"))
		return bad(r, "#doc inside document '%s' (missing #end)", d->id);
	if (is_directive(s, n, "#end")) {
		if (k != 2 || stream_unescape(&r->field, f[1], len[1]) < 0 ||
		    strcmp(r->field.s ? r->field.s : "", d->id) != 0)
			return bad(r, "#end does not name document '%s'", d->id);
		return 1;
	}
	if (is_directive(s, n, "#meta")) {
		if (k != 3 || len[1] == 0)
			return bad(r, "#meta needs a key and a value");
		if (unescape_field(f[1], len[1]) < 0 ||
		    unescape_field(f[2], len[2]) < 0)
			return bad(r, "bad escape in #meta");
		doc_add_meta(d, f[1], f[2]);
		return 0;
	}
	if (is_directive(s, n, "#text")) {
		ssize_t tl;

		k = split(s, n, f, len, 2);
		if (k != 2 || (tl = unescape_field(f[1], len[1])) < 0)
			return bad(r, "bad #text line");
		if (doc_add_text(d, f[1], (size_t)tl) < 0)
			return bad(r, "document '%s' is larger than the 4 GiB a "
				   "document may be", d->id);
		return 0;
	}
	doc_add_other(d, s);
	return 0;
}

void stream_reader_unread(struct stream_reader *r, const char *s, size_t n)
{
	buf_reset(&r->line);
	buf_put(&r->line, s, n);
	r->pending = 1;
}

/* Read the next line without its newline; 0 at EOF, -1 on error. */
static int next_line(struct stream_reader *r, char **s, size_t *n)
{
	ssize_t got;

	/* A line of a megabyte or more (a document's whole #text) has been
	 * copied where it belongs: its buffer need not stay that large. */
	if (!r->pending && r->line.cap > LINE_KEEP_BYTES)
		buf_free(&r->line);
	if (r->pending) {
		r->pending = 0;
		got = (ssize_t)r->line.len;
	} else {
		got = buf_getline(&r->line, r->fp);
	}

	if (got < 0) {
		bad(r, "read error: %s", strerror(errno));
		r->err.code = EX_IOERR;
		return -1;
	}
	if (got == 0)
		return 0;
	r->lineno++;
	*s = r->line.s;
	*n = r->line.len;
	r->torn = !*n || (*s)[*n - 1] != '\n';
	if (!r->torn)
		(*s)[--*n] = '\0';
	/* Every stage writes UTF-8; bytes that are not would go on into
	 * JSON, CSV and databases that refuse them. */
	if (!r->repair_utf8 && !utf_valid(*s, *n))
		return bad(r, "invalid UTF-8");
	return 1;
}

/* Is s[0..n), read without a newline at the end of the stream, a line
 * cut short?  Only an #end naming the document is taken as whole. */
static int torn_line(struct stream_reader *r, const struct doc *d,
		     const char *s, size_t n)
{
	if (!r->torn)
		return 0;
	if (!is_directive(s, n, "#end") || n < 5 ||
	    stream_unescape(&r->field, s + 5, n - 5) < 0)
		return 1;
	return strcmp(r->field.s ? r->field.s : "", d->id) != 0;
}

int stream_read(struct stream_reader *r, struct doc *d)
{
	char *s;
	size_t n;
	int st;

	doc_clear(d);
	if (r->truncated)
		return bad(r, "stream ends inside a document (no #end)");
	st = next_line(r, &s, &n);
	if (st <= 0)
		return st;
	if (!is_directive(s, n, "#doc") || n < 6 || memchr(s + 5, '\t', n - 5))
		return bad(r, "expected '#doc<TAB>ID' to start a document");
	if (unescape_field(s + 5, n - 5) < 0)
		return bad(r, "bad escape in document id");
	doc_set_id(d, s + 5);
	while ((st = next_line(r, &s, &n)) > 0) {
		if (torn_line(r, d, s, n))
			break;
		if (n == 0)
			return bad(r, "empty line");
		if (s[0] == '#')
			st = read_directive(r, d, s, n);
		else if (s[0] >= '0' && s[0] <= '9')
			st = read_token(r, d, s, n);
		else
			return bad(r, "line is neither a directive (#) nor a token (digit)");
		if (st != 0)
			return st < 0 ? -1 : 1;
	}
	if (st < 0)
		return -1;
	r->truncated = 1;
	if (st > 0)
		bad(r, "stream torn inside a line of document '%s' (the "
		    "line is dropped, no #end)", d->id);
	else
		bad(r, "stream ends inside document '%s' (no #end)", d->id);
	return 1;
}

/* What each byte becomes after a backslash, 0 if it stays as it is. */
static const char escape_char[256] = {
	['\\'] = '\\', ['\t'] = 't', ['\n'] = 'n', ['\r'] = 'r',
};

/* Output goes through stdio without its lock: one thread writes each
 * stream (nerpipe's threads hand their documents to one writer), and the
 * lock cost more than the escaping. */
void stream_put_escaped(FILE *fp, const char *s, size_t n)
{
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		char esc = escape_char[(unsigned char)s[i]];

		if (!esc)
			continue;
		fwrite_unlocked(s + run, 1, i - run, fp);
		putc_unlocked('\\', fp);
		putc_unlocked(esc, fp);
		run = i + 1;
	}
	fwrite_unlocked(s + run, 1, n - run, fp);
}

/* Might the bytes of x hold one to escape?  Yes for any byte below
 * 0x0e (TAB, LF and CR, and a few other control bytes) or a backslash;
 * no is always right.  ones is 0x01 in each byte of x. */
static inline int may_escape(uint64_t x, uint64_t ones)
{
	uint64_t bs = x ^ (ones * '\\');

	return ((((x - ones * 0x0e) & ~x) | ((bs - ones) & ~bs)) &
		(ones * 0x80)) != 0;
}

static inline uint64_t load64(const char *s)
{
	uint64_t x;

	memcpy(&x, s, 8);
	return x;
}

static inline uint32_t load32(const char *s)
{
	uint32_t x;

	memcpy(&x, s, 4);
	return x;
}

#define ONES64 0x0101010101010101ULL
#define ONES32 0x01010101U

/* Most text has nothing to escape, so it is copied a word at a time
 * while none might need it (up to there the output is the input, byte
 * for byte), and the last word ends with the text, overlapping the one
 * before; the rest goes byte by byte. */
char *stream_escape(char *o, const char *s, size_t n)
{
	size_t i = 0;

	if (n >= 8) {
		while (n - i >= 8 && !may_escape(load64(s + i), ONES64)) {
			memcpy(o + i, s + i, 8);
			i += 8;
		}
		if (i < n && n - i < 8 &&
		    !may_escape(load64(s + n - 8), ONES64)) {
			memcpy(o + n - 8, s + n - 8, 8);
			i = n;
		}
	} else if (n >= 4 && !may_escape(load32(s), ONES32) &&
		   !may_escape(load32(s + n - 4), ONES32)) {
		memcpy(o, s, 4);
		memcpy(o + n - 4, s + n - 4, 4);
		i = n;
	}
	o += i;
	for (; i < n; i++) {
		char esc = escape_char[(unsigned char)s[i]];

		if (esc) {
			*o++ = '\\';
			*o++ = esc;
		} else {
			*o++ = s[i];
		}
	}
	return o;
}

void stream_puts_escaped(FILE *fp, const char *s)
{
	stream_put_escaped(fp, s, strlen(s));
}

/* By hand, two digits at a time: printf costs more than the rest of a
 * row of ner-tsv. */
char *stream_u64(char *o, uint64_t v)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324252627282930"
		"31323334353637383940414243444546474849505152535455565758596061"
		"62636465666768697071727374757677787980818283848586878889909192"
		"93949596979899";
	uint64_t u = v;
	size_t n = 1;
	char *end;

	for (; u >= 10000; u /= 10000)
		n += 4;
	n += (u >= 10) + (u >= 100) + (u >= 1000);
	end = o + n;
	for (; v >= 100; v /= 100)
		memcpy(o + (n -= 2), pairs + 2 * (v % 100), 2);
	if (v >= 10)
		memcpy(o, pairs + 2 * v, 2);
	else
		*o = (char)('0' + v);
	return end;
}

void stream_put_u64(FILE *fp, uint64_t v)
{
	char tmp[STREAM_U64_DIGITS];

	fwrite(tmp, 1, (size_t)(stream_u64(tmp, v) - tmp), fp);
}

void stream_put_tag(FILE *fp, const struct doc *d, const struct tok *t)
{
	if (t->pos == TAG_O) {
		putc('O', fp);
	} else {
		fputs(t->pos == TAG_B ? "B-" : "I-", fp);
		fputs(tok_type(d, t), fp);
	}
}

static void write_tok(FILE *fp, const struct doc *d, const struct tok *t)
{
	const char *gap, *extra;
	size_t gaplen;

	stream_put_u64(fp, t->start);
	putc('\t', fp);
	stream_put_u64(fp, tok_end(d, t));
	putc('\t', fp);
	stream_puts_escaped(fp, tok_text(d, t));
	putc('\t', fp);
	gap = tok_gap(d, t, &gaplen);
	stream_put_escaped(fp, gap, gaplen);
	putc('\t', fp);
	stream_puts_escaped(fp, tok_key(d, t));
	putc('\t', fp);
	if (!t->flags)
		putc('-', fp);
	if (t->flags & TOK_SENT)
		putc('S', fp);
	if (t->flags & TOK_LINE)
		putc('L', fp);
	putc('\t', fp);
	stream_put_tag(fp, d, t);
	putc('\t', fp);
	stream_puts_escaped(fp, tok_canon(d, t));
	putc('\t', fp);
	stream_puts_escaped(fp, tok_source(d, t));
	putc('\t', fp);
	stream_puts_escaped(fp, tok_attrs(d, t));
	extra = tok_extra(d, t);
	if (extra[0]) {
		putc('\t', fp);
		fputs(extra, fp);
	}
	putc('\n', fp);
}

static void write_dline(FILE *fp, const struct doc *d, const struct dline *l)
{
	const char *s;
	size_t n;

	switch (l->kind) {
	case DL_META:
		fputs("#meta\t", fp);
		stream_puts_escaped(fp, doc_line_key(l));
		putc('\t', fp);
		stream_puts_escaped(fp, doc_line_value(l));
		break;
	case DL_TEXT:
		fputs("#text\t", fp);
		s = doc_line_text(d, l, &n);
		stream_put_escaped(fp, s, n);
		break;
	case DL_OTHER:
		fputs(doc_line_raw(l), fp);
		break;
	}
	putc('\n', fp);
}

int stream_write(FILE *fp, const struct doc *d)
{
	size_t li = 0;

	fputs("#doc\t", fp);
	stream_puts_escaped(fp, d->id ? d->id : "");
	putc('\n', fp);
	for (size_t i = 0; i <= d->ntoks; i++) {
		while (li < d->nlines && d->lines[li].before <= i)
			write_dline(fp, d, &d->lines[li++]);
		if (i < d->ntoks)
			write_tok(fp, d, &d->toks[i]);
	}
	fputs("#end\t", fp);
	stream_puts_escaped(fp, d->id ? d->id : "");
	putc('\n', fp);
	return ferror(fp) ? -1 : 0;
}

void doc_text(const struct doc *d, struct buf *out)
{
	size_t li = 0, n;
	const char *s;

	buf_reset(out);
	for (size_t i = 0; i <= d->ntoks; i++) {
		for (; li < d->nlines && d->lines[li].before <= i; li++)
			if (d->lines[li].kind == DL_TEXT) {
				s = doc_line_text(d, &d->lines[li], &n);
				buf_put(out, s, n);
			}
		if (i < d->ntoks) {
			s = tok_gap(d, &d->toks[i], &n);
			buf_put(out, s, n);
			buf_puts(out, tok_text(d, &d->toks[i]));
		}
	}
}
