/* stage_tsv.c - ner-tsv: the mentions of tagged documents as a table
 * (TSV or CSV), as JSON Lines, or as CoNLL token lines.
 *
 * One table of columns says how each value is got from a mention; the
 * formats only differ in how they write a row of values. */
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <json.h>

#include "alloc.h"
#include "buf.h"
#include "diag.h"
#include "mention.h"
#include "stage.h"
#include "stream.h"
#include "strmap.h"

struct tsv;

/* A value: the bytes s[0..n), in the document or in a buffer of the
 * row's, valid until the next row. */
struct val {
	const char *s;
	size_t n;
};

/* A column: its header name and how its value is got, by num for a
 * number (JSON writes it as one, CSV leaves it unquoted) and by get for
 * any other.  get may keep the value in tmp, the column's own buffer;
 * arg is the #meta or attribute key of the columns that take one. */
struct column {
	const char *name;
	struct val (*get)(struct tsv *t, const struct doc *d,
			  const struct mention *m, const char *arg,
			  struct buf *tmp);
	uint64_t (*num)(const struct mention *m);
};

/* A column chosen for the output: a built-in one, or a #meta or
 * attribute column with its key. */
struct outcol {
	const struct column *col;
	const char *arg;
	const char *name;	/* the header: the built-in name or the key */
};

/* An output format: writes one document, and the header if it has one;
 * a table also says how it separates its fields and writes one: at o,
 * which has room for 2 * n + 2 bytes, returning the end. */
struct format {
	const char *name;
	void (*header)(struct tsv *t, FILE *out);
	void (*doc)(struct tsv *t, const struct doc *d, FILE *out);
	char sep;
	const char *eol;	/* EOL_MAX bytes at most */
	char *(*field)(char *o, const char *s, size_t n);
};

/* What the columns work out from a document's strings (entity ids,
 * ranks), kept by the addresses of those strings: the types, canonical
 * names and attributes of a document stay put while it is written, and
 * equal addresses are equal strings, so a look-up hashes two addresses
 * instead of a name.  Open addressing; a slot is taken if its gen is
 * the map's, so that emptying the map (with each document, and when it
 * comes to ADDR_MAP_MAX slots, a bound on memory) is moving gen on. */
struct addr_slot {
	const char *a, *b;
	uint64_t gen;
	struct val v[2];	/* what was worked out from them */
};

struct addr_map {
	struct addr_slot *slots;
	size_t cap, n;		/* cap 0 or a power of two */
	uint64_t gen;		/* from 1 */
};

#define ADDR_MAP_MAX 8192

struct tsv {
	const struct format *fmt;
	struct outcol *cols;
	size_t ncols;
	struct val *vals;	/* one value per column, for the current row */
	struct buf *tmps;	/* and a buffer each for a value made */
	struct buf row;		/* tables: the rows not yet written */
	struct val docid;	/* the current document's id */
	char **args;		/* option strings the columns point into */
	size_t nargs;
	int header, header_done, text_mode, by_doc;
	struct buf text;	/* the mention as written, shared by columns */
	/* Entity ids already worked out, by "TYPE<TAB>name": an id is a
	 * function of those two alone, and names repeat. */
	struct strmap ids;
	char (*idv)[ENTITY_ID_MAX];
	size_t nids, capids;
	struct buf idkey;
	struct addr_map idmap;	/* type, canonical name -> its id in idv */
	struct addr_map rankmap;	/* type, attributes -> rank, NATO code */
	/* The long document whose parts are being joined (ner-stream(5),
	 * "Parts"), and what the current document is to it (MJ_). */
	struct mention_join join;
	int kind;
	size_t conll_toks;	/* conll: its tokens written so far */
	json_object *meta;	/* --by doc: its metadata so far */
	FILE *spool;		/* --by doc: its "ents" so far, written out
				 * after the text */
	size_t nspooled;
};

/* Forget the cached ids when there are this many: a bound on memory. */
#define ID_CACHE_MAX 65536

/* The longest line end of a table format. */
#define EOL_MAX 2

/* Write a table's rows out when they come to this many bytes. */
#define ROW_FLUSH 65536

static void addr_map_clear(struct addr_map *m)
{
	m->gen++;
	m->n = 0;
}

