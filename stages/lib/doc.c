/* doc.c - one document in memory: a text store for its tokens and #text,
 * an arena for its other strings. */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "doc.h"
#include "strmap.h"

/* Strings other than the tokens' live in a chain of blocks; clearing
 * keeps the first block so that a stream of small documents allocates
 * almost nothing. */
struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	char data[];
};

_Static_assert(sizeof(struct tok) == 12, "struct tok is 12 bytes");

#define ARENA_MIN 65536
#define GAP_LONG UINT16_MAX
#define CPS_LONG UINT8_MAX

static char *arena_alloc(struct doc *d, size_t n)
{
	struct arena_block *b = d->arena;

	if (!b || b->cap - b->used < n) {
		size_t cap = n > ARENA_MIN ? n : ARENA_MIN;

		if (b && b->cap * 2 > cap && b->cap < (1u << 24))
			cap = b->cap * 2 > n ? b->cap * 2 : cap;
		b = xmalloc(sizeof(*b) + cap);
		b->next = d->arena;
		b->used = 0;
		b->cap = cap;
		d->arena = b;
	}
	char *p = b->data + b->used;
	b->used += n;
	return p;
}

struct doc *doc_new(void)
{
	return xcalloc(1, sizeof(struct doc));
}

/* Empty the arena.  One block is kept for the next document.  When this
 * one needed several, they become one block as big as all of them
 * together, so that a stream of like-sized documents settles on a single
 * allocation instead of mapping fresh pages for each; but not above
 * DOC_KEEP_BYTES. */
static void arena_clear(struct doc *d)
{
	struct arena_block *b = d->arena;
	size_t total = 0;

	if (b && (b->next || b->cap > DOC_KEEP_BYTES)) {
		while (b) {
			struct arena_block *next = b->next;

			total += b->cap;
			free(b);
			b = next;
		}
		if (total <= DOC_KEEP_BYTES) {
			b = xmalloc(sizeof(*b) + total);
			b->cap = total;
		}
	}
	if (b) {
		b->used = 0;
		b->next = NULL;
	}
	d->arena = b;
}

/* Returns p, an array of *cap elements of size bytes, or NULL after
 * freeing it if it is larger than DOC_KEEP_BYTES (*cap is then 0). */
static void *trim(void *p, size_t *cap, size_t size)
{
	return xscratch_trim(p, cap, size, DOC_KEEP_BYTES);
}

/* Free the arrays of d that are too large to keep, and forget their
 * contents (the arena and tags are not d's in a rebuild holder). */
static void clear_arrays(struct doc *d)
{
	size_t captoks = d->captoks;

	d->toks = trim(d->toks, &d->captoks, sizeof(*d->toks));
	d->ann = trim(d->ann, &captoks, sizeof(*d->toks));
	d->lines = trim(d->lines, &d->caplines, sizeof(*d->lines));
	d->longs = trim(d->longs, &d->caplongs, sizeof(*d->longs));
	if (d->store.cap > DOC_KEEP_BYTES)
		buf_free(&d->store);
	d->store.len = 0;
	d->ntoks = d->nlines = d->nlongs = 0;
}

void doc_clear(struct doc *d)
{
	arena_clear(d);
	free(d->id);
	d->id = NULL;
	clear_arrays(d);
	d->anns = trim(d->anns, &d->capanns, sizeof(*d->anns));
	d->extras = trim(d->extras, &d->capextras, sizeof(*d->extras));
	d->etab = trim(d->etab, &d->ecap, sizeof(*d->etab));
	if (d->nent && d->etab)
		memset(d->etab, 0, d->ecap * sizeof(*d->etab));
	d->itab = trim(d->itab, &d->icap, sizeof(*d->itab));
	if (d->nint && d->itab)
		memset(d->itab, 0, d->icap * sizeof(*d->itab));
	d->nanns = d->nextras = d->nent = d->nint = 0;
}

void doc_release(struct doc *d)
{
	doc_clear(d);
	free(d->arena);
	free(d->toks);
	free(d->ann);
	free(d->lines);
	free(d->anns);
	free(d->extras);
	free(d->itab);
	free(d->etab);
	free(d->longs);
	buf_free(&d->store);
	memset(d, 0, sizeof(*d));
}