/* The slot of the pair (a, b) in m: its own if it has one (the slot's
 * gen is m->gen), else the free one where it goes.  m has a free slot. */
static inline struct addr_slot *addr_map_probe(const struct addr_map *m,
					       const char *a, const char *b)
{
	uint64_t h = ((uint64_t)(uintptr_t)a ^ (uint64_t)(uintptr_t)b << 7) *
		     0x9e3779b97f4a7c15ULL;
	size_t i = (size_t)(h >> 32) & (m->cap - 1);

	while (m->slots[i].gen == m->gen &&
	       (m->slots[i].a != a || m->slots[i].b != b))
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

/* Make room in m for one more pair: twice the slots, or none taken
 * when it has ADDR_MAP_MAX. */
static void addr_map_grow(struct addr_map *m)
{
	struct addr_slot *old = m->slots;
	size_t oldcap = m->cap;

	if (m->cap >= ADDR_MAP_MAX) {
		addr_map_clear(m);
		return;
	}
	m->cap = m->cap ? 2 * m->cap : 64;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	for (size_t k = 0; k < oldcap; k++)
		if (old[k].gen == m->gen)
			*addr_map_probe(m, old[k].a, old[k].b) = old[k];
	free(old);
}

/* addr_map_probe after making room for one more, for addr_map_take;
 * valid until m is used again. */
static inline struct addr_slot *addr_map_slot(struct addr_map *m,
					      const char *a, const char *b)
{
	if ((m->n + 1) * 2 > m->cap)
		addr_map_grow(m);
	return addr_map_probe(m, a, b);
}

/* Make s, a free slot from addr_map_slot, the pair (a, b)'s. */
static void addr_map_take(struct addr_map *m, struct addr_slot *s,
			  const char *a, const char *b)
{
	s->a = a;
	s->b = b;
	s->gen = m->gen;
	m->n++;
}

static struct val val_str(const char *s)
{
	return (struct val){ s, strlen(s) };
}

static struct val get_doc(struct tsv *t, const struct doc *d,
			  const struct mention *m, const char *arg,
			  struct buf *tmp)
{
	(void)d, (void)m, (void)arg, (void)tmp;
	return t->docid;
}

static uint64_t num_start(const struct mention *m)
{
	return m->start;
}

static uint64_t num_end(const struct mention *m)
{
	return m->end;
}

static uint64_t num_sent(const struct mention *m)
{
	return m->sent;
}

static struct val get_type(struct tsv *t, const struct doc *d,
			   const struct mention *m, const char *arg,
			   struct buf *tmp)
{
	(void)t, (void)d, (void)arg, (void)tmp;
	return val_str(m->type);
}

/* A mention of one token is that token's text: no copy. */
static struct val get_text(struct tsv *t, const struct doc *d,
			   const struct mention *m, const char *arg,
			   struct buf *tmp)
{
	(void)t, (void)arg;
	if (m->ntoks == 1)
		return val_str(tok_text(d, &d->toks[m->tok]));
	mention_text(d, m, tmp);
	return (struct val){ tmp->s, tmp->len };
}

static struct val get_canon(struct tsv *t, const struct doc *d,
			    const struct mention *m, const char *arg,
			    struct buf *tmp)
{
	(void)t, (void)d, (void)arg, (void)tmp;
	return val_str(m->canon);
}

/* The id of a name of type, by "TYPE<TAB>name" in t->ids, worked out
 * if it is not there; returns its index in t->idv. */
static size_t entity_index(struct tsv *t, const char *type, const char *name)
{
	size_t k, tl = strlen(type), nl = strlen(name);
	char *key;

	buf_reset(&t->idkey);
	buf_reserve(&t->idkey, tl + 1 + nl);
	key = t->idkey.s;
	memcpy(key, type, tl);
	key[tl] = '\t';
	memcpy(key + tl + 1, name, nl + 1);
	t->idkey.len = tl + 1 + nl;
	if (strmap_get(&t->ids, key, &k))
		return k;
	if (t->nids == ID_CACHE_MAX) {
		strmap_clear(&t->ids);
		t->nids = 0;
		addr_map_clear(&t->idmap);	/* it points into idv */
	}
	/* Grown as needed: a short run makes few ids, and 3 MB at once
	 * cost a start a mapping of its own. */
	if (t->nids == t->capids) {
		t->capids = t->capids ? 2 * t->capids : 256;
		t->idv = xrealloc(t->idv, t->capids * sizeof(*t->idv));
		addr_map_clear(&t->idmap);
	}
	k = t->nids++;
	entity_id(type, name, t->idv[k]);
	strmap_put(&t->ids, t->idkey.s, k);
	return k;
}

/* The entity id, from the canonical name, or from the text as written
 * when the mention has none (which t->idmap cannot key). */
static struct val get_entity(struct tsv *t, const struct doc *d,
			     const struct mention *m, const char *arg,
			     struct buf *tmp)
{
	struct addr_slot *e;
	size_t k;

	(void)arg, (void)tmp;
	if (!*m->canon) {
		mention_text(d, m, &t->text);
		k = entity_index(t, m->type, t->text.s);
		return val_str(t->idv[k]);
	}
	e = addr_map_slot(&t->idmap, m->type, m->canon);
	if (e->gen != t->idmap.gen) {
		k = entity_index(t, m->type, m->canon);
		addr_map_take(&t->idmap, e, m->type, m->canon);
		e->v[0] = val_str(t->idv[k]);
	}
	return e->v[0];
}

static struct val get_source(struct tsv *t, const struct doc *d,
			     const struct mention *m, const char *arg,
			     struct buf *tmp)
{
	(void)t, (void)d, (void)arg, (void)tmp;
	return val_str(m->source);
}

/* A value that points into the mention's attributes, "" for none. */
static struct val attr_val(const char *v, size_t n)
{
	return (struct val){ v ? v : "", n };
}

/* The rank and NATO code of m, by its type and attributes: the
 * attributes of a mention are a list to read, and the same lists come
 * again. */
static const struct val *rank_of(struct tsv *t, const struct mention *m)
{
	struct addr_slot *e = addr_map_slot(&t->rankmap, m->type, m->attrs);
	const char *v;
	size_t n;

	if (e->gen == t->rankmap.gen)
		return e->v;
	addr_map_take(&t->rankmap, e, m->type, m->attrs);
	v = mention_rank_get(m, &n);
	e->v[0] = attr_val(v, n);
	v = mention_attr_get(m->attrs, "nato", &n);
	e->v[1] = attr_val(v, n);
	return e->v;
}

/* A rank's full form; any other mention's rank (from ner-link). */
static struct val get_rank(struct tsv *t, const struct doc *d,
			   const struct mention *m, const char *arg,
			   struct buf *tmp)
{
	(void)d, (void)arg, (void)tmp;
	return rank_of(t, m)[0];
}

static struct val get_nato(struct tsv *t, const struct doc *d,
			   const struct mention *m, const char *arg,
			   struct buf *tmp)
{
	(void)d, (void)arg, (void)tmp;
	return rank_of(t, m)[1];
}

static struct val get_attr(struct tsv *t, const struct doc *d,
			   const struct mention *m, const char *arg,
			   struct buf *tmp)
{
	size_t n;
	const char *v = mention_attr_get(m->attrs, arg, &n);

	(void)t, (void)d, (void)tmp;
	return attr_val(v, n);
}

static struct val get_meta(struct tsv *t, const struct doc *d,
			   const struct mention *m, const char *arg,
			   struct buf *tmp)
{
	const char *v = doc_meta(d, arg);

	(void)t, (void)m, (void)tmp;
	return val_str(v ? v : "");
}

/* The built-in columns, in their default order; ner-tsv(1) documents
 * each.  sent and entity came later and stand at the end, so that
 * scripts that cut the first nine columns keep working. */
static const struct column builtin[] = {
	{ "doc", get_doc, NULL },
	{ "start", NULL, num_start },
	{ "end", NULL, num_end },
	{ "type", get_type, NULL },
	{ "text", get_text, NULL },
	{ "canonical", get_canon, NULL },
	{ "source", get_source, NULL },
	{ "rank", get_rank, NULL },
	{ "nato", get_nato, NULL },
	{ "sent", NULL, num_sent },
	{ "entity", get_entity, NULL },
};
#define NBUILTIN (sizeof(builtin) / sizeof(*builtin))

static const struct column meta_column = { "meta", get_meta, NULL };
static const struct column attr_column = { "attr", get_attr, NULL };

/* Fill t->vals for mention m; a number column's value is left out. */
static void get_row(struct tsv *t, const struct doc *d, const struct mention *m)
{
	for (size_t k = 0; k < t->ncols; k++)
		if (t->cols[k].col->get)
			t->vals[k] = t->cols[k].col->get(t, d, m, t->cols[k].arg,
							 &t->tmps[k]);
}

/* --- tables: TSV and CSV --------------------------------------------------- */

/* CSV, RFC 4180: s[0..n) in double quotes, with each quote doubled,
 * when it holds a comma, a quote, a TAB, a line break or a space at an
 * end (which some readers trim); as it is otherwise. */
static char *csv_field(char *o, const char *s, size_t n)
{
	int quote = n && (s[0] == ' ' || s[n - 1] == ' ');

	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\t' ||
			s[i] == '\n' || s[i] == '\r';
	if (!quote) {
		memcpy(o, s, n);
		return o + n;
	}
	*o++ = '"';
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			*o++ = '"';
		*o++ = s[i];
	}
	*o++ = '"';
	return o;
}

/* Room for n more bytes at the end of row; returns where they go. */
static inline char *row_room(struct buf *row, size_t n)
{
	if (row->cap - row->len <= n)
		buf_reserve(row, n);
	return row->s + row->len;
}

/* Append mention m's row to t->row, or the header if m is NULL. */
static void put_row(struct tsv *t, const struct doc *d,
		    const struct mention *m)
{
	const struct format *f = t->fmt;
	struct buf *row = &t->row;
	char *o;

	for (size_t k = 0; k < t->ncols; k++) {
		const struct outcol *c = &t->cols[k];

		if (m && c->col->num) {
			o = row_room(row, 1 + STREAM_U64_DIGITS);
			if (k)
				*o++ = f->sep;
			o = stream_u64(o, c->col->num(m));
		} else {
			struct val v = m ? c->col->get(t, d, m, c->arg, &t->tmps[k]) :
					   val_str(c->name);

			o = row_room(row, 1 + 2 * v.n + 2);
			if (k)
				*o++ = f->sep;
			o = f->field(o, v.s, v.n);
		}
		row->len = (size_t)(o - row->s);
	}
	o = row_room(row, EOL_MAX);
	for (const char *e = f->eol; *e; e++)
		*o++ = *e;
	*o = '\0';
	row->len = (size_t)(o - row->s);
}