void doc_free(struct doc *d)
{
	if (!d)
		return;
	doc_release(d);
	free(d);
}

void doc_swap(struct doc *a, struct doc *b)
{
	struct doc t = *a;

	*a = *b;
	*b = t;
}

void doc_set_id(struct doc *d, const char *id)
{
	free(d->id);
	d->id = xstrdup(id);
}

const char *doc_strndup(struct doc *d, const char *s, size_t n)
{
	if (n == 0)
		return "";
	char *p = arena_alloc(d, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

const char *doc_strdup(struct doc *d, const char *s)
{
	return doc_strndup(d, s, strlen(s));
}

/* The hash of s[0..n) in doc_intern's table, which lives only in
 * memory: eight bytes a step, not one (the FNV-1a of hash.h is fixed by
 * the gazetteer format, this one by nothing). */
static size_t str_hash(const char *s, size_t n)
{
	const uint64_t k = 0x9e3779b97f4a7c15ULL;
	uint64_t h = n * k, w;
	uint32_t a, b;

	for (; n > 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * k;
		h ^= h >> 29;
	}
	if (n >= 4) {	/* the last 4 to 8 bytes, in two that may overlap */
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		w = (uint64_t)a << 32 | b;
	} else {
		w = n ? (unsigned char)s[0] | (unsigned char)s[n / 2] << 8 |
			(uint64_t)(unsigned char)s[n - 1] << 16 : 0;
	}
	h = (h ^ w) * k;
	return (size_t)(h ^ h >> 32);
}

static void intern_grow(struct doc *d)
{
	const char **old = d->itab;
	size_t oldcap = d->icap;

	d->icap = d->icap ? 2 * d->icap : 256;
	d->itab = xcalloc(d->icap, sizeof(*d->itab));
	for (size_t k = 0; k < oldcap; k++) {
		if (!old[k])
			continue;
		size_t p = str_hash(old[k], strlen(old[k])) & (d->icap - 1);

		while (d->itab[p])
			p = (p + 1) & (d->icap - 1);
		d->itab[p] = old[k];
	}
	free(old);
}

/* The one empty string of tag entries: their fields are compared by
 * address. */
static const char empty[] = "";

const char *doc_intern(struct doc *d, const char *s)
{
	if (!*s)
		return empty;
	if (2 * (d->nint + 1) > d->icap)
		intern_grow(d);
	size_t n = strlen(s), p = str_hash(s, n) & (d->icap - 1);

	while (d->itab[p]) {
		if (strcmp(d->itab[p], s) == 0)
			return d->itab[p];
		p = (p + 1) & (d->icap - 1);
	}
	d->nint++;
	return d->itab[p] = doc_strndup(d, s, n);
}

/* --- the text store -------------------------------------------------- */

/* Room for n more bytes in the store; 0, or -1 past DOC_MAX_BYTES. */
static int store_room(struct doc *d, size_t n)
{
	if (n > DOC_MAX_BYTES || d->store.len > DOC_MAX_BYTES - n)
		return -1;
	if (d->store.cap - d->store.len <= n)
		buf_reserve(&d->store, n);
	return 0;
}

static void store_put(struct doc *d, const char *s, size_t n)
{
	if (n)
		memcpy(d->store.s + d->store.len, s, n);
	d->store.len += n;
}

/* Copy s[0..n) to p and return the end of the copy.  Token strings are
 * mostly a few bytes: copied in words that may overlap, not by a call. */
static inline char *put_short(char *p, const char *s, size_t n)
{
	if (n > 16) {
		memcpy(p, s, n);
	} else if (n >= 8) {
		memcpy(p, s, 8);
		memcpy(p + n - 8, s + n - 8, 8);
	} else if (n >= 4) {
		memcpy(p, s, 4);
		memcpy(p + n - 4, s + n - 4, 4);
	} else if (n > 0) {
		p[0] = s[0];
		p[n / 2] = s[n / 2];
		p[n - 1] = s[n - 1];
	}
	return p + n;
}

/* --- tokens ---------------------------------------------------------- */

static void grow_toks(struct doc *d)
{
	if (d->ntoks < d->captoks)
		return;
	d->captoks = d->captoks ? d->captoks * 2 : 256;
	d->toks = xrealloc(d->toks, d->captoks * sizeof(*d->toks));
	if (d->ann)
		d->ann = xrealloc(d->ann, d->captoks * sizeof(*d->ann));
}

const struct tok_long *doc_long(const struct doc *d, const struct tok *t)
{
	size_t lo = 0, hi = d->nlongs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->longs[mid].text < t->text)
			lo = mid + 1;
		else
			hi = mid;
	}
	return &d->longs[lo];	/* there is one: t->islong */
}