/* Write out the rows in t->row. */
static void flush_rows(struct tsv *t, FILE *out)
{
	if (!t->row.len)
		return;
	fwrite_unlocked(t->row.s, 1, t->row.len, out);
	buf_reset(&t->row);
}

static void table_header(struct tsv *t, FILE *out)
{
	put_row(t, NULL, NULL);
	flush_rows(t, out);
}

/* Start the walk of d's mentions: the sentence numbers of a later part
 * go on from the parts before it. */
static void walk_begin(struct tsv *t, const struct doc *d, struct mention *m)
{
	if (t->kind == MJ_NEXT)
		mention_continue(m, d, t->join.sent);
	else
		*m = (struct mention)MENTION_INIT;
}

static void walk_end(struct tsv *t, const struct doc *d,
		     const struct mention *m)
{
	t->join.sent = mention_last_sent(d, m, t->join.sent);
}

/* The rows go out a block at a time: one write a row cost more than
 * making it. */
static void table_doc(struct tsv *t, const struct doc *d, FILE *out)
{
	struct mention m;

	walk_begin(t, d, &m);
	while (mention_next(d, &m)) {
		put_row(t, d, &m);
		if (t->row.len >= ROW_FLUSH)
			flush_rows(t, out);
	}
	flush_rows(t, out);
	/* A row as long as a huge document's mention is not kept. */
	if (t->row.cap > DOC_KEEP_BYTES)
		buf_free(&t->row);
	walk_end(t, d, &m);
}

/* --- JSON Lines, written by json-c -------------------------------------- */

/* A JSON object of mention m's row, the current one (t->vals);
 * numbers for number columns (up to INT64_MAX, where they stop, as
 * strtoll stops). */
static json_object *json_row(struct tsv *t, const struct mention *m)
{
	json_object *o = json_object_new_object();

	for (size_t k = 0; k < t->ncols; k++) {
		const struct column *c = t->cols[k].col;
		uint64_t n = c->num ? c->num(m) : 0;
		json_object *jv = c->num ?
			json_object_new_int64(n > INT64_MAX ? INT64_MAX : (int64_t)n) :
			json_object_new_string_len(t->vals[k].s, (int)t->vals[k].n);

		json_object_object_add(o, t->cols[k].name, jv);
	}
	return o;
}

static const char *json_str(json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
}

static void json_put(json_object *o, FILE *out)
{
	fputs(json_str(o), out);
	putc('\n', out);
	json_object_put(o);
}

/* Write s[0..n) as the inside of a JSON string, as json-c escapes it. */
static void json_put_inside(const char *s, size_t n, FILE *out)
{
	json_object *o = json_object_new_string_len(s, (int)n);
	const char *js = json_str(o);

	fwrite(js + 1, 1, strlen(js) - 2, out);
	json_object_put(o);
}

/* Add d's #meta lines to meta, the first value of each key; the lines
 * that mark a part stay out of a joined document's. */
static void add_meta_lines(json_object *meta, const struct doc *d, int joined)
{
	for (size_t k = 0; k < d->nlines; k++) {
		const char *key = doc_line_key(&d->lines[k]);

		if (d->lines[k].kind != DL_META ||
		    json_object_object_get_ex(meta, key, NULL))
			continue;
		if (joined && (strcmp(key, "part") == 0 ||
			       strcmp(key, "part_start") == 0 ||
			       strcmp(key, "part_sentence") == 0))
			continue;
		json_object_object_add(meta, key, json_object_new_string(
			doc_line_value(&d->lines[k])));
	}
}

/* Mention m of d as an entry of --by doc's "ents": the row's columns
 * and its label, as spaCy names the type.  The caller owns it. */
static json_object *json_ent(struct tsv *t, const struct doc *d,
			     const struct mention *m)
{
	json_object *e;

	get_row(t, d, m);
	e = json_row(t, m);
	json_object_object_add(e, "label", json_object_new_string(m->type));
	return e;
}

/* A part of a long document, --by doc: the first starts the object and
 * its text, each adds its text; metadata and mentions wait (the
 * mentions in t->spool) until join_end writes them. */
static void jsonl_part(struct tsv *t, const struct doc *d, FILE *out)
{
	struct mention m;
	json_object *id;

	if (t->kind == MJ_FIRST) {
		id = json_object_new_string(d->id);
		fputs("{\"id\":", out);
		fputs(json_str(id), out);
		fputs(",\"text\":\"", out);
		json_object_put(id);
		t->meta = json_object_new_object();
		t->nspooled = 0;
	}
	doc_text(d, &t->text);
	json_put_inside(t->text.s ? t->text.s : "", t->text.len, out);
	add_meta_lines(t->meta, d, 1);
	walk_begin(t, d, &m);
	while (mention_next(d, &m)) {
		json_object *e = json_ent(t, d, &m);

		if (t->nspooled++)
			putc(',', t->spool);
		fputs(json_str(e), t->spool);
		json_object_put(e);
	}
	walk_end(t, d, &m);
}

/* The end of a joined document, --by doc: its metadata and mentions. */
static int jsonl_part_end(struct tsv *t, FILE *out)
{
	char buf[8192];
	size_t n;
	int st = EX_OK;

	fputs("\",\"meta\":", out);
	fputs(json_str(t->meta), out);
	fputs(",\"ents\":[", out);
	json_object_put(t->meta);
	t->meta = NULL;
	/* rewind() would clear the error of a write that failed (a full
	 * /tmp): the mentions would be lost without a word. */
	if (fflush(t->spool) != 0 || ferror(t->spool)) {
		diag_warn("a temporary file for a long document: write error:");
		st = EX_IOERR;
	}
	rewind(t->spool);
	while ((n = fread(buf, 1, sizeof(buf), t->spool)) > 0)
		fwrite(buf, 1, n, out);
	if (ferror(t->spool) && st == EX_OK) {
		diag_warn("a temporary file: read error:");
		st = EX_IOERR;
	}
	fclose(t->spool);
	t->spool = NULL;
	fputs("]}\n", out);
	return st;
}

/* One object a document: id, text, meta and its mentions as "ents" with
 * start, end and label in code points, as spaCy's JSON has them, plus
 * the chosen columns. */