static void add_long(struct doc *d, uint32_t text, uint64_t gap, uint64_t end)
{
	if (d->nlongs == d->caplongs) {
		d->caplongs = d->caplongs ? d->caplongs * 2 : 16;
		d->longs = xrealloc(d->longs, d->caplongs * sizeof(*d->longs));
	}
	d->longs[d->nlongs++] = (struct tok_long){ text, gap, end };
}

struct tok *doc_add_tok(struct doc *d, const struct tok_fields *f)
{
	int ownkey = f->keylen != f->textlen ||
		     (f->key != f->text && memcmp(f->key, f->text, f->textlen) != 0);
	size_t need = f->gaplen + f->textlen + 1 + (ownkey ? f->keylen + 1 : 0);

	if (f->start > UINT32_MAX || f->end < f->start ||
	    need < f->gaplen || store_room(d, need) < 0)
		return NULL;
	grow_toks(d);

	char *p = d->store.s + d->store.len;
	uint32_t text = (uint32_t)(d->store.len + f->gaplen);

	/* The tokenizer's gap and text lie end to end: one copy. */
	if (f->gaplen && f->gap + f->gaplen == f->text) {
		p = put_short(p, f->gap, f->gaplen + f->textlen);
	} else {
		p = put_short(p, f->gap, f->gaplen);
		p = put_short(p, f->text, f->textlen);
	}
	*p++ = '\0';
	if (ownkey) {
		p = put_short(p, f->key, f->keylen);
		*p++ = '\0';
	}
	*p = '\0';
	d->store.len = (size_t)(p - d->store.s);

	int islong = f->gaplen >= GAP_LONG || f->end - f->start >= CPS_LONG;
	uint8_t cps = islong ? 0 : (uint8_t)(f->end - f->start);
	struct tok *t = &d->toks[d->ntoks];

	*t = (struct tok){
		.text = text, .start = (uint32_t)f->start,
		.gap = islong ? 0 : (uint16_t)f->gaplen, .cps = cps,
		.flags = f->flags & (TOK_SENT | TOK_LINE), .pos = TAG_O,
		.ownkey = ownkey != 0, .islong = islong != 0,
		.cpsbytes = !islong && cps == f->textlen,
	};
	if (islong)
		add_long(d, text, f->gaplen, f->end);
	if (d->ann)
		d->ann[d->ntoks] = 0;
	d->ntoks++;
	return t;
}

/* --- tags and fields 8 to 10 and after ------------------------------- */

/* Entries are values: one per distinct (type, canon, source, attrs) of a
 * document, found again by a hash table of their indexes (etab, 0 for a
 * free slot) over their fields, which are interned strings, so that
 * their addresses tell them apart.  An entry with fields after the tenth
 * is its token's alone (they are per token), and is not in the table.
 * Entry 0, all empty, is no entry. */

static size_t ann_hash(const struct tok_ann *a)
{
	uint64_t h = (uintptr_t)a->type;

	h = h * 0x9e3779b97f4a7c15ULL ^ (uintptr_t)a->canon;
	h = h * 0x9e3779b97f4a7c15ULL ^ (uintptr_t)a->source;
	h = h * 0x9e3779b97f4a7c15ULL ^ (uintptr_t)a->attrs;
	return (size_t)(h ^ h >> 29);
}

static int ann_same(const struct tok_ann *a, const struct tok_ann *b)
{
	return a->type == b->type && a->canon == b->canon &&
	       a->source == b->source && a->attrs == b->attrs;
}