static void jsonl_by_doc(struct tsv *t, const struct doc *d, FILE *out)
{
	json_object *o, *meta, *ents;
	struct mention m = MENTION_INIT;

	if (t->kind != MJ_WHOLE) {
		jsonl_part(t, d, out);
		return;
	}
	o = json_object_new_object();
	meta = json_object_new_object();
	ents = json_object_new_array();
	json_object_object_add(o, "id", json_object_new_string(d->id));
	doc_text(d, &t->text);
	json_object_object_add(o, "text", json_object_new_string_len(
		t->text.s ? t->text.s : "", (int)t->text.len));
	add_meta_lines(meta, d, 0);
	json_object_object_add(o, "meta", meta);
	while (mention_next(d, &m))
		json_object_array_add(ents, json_ent(t, d, &m));
	json_object_object_add(o, "ents", ents);
	json_put(o, out);
}

static void jsonl_doc(struct tsv *t, const struct doc *d, FILE *out)
{
	struct mention m;

	if (t->by_doc) {
		jsonl_by_doc(t, d, out);
		return;
	}
	walk_begin(t, d, &m);
	while (mention_next(d, &m)) {
		get_row(t, d, &m);
		json_put(json_row(t, &m), out);
	}
	walk_end(t, d, &m);
}

/* --- CoNLL: a token a line with its BIO tag ------------------------------ */

/* "-DOCSTART-" before each document, a blank line after it and between
 * sentences, then "TOKEN<TAB>TAG" lines, as the CoNLL-2003 shared task
 * laid out its data (with TAB for the space, since a token may hold a
 * no-break space). */
static void conll_doc(struct tsv *t, const struct doc *d, FILE *out)
{
	size_t before = t->kind == MJ_NEXT ? t->conll_toks : 0;

	if (t->kind != MJ_NEXT)
		fputs("-DOCSTART-\tO\n\n", out);
	for (size_t i = 0; i < d->ntoks; i++) {
		const struct tok *k = &d->toks[i];

		if ((i > 0 || before > 0) && (k->flags & TOK_SENT))
			putc('\n', out);
		stream_puts_escaped(out, tok_text(d, k));
		putc('\t', out);
		stream_put_tag(out, d, k);
		putc('\n', out);
	}
	if (t->kind != MJ_WHOLE)
		t->conll_toks = before + d->ntoks;	/* join_end ends it */
	else if (d->ntoks)
		putc('\n', out);
}

static const struct format formats[] = {
	/* TSV: fields escaped as in ner-stream(5). */
	{ "tsv", table_header, table_doc, '\t', "\n", stream_escape },
	{ "csv", table_header, table_doc, ',', "\r\n", csv_field },
	{ "jsonl", NULL, jsonl_doc, 0, NULL, NULL },
	{ "conll", NULL, conll_doc, 0, NULL, NULL },
};

/* --- the stage ------------------------------------------------------------ */

static void put_header(struct tsv *t, FILE *out)
{
	if (t->header && !t->header_done && t->fmt->header)
		t->fmt->header(t, out);
	t->header_done = 1;
}

/* End the long document whose parts were joined, if any. */
static int join_end(struct tsv *t, FILE *out)
{
	int st = EX_OK;

	if (t->spool)
		st = jsonl_part_end(t, out);
	if (t->conll_toks)
		putc('\n', out);
	t->conll_toks = 0;
	mention_join_free(&t->join);
	return st;
}

static int tsv_run(void *state, struct doc *d, FILE *out)
{
	struct tsv *t = state;
	const char *why;
	int st = EX_OK;

	/* Parts are checked in text mode too: a part left out would make
	 * a text with a hole in it. */
	t->kind = mention_part_of(&t->join, d, &why);
	if (t->kind < 0) {
		diag_warn("%s: %s", d->id, why);
		return EX_DATAERR;
	}
	if (t->kind != MJ_NEXT && t->join.id)
		st = join_end(t, out);
	mention_join_take(&t->join, d, t->kind);
	if (t->text_mode) {
		doc_text(d, &t->text);
		fwrite(t->text.s ? t->text.s : "", 1, t->text.len, out);
		return st;
	}
	if (t->kind == MJ_FIRST && t->by_doc && !(t->spool = tmpfile())) {
		diag_warn("a temporary file for a long document:");
		return EX_CANTCREAT;
	}
	put_header(t, out);
	/* The strings of the document before are gone. */
	addr_map_clear(&t->idmap);
	addr_map_clear(&t->rankmap);
	t->docid = val_str(d->id);
	t->fmt->doc(t, d, out);
	return st;
}

/* The header even for no document, unless the input broke; the end of
 * a long document cut short. */
static int tsv_finish(void *state, FILE *out, int status)
{
	struct tsv *t = state;
	int st = EX_OK;

	/* A long document whose later parts never came (the stream broke
	 * off or turned malformed) says so, as a truncated one does. */
	if (t->join.id && t->meta && status != EX_OK && status != EX_NOINPUT &&
	    !json_object_object_get_ex(t->meta, "error", NULL))
		json_object_object_add(t->meta, "error",
				       json_object_new_string("stream ended inside the document"));
	if (t->join.id)
		st = join_end(t, out);
	if (!t->text_mode && (status == EX_OK || status == EX_NOINPUT))
		put_header(t, out);
	return ferror(out) ? EX_IOERR : st;
}

static void tsv_free(void *state)
{
	struct tsv *t = state;

	if (!t)
		return;
	for (size_t k = 0; t->tmps && k < t->ncols; k++)
		buf_free(&t->tmps[k]);
	for (size_t k = 0; k < t->nargs; k++)
		free(t->args[k]);
	free(t->args);
	free(t->vals);
	free(t->tmps);
	free(t->cols);
	buf_free(&t->row);
	buf_free(&t->text);
	buf_free(&t->idkey);
	strmap_free(&t->ids);
	free(t->idv);
	free(t->idmap.slots);
	free(t->rankmap.slots);
	mention_join_free(&t->join);
	if (t->meta)
		json_object_put(t->meta);
	if (t->spool)
		fclose(t->spool);
	free(t);
}

/* Add a column named name; refused (-1, after saying why) if a column of
 * that name is already there. */
static int add_column(struct tsv *t, const struct column *col,
		      const char *arg, const char *name)
{
	for (size_t k = 0; k < t->ncols; k++)
		if (strcmp(t->cols[k].name, name) == 0) {
			diag_warn("column '%s' given twice", name);
			return -1;
		}
	t->cols = xrealloc(t->cols, (t->ncols + 1) * sizeof(*t->cols));
	t->cols[t->ncols++] = (struct outcol){ col, arg, name };
	return 0;
}

/* Split a copy of the comma-separated list arg (kept in t->args) and
 * hand each item to fn.  Empty items are skipped; an item with a TAB,
 * newline or backslash, or a list with no item, is refused. */