static void etab_put(struct doc *d, uint32_t k)
{
	size_t p = ann_hash(&d->anns[k]) & (d->ecap - 1);

	while (d->etab[p])
		p = (p + 1) & (d->ecap - 1);
	d->etab[p] = k;
}

/* Append entry a (not looked up); returns its index. */
static uint32_t add_ann(struct doc *d, const struct tok_ann *a)
{
	if (d->nanns == 0)
		d->nanns = 1;	/* entry 0 is none */
	if (d->nanns >= d->capanns) {
		d->capanns = d->capanns ? d->capanns * 2 : 64;
		d->anns = xrealloc(d->anns, d->capanns * sizeof(*d->anns));
	}
	d->anns[d->nanns] = *a;
	return (uint32_t)d->nanns++;
}

/* The index of entry a, whose strings are interned, with the fields
 * after the tenth extra (kept as it is); made if need be. */
static uint32_t ann_for(struct doc *d, const struct tok_ann *a, const char *extra)
{
	if (*extra) {
		uint32_t k = add_ann(d, a);

		if (d->nextras == d->capextras) {
			d->capextras = d->capextras ? d->capextras * 2 : 16;
			d->extras = xrealloc(d->extras, d->capextras * sizeof(*d->extras));
		}
		d->extras[d->nextras++] = (struct tok_extra){ k, extra };
		return k;
	}
	if (!*a->type && !*a->canon && !*a->source && !*a->attrs)
		return 0;
	if (2 * (d->nent + 1) > d->ecap) {
		free(d->etab);
		d->ecap = d->ecap ? 2 * d->ecap : 256;
		d->etab = xcalloc(d->ecap, sizeof(*d->etab));
		for (size_t k = 1; k < d->nanns; k++)
			if (!*doc_extra(d, (uint32_t)k))
				etab_put(d, (uint32_t)k);
	}
	size_t p = ann_hash(a) & (d->ecap - 1);

	for (; d->etab[p]; p = (p + 1) & (d->ecap - 1))
		if (ann_same(&d->anns[d->etab[p]], a))
			return d->etab[p];
	d->nent++;
	return d->etab[p] = add_ann(d, a);
}

const char *doc_extra(const struct doc *d, uint32_t k)
{
	size_t lo = 0, hi = d->nextras;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->extras[mid].ann < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < d->nextras && d->extras[lo].ann == k ? d->extras[lo].s : "";
}

/* Give toks[i] the tag position pos and the entry a (interned strings),
 * keeping its fields after the tenth. */
static void set_ann(struct doc *d, size_t i, enum tag_pos pos,
		    const struct tok_ann *a)
{
	uint32_t k = ann_for(d, a, tok_extra(d, &d->toks[i]));

	d->toks[i].pos = pos;
	if (!d->ann && !k)
		return;
	if (!d->ann)
		d->ann = xcalloc(d->captoks, sizeof(*d->ann));
	d->ann[i] = k;
}

/* The entry of toks[i], all empty if it has none. */
static struct tok_ann ann_copy(const struct doc *d, size_t i)
{
	const struct tok_ann *a = tok_ann_of(d, &d->toks[i]);

	return a ? *a : (struct tok_ann){ empty, empty, empty, empty };
}

static const char *intern_n(struct doc *d, const char *s, size_t n)
{
	char small[64];

	if (n < sizeof(small)) {
		memcpy(small, s, n);
		small[n] = '\0';
		return doc_intern(d, small);
	}
	char *big = xmalloc(n + 1);

	memcpy(big, s, n);
	big[n] = '\0';
	const char *r = doc_intern(d, big);

	free(big);
	return r;
}

void doc_annotate(struct doc *d, size_t i, enum tag_pos pos,
		  const char *type, size_t typelen, const char *canon,
		  const char *source, const char *attrs, const char *extra)
{
	struct tok_ann a;

	if (pos == TAG_I)
		a.type = tok_type(d, &d->toks[i - 1]);	/* the stream checked */
	else
		a.type = intern_n(d, type, pos == TAG_B ? typelen : 0);
	a.canon = doc_intern(d, canon);
	a.source = doc_intern(d, source);
	a.attrs = doc_intern(d, attrs);
	d->toks[i].pos = pos;
	uint32_t k = ann_for(d, &a, *extra ? doc_strdup(d, extra) : "");

	if (!d->ann && !k)
		return;
	if (!d->ann)
		d->ann = xcalloc(d->captoks, sizeof(*d->ann));
	d->ann[i] = k;
}