static int each_item(struct tsv *t, const char *opt, const char *arg,
		     int (*fn)(struct tsv *t, const char *item))
{
	char *copy = xstrdup(arg), *save = NULL;
	int n = 0;

	t->args = xrealloc(t->args, (t->nargs + 1) * sizeof(*t->args));
	t->args[t->nargs++] = copy;
	for (char *k = strtok_r(copy, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
		if (strpbrk(k, "\t\n\\")) {
			diag_warn("%s: '%s' may not hold a TAB, newline or backslash",
				  opt, k);
			return -1;
		}
		if (fn(t, k) < 0)
			return -1;
		n++;
	}
	if (!n)
		diag_warn("%s: want NAME[,NAME...]", opt);
	return n ? 0 : -1;
}

static int add_builtin(struct tsv *t, const char *name)
{
	struct buf have = BUF_INIT;

	for (size_t k = 0; k < NBUILTIN; k++)
		if (strcmp(builtin[k].name, name) == 0)
			return add_column(t, &builtin[k], NULL, builtin[k].name);
	for (size_t k = 0; k < NBUILTIN; k++)
		buf_printf(&have, "%s%s", k ? ", " : "", builtin[k].name);
	diag_warn("--columns: no column '%s' (have %s)", name, have.s);
	buf_free(&have);
	return -1;
}

static int add_meta(struct tsv *t, const char *key)
{
	return add_column(t, &meta_column, key, key);
}

static int add_attr(struct tsv *t, const char *key)
{
	return add_column(t, &attr_column, key, key);
}

/* The options, kept until all are read: columns are laid out in a fixed
 * order (built-in, then #meta, then attributes) whatever the order of
 * the options. */
struct tsv_opts {
	const char *columns, *meta, *attrs, *format, *by;
};

static int set_columns(struct tsv *t, const struct tsv_opts *o)
{
	if (o->columns) {
		if (each_item(t, "--columns", o->columns, add_builtin) < 0)
			return -1;
	} else {
		for (size_t k = 0; k < NBUILTIN; k++)
			add_builtin(t, builtin[k].name);
	}
	if (o->meta && each_item(t, "--meta", o->meta, add_meta) < 0)
		return -1;
	if (o->attrs && each_item(t, "--attrs", o->attrs, add_attr) < 0)
		return -1;
	t->vals = xcalloc(t->ncols, sizeof(*t->vals));
	t->tmps = xcalloc(t->ncols, sizeof(*t->tmps));
	return 0;
}

static int set_format(struct tsv *t, const struct tsv_opts *o)
{
	const char *name = o->format ? o->format : "tsv";

	t->fmt = NULL;
	for (size_t k = 0; k < sizeof(formats) / sizeof(*formats); k++)
		if (strcmp(formats[k].name, name) == 0)
			t->fmt = &formats[k];
	if (!t->fmt) {
		struct buf have = BUF_INIT;

		for (size_t k = 0; k < sizeof(formats) / sizeof(*formats); k++)
			buf_printf(&have, "%s%s", k ? ", " : "", formats[k].name);
		diag_warn("--format: no format '%s' (have %s)", name, have.s);
		buf_free(&have);
		return -1;
	}
	if (o->by && strcmp(o->by, "doc") != 0 && strcmp(o->by, "mention") != 0) {
		diag_warn("--by: want mention or doc, not '%s'", o->by);
		return -1;
	}
	t->by_doc = o->by && strcmp(o->by, "doc") == 0;
	if (t->by_doc && strcmp(t->fmt->name, "jsonl") != 0) {
		diag_warn("--by doc: only with --format jsonl");
		return -1;
	}
	return 0;
}

static int tsv_init(int argc, char **argv, int *argind, void **state)
{
	struct tsv *t = xcalloc(1, sizeof(*t));
	struct tsv_opts o = { 0 };
	int c, st = EX_OK;

	t->header = 1;
	t->idmap.gen = t->rankmap.gen = 1;
	opt_start();
	while (st == EX_OK && (c = opt_next(&stage_tsv.cli, argc, argv)) != -1) {
		switch (c) {
		case 'f': o.format = optarg; break;
		case 'b': o.by = optarg; break;
		case 'c': o.columns = optarg; break;
		case 'm': o.meta = optarg; break;
		case 'a': o.attrs = optarg; break;
		case 'H': t->header = 0; break;
		case 't': t->text_mode = 1; break;
		default:
			st = stage_opt_status(c);
		}
	}
	if (st == EX_OK && (set_format(t, &o) < 0 || set_columns(t, &o) < 0))
		st = EX_USAGE;
	if (st != EX_OK) {
		tsv_free(t);
		return st;
	}
	*argind = optind;
	*state = t;
	return EX_OK;
}

static const struct opt tsv_opts[] = {
	{ "format", 'f', "FMT", "tsv (default), csv, jsonl or conll" },
	{ "by", 'b', "UNIT", "jsonl: an object per mention (default) or per doc" },
	{ "columns", 'c', "LIST", "the built-in columns to write, in order" },
	{ "meta", 'm', "KEYS", "add columns from #meta keys, e.g. url,date" },
	{ "attrs", 'a', "KEYS", "add columns from mention attributes, e.g. cc,kind" },
	{ "no-header", 'H', NULL, "leave out the header line" },
	{ "text", 't', NULL, "print each document's text instead" },
	{ NULL, 0, NULL, NULL },
};

const struct stage_ops stage_tsv = {
	.cli = {
		.name = "ner-tsv",
		.usage = "[options] [STREAM...]",
		.about = "Write the mentions as a table (TSV, CSV), JSON Lines or CoNLL:\n"
			 "doc, offsets, type, text, canonical name, source, rank,\n"
			 "sentence, entity id.\n",
		.opts = tsv_opts,
		.footer = "See ner-tsv(1).\n",
		.in_order = 1,
	},
	.init = tsv_init,
	.run = tsv_run,
	.finish = tsv_finish,
	.free = tsv_free,
	.tail = 1,
};