void doc_set_canon(struct doc *d, size_t i, const char *s)
{
	struct tok_ann a = ann_copy(d, i);

	a.canon = doc_intern(d, s);
	set_ann(d, i, d->toks[i].pos, &a);
}

void doc_set_attrs(struct doc *d, size_t i, const char *s)
{
	struct tok_ann a = ann_copy(d, i);

	a.attrs = doc_intern(d, s);
	set_ann(d, i, d->toks[i].pos, &a);
}

/* --- rebuilding ------------------------------------------------------ */

void doc_rebuild_begin(struct doc *d, struct doc *old)
{
	struct doc t = *old;

	old->toks = d->toks;
	old->captoks = d->captoks;
	old->ntoks = d->ntoks;
	old->ann = d->ann;
	old->lines = d->lines;
	old->caplines = d->caplines;
	old->nlines = d->nlines;
	old->store = d->store;
	old->longs = d->longs;
	old->nlongs = d->nlongs;
	old->caplongs = d->caplongs;
	old->anns = d->anns;	/* only to read old's tags: still d's */
	old->nanns = d->nanns;
	old->extras = d->extras;
	old->nextras = d->nextras;
	d->toks = t.toks;
	d->captoks = t.captoks;
	d->ann = t.ann;
	d->lines = t.lines;
	d->caplines = t.caplines;
	d->store = t.store;
	d->longs = t.longs;
	d->caplongs = t.caplongs;
	d->ntoks = d->nlines = d->nlongs = 0;
	d->store.len = 0;
}

void doc_rebuild_end(struct doc *old)
{
	old->anns = NULL;
	old->nanns = 0;
	old->extras = NULL;
	old->nextras = 0;
	doc_release(old);
}

int doc_copy_tok(struct doc *d, const struct doc *old, size_t i)
{
	const struct tok *o = &old->toks[i];
	struct tok_fields f;
	struct tok *t;

	f.text = tok_text(old, o);
	f.textlen = strlen(f.text);
	f.key = tok_key(old, o);
	f.keylen = strlen(f.key);
	f.gap = tok_gap(old, o, &f.gaplen);
	f.start = o->start;
	f.end = tok_end(old, o);
	f.flags = o->flags;
	if (!(t = doc_add_tok(d, &f)))
		return -1;
	t->pos = o->pos;
	if (old->ann && old->ann[i]) {
		if (!d->ann)
			d->ann = xcalloc(d->captoks, sizeof(*d->ann));
		d->ann[d->ntoks - 1] = old->ann[i];
	}
	return 0;
}

/* --- directive lines -------------------------------------------------- */

static struct dline *add_line(struct doc *d, enum dline_kind kind)
{
	if (d->nlines == d->caplines) {
		d->caplines = d->caplines ? d->caplines * 2 : 16;
		d->lines = xrealloc(d->lines, d->caplines * sizeof(*d->lines));
	}
	struct dline *l = &d->lines[d->nlines++];

	l->before = (uint32_t)d->ntoks;
	l->kind = kind;
	l->u.s = "";
	return l;
}

int doc_copy_line(struct doc *d, const struct doc *old, size_t li)
{
	const struct dline *l = &old->lines[li];
	const char *s;
	size_t n;

	if (l->kind == DL_TEXT) {
		s = doc_line_text(old, l, &n);
		return doc_add_text(d, s, n);
	}
	add_line(d, l->kind)->u.s = l->u.s;
	return 0;
}

void doc_add_meta(struct doc *d, const char *key, const char *val)
{
	size_t k = strlen(key), v = strlen(val);
	char *p = arena_alloc(d, k + v + 2);

	memcpy(p, key, k + 1);
	memcpy(p + k + 1, val, v + 1);
	add_line(d, DL_META)->u.s = p;
}

int doc_add_text(struct doc *d, const char *s, size_t n)
{
	if (store_room(d, n) < 0)
		return -1;
	struct dline *l = add_line(d, DL_TEXT);

	l->u.text.off = (uint32_t)d->store.len;
	l->u.text.len = (uint32_t)n;
	store_put(d, s, n);
	d->store.s[d->store.len] = '\0';
	return 0;
}

void doc_add_other(struct doc *d, const char *raw)
{
	add_line(d, DL_OTHER)->u.s = doc_strdup(d, raw);
}

int doc_add_text_lines(struct doc *d, struct buf *text)
{
	size_t at, n = text->len;

	if (n > DOC_MAX_BYTES || d->store.len > DOC_MAX_BYTES - n) {
		buf_reset(text);
		return -1;
	}
	if (d->store.len == 0) {
		struct buf t = d->store;

		d->store = *text;
		*text = t;
		at = 0;
	} else {
		at = d->store.len;
		buf_put(&d->store, text->s, n);
	}
	buf_reset(text);
	while (n > 0) {
		const char *s = d->store.s + at;
		const char *nl = memchr(s, '\n', n);
		size_t len = nl ? (size_t)(nl - s) + 1 : n;
		struct dline *l = add_line(d, DL_TEXT);

		l->u.text.off = (uint32_t)at;
		l->u.text.len = (uint32_t)len;
		at += len;
		n -= len;
	}
	return 0;
}

const char *doc_line_text(const struct doc *d, const struct dline *l,
			  size_t *len)
{
	*len = l->u.text.len;
	return d->store.s ? d->store.s + l->u.text.off : "";
}

const char *doc_line_key(const struct dline *l)
{
	return l->u.s;
}

const char *doc_line_value(const struct dline *l)
{
	return l->u.s + strlen(l->u.s) + 1;
}

const char *doc_line_raw(const struct dline *l)
{
	return l->u.s;
}

int doc_set_line_text(struct doc *d, size_t li, const char *s, size_t n)
{
	if (store_room(d, n) < 0)
		return -1;
	d->lines[li].u.text.off = (uint32_t)d->store.len;
	d->lines[li].u.text.len = (uint32_t)n;
	store_put(d, s, n);
	d->store.s[d->store.len] = '\0';
	return 0;
}

const char *doc_meta(const struct doc *d, const char *key)
{
	for (size_t i = 0; i < d->nlines; i++)
		if (d->lines[i].kind == DL_META &&
		    strcmp(doc_line_key(&d->lines[i]), key) == 0)
			return doc_line_value(&d->lines[i]);
	return NULL;
}

/* The decimal number s, at most max; -1 if it is none. */
static int parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	*v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || *v > (max - (uint64_t)(*s - '0')) / 10)
			return -1;
		*v = *v * 10 + (uint64_t)(*s - '0');
	}
	return 0;
}

int doc_part(const struct doc *d, struct doc_part *p)
{
	enum { SEEN_N = 1, SEEN_START = 2, SEEN_SENTENCE = 4 };
	int bad = 0, seen = 0, key;

	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < d->nlines; i++) {
		const char *k, *v;

		if (d->lines[i].kind != DL_META)
			continue;
		k = doc_line_key(&d->lines[i]);
		v = doc_line_value(&d->lines[i]);
		if (strcmp(k, "part") == 0) {
			key = SEEN_N;
			bad |= parse_u64(v, UINT32_MAX, &p->n) < 0 || p->n == 0;
		} else if (strcmp(k, "part_start") == 0) {
			key = SEEN_START;
			bad |= parse_u64(v, UINT32_MAX, &p->start) < 0;
		} else if (strcmp(k, "part_sentence") == 0) {
			key = SEEN_SENTENCE;
			bad |= strcmp(v, "0") != 0 && strcmp(v, "1") != 0;
			p->sentence = strcmp(v, "1") == 0;
		} else {
			continue;
		}
		bad |= (seen & key) != 0;	/* each at most once */
		seen |= key;
	}
	/* A later part says where it starts; a first or whole one may not. */
	if (bad || (p->n < 2 && (seen & (SEEN_START | SEEN_SENTENCE))) ||
	    (p->n >= 2 && !(seen & SEEN_START)))
		return -1;
	return 0;
}

/* --- mentions ---------------------------------------------------------- */

void doc_tag(struct doc *d, size_t i, size_t n, const char *type,
	     const char *canon, const char *source, const char *attrs)
{
	struct tok_ann a = { doc_intern(d, type), empty, empty, empty };

	for (size_t k = 1; k < n; k++)
		set_ann(d, i + k, TAG_I, &a);
	a.canon = doc_intern(d, canon);
	a.source = doc_intern(d, source);
	a.attrs = doc_intern(d, attrs);
	set_ann(d, i, TAG_B, &a);
}

/* The text of tokens [i, i + n): joined by their gaps as written, or
 * with as_name, by one space where there is a gap (doc.h).  One copy a
 * token, each with its NUL: ner-tsv, ner-html and ner-db want the text
 * of every mention of more than one token (mention_text). */
static void span(const struct doc *d, size_t i, size_t n, struct buf *out,
		 int as_name)
{
	buf_reset(out);
	buf_reserve(out, 0);
	out->s[0] = '\0';
	for (size_t k = i; k < i + n; k++) {
		const struct tok *t = &d->toks[k];
		const char *from = tok_text(d, t);
		size_t gl, len = strlen(from), space = 0;
		const char *gap = tok_gap(d, t, &gl);
		char *o;

		if (k > i && !as_name) {
			from = gap;	/* it lies just before the text */
			len += gl;
		} else if (k > i && gl) {
			space = 1;
		}
		buf_reserve(out, space + len);
		o = out->s + out->len;
		if (space)
			*o++ = ' ';
		memcpy(o, from, len + 1);	/* the text ends with a NUL */
		out->len += space + len;
	}
}

void doc_span_text(const struct doc *d, size_t i, size_t n, struct buf *out)
{
	span(d, i, n, out, 0);
}

void doc_span_name(const struct doc *d, size_t i, size_t n, struct buf *out)
{
	span(d, i, n, out, 1);
}

/* The length of the mention that toks[i], a B- token, starts.  Not
 * inline, so that doc_mention_len saves no registers for it. */
__attribute__((noinline))
static size_t mention_len(const struct doc *d, size_t i)
{
	size_t n = 1;
	const char *type = tok_type(d, &d->toks[i]);

	while (i + n < d->ntoks && d->toks[i + n].pos == TAG_I) {
		const char *t = tok_type(d, &d->toks[i + n]);

		if (t != type && strcmp(t, type) != 0)
			break;
		n++;
	}
	return n;
}

size_t doc_mention_len(const struct doc *d, size_t i)
{
	/* Asked of every token by the taggers and writers: the answer for
	 * one that starts no mention costs no more than this test. */
	if (i >= d->ntoks || d->toks[i].pos != TAG_B)
		return 0;
	return mention_len(d, i);
}

void doc_untag(struct doc *d, size_t i)
{
	static const struct tok_ann none = { empty, empty, empty, empty };

	set_ann(d, i, TAG_O, &none);
}

void doc_untag_cut(struct doc *d, size_t i, size_t end)
{
	if (i < d->ntoks && d->toks[i].pos == TAG_I)
		for (size_t k = i; k-- > 0;) {
			enum tag_pos was = d->toks[k].pos;

			doc_untag(d, k);
			if (was != TAG_I)
				break;
		}
	for (size_t k = end; k < d->ntoks && d->toks[k].pos == TAG_I; k++)
		doc_untag(d, k);
}

char *doc_id_take(struct strmap *taken, const char *base, size_t n)
{
	struct buf b = BUF_INIT;
	size_t seen;

	buf_put(&b, base, n);
	for (size_t k = 2; strmap_get(taken, b.s, &seen); k++) {
		buf_reset(&b);
		buf_printf(&b, "%.*s~%zu", (int)n, base, k);
	}
	for (char *c = b.s; *c; c++)
		if (*c == '\t' || *c == '\n' || *c == '\r')
			*c = '_';
	strmap_put(taken, b.s, 1);
	return b.s;
}
