/* doc.c - one document in memory, with an arena for its strings. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "doc.h"

/* Strings live in a chain of blocks; clearing keeps the first block so
 * that a stream of small documents allocates almost nothing. */
struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	char data[];
};

#define ARENA_MIN 65536

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

void doc_clear(struct doc *d)
{
	struct arena_block *b = d->arena;
	size_t total = 0;

	/* One block is kept for the next document.  When this one needed
	 * several, they become one block as big as all of them together,
	 * so that a stream of like-sized documents settles on a single
	 * allocation instead of mapping fresh pages for each. */
	if (b && b->next) {
		while (b) {
			struct arena_block *next = b->next;

			total += b->cap;
			free(b);
			b = next;
		}
		b = xmalloc(sizeof(*b) + total);
		b->cap = total;
	}
	if (b) {
		b->used = 0;
		b->next = NULL;
	}
	d->arena = b;
	free(d->id);
	d->id = NULL;
	d->ntoks = 0;
	d->nlines = 0;
}

void doc_free(struct doc *d)
{
	if (!d)
		return;
	doc_clear(d);
	free(d->arena);
	free(d->toks);
	free(d->lines);
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

struct tok *doc_add_tok(struct doc *d, const struct tok_fields *f)
{
	if (d->ntoks == d->captoks) {
		d->captoks = d->captoks ? d->captoks * 2 : 256;
		d->toks = xrealloc(d->toks, d->captoks * sizeof(*d->toks));
	}
	struct tok *t = &d->toks[d->ntoks++];

	memset(t, 0, sizeof(*t));
	t->start = f->start;
	t->end = f->end;
	t->gap = doc_strndup(d, f->gap, f->gaplen);
	t->text = doc_strndup(d, f->text, f->textlen);
	t->key = doc_strndup(d, f->key, f->keylen);
	t->flags = f->flags;
	t->type = t->canon = t->source = t->attrs = t->extra = "";
	t->pos = TAG_O;
	return t;
}

const char *tok_text(const struct doc *d, const struct tok *t)
{
	(void)d;
	return t->text;
}

const char *tok_key(const struct doc *d, const struct tok *t)
{
	(void)d;
	return t->key;
}

const char *tok_gap(const struct doc *d, const struct tok *t, size_t *len)
{
	(void)d;
	*len = strlen(t->gap);
	return t->gap;
}

uint64_t tok_end(const struct doc *d, const struct tok *t)
{
	(void)d;
	return t->end;
}

const char *tok_type(const struct doc *d, const struct tok *t)
{
	(void)d;
	return t->type;
}

const char *tok_canon(const struct doc *d, const struct tok *t)
{
	(void)d;
	return t->canon;
}

const char *tok_source(const struct doc *d, const struct tok *t)
{
	(void)d;
	return t->source;
}

const char *tok_attrs(const struct doc *d, const struct tok *t)
{
	(void)d;
	return t->attrs;
}

const char *tok_extra(const struct doc *d, const struct tok *t)
{
	(void)d;
	return t->extra;
}

void doc_annotate(struct doc *d, size_t i, enum tag_pos pos,
		  const char *type, size_t typelen, const char *canon,
		  const char *source, const char *attrs, const char *extra)
{
	struct tok *t = &d->toks[i];

	t->pos = pos;
	t->type = pos == TAG_I && i > 0 && d->toks[i - 1].pos != TAG_O &&
		  strlen(d->toks[i - 1].type) == typelen &&
		  memcmp(d->toks[i - 1].type, type, typelen) == 0 ?
		  d->toks[i - 1].type : doc_strndup(d, type, typelen);
	t->canon = doc_strdup(d, canon);
	t->source = doc_strdup(d, source);
	t->attrs = doc_strdup(d, attrs);
	t->extra = doc_strdup(d, extra);
}

void doc_set_canon(struct doc *d, size_t i, const char *s)
{
	d->toks[i].canon = s;
}

void doc_set_attrs(struct doc *d, size_t i, const char *s)
{
	d->toks[i].attrs = s;
}

void doc_rebuild_begin(struct doc *d, struct doc *old)
{
	struct tok *toks = old->toks;
	struct dline *lines = old->lines;
	size_t captoks = old->captoks, caplines = old->caplines;

	old->toks = d->toks;
	old->captoks = d->captoks;
	old->ntoks = d->ntoks;
	old->lines = d->lines;
	old->caplines = d->caplines;
	old->nlines = d->nlines;
	d->toks = toks;
	d->captoks = captoks;
	d->lines = lines;
	d->caplines = caplines;
	d->ntoks = d->nlines = 0;
}

int doc_copy_tok(struct doc *d, const struct doc *old, size_t i)
{
	if (d->ntoks == d->captoks) {
		d->captoks = d->captoks ? d->captoks * 2 : 256;
		d->toks = xrealloc(d->toks, d->captoks * sizeof(*d->toks));
	}
	d->toks[d->ntoks++] = old->toks[i];
	return 0;
}

static struct dline *add_line(struct doc *d, enum dline_kind kind)
{
	if (d->nlines == d->caplines) {
		d->caplines = d->caplines ? d->caplines * 2 : 16;
		d->lines = xrealloc(d->lines, d->caplines * sizeof(*d->lines));
	}
	struct dline *l = &d->lines[d->nlines++];

	l->before = d->ntoks;
	l->kind = kind;
	l->a = l->b = "";
	return l;
}

int doc_copy_line(struct doc *d, const struct doc *old, size_t li)
{
	const struct dline *l = &old->lines[li];
	struct dline *nl = add_line(d, l->kind);

	nl->a = l->a;
	nl->b = l->b;
	return 0;
}

void doc_add_meta(struct doc *d, const char *key, const char *val)
{
	struct dline *l = add_line(d, DL_META);

	l->a = doc_strdup(d, key);
	l->b = doc_strdup(d, val);
}

int doc_add_text(struct doc *d, const char *s, size_t n)
{
	add_line(d, DL_TEXT)->a = doc_strndup(d, s, n);
	return 0;
}

void doc_add_other(struct doc *d, const char *raw)
{
	add_line(d, DL_OTHER)->a = doc_strdup(d, raw);
}

const char *doc_line_text(const struct doc *d, const struct dline *l,
			  size_t *len)
{
	(void)d;
	*len = strlen(l->a);
	return l->a;
}

int doc_set_line_text(struct doc *d, size_t li, const char *s, size_t n)
{
	d->lines[li].a = doc_strndup(d, s, n);
	return 0;
}

const char *doc_meta(const struct doc *d, const char *key)
{
	for (size_t i = 0; i < d->nlines; i++)
		if (d->lines[i].kind == DL_META && strcmp(d->lines[i].a, key) == 0)
			return d->lines[i].b;
	return NULL;
}

void doc_tag(struct doc *d, size_t i, size_t n, const char *type,
	     const char *canon, const char *source, const char *attrs)
{
	const char *t = doc_strdup(d, type);

	for (size_t k = 0; k < n; k++) {
		struct tok *tk = &d->toks[i + k];

		tk->pos = k == 0 ? TAG_B : TAG_I;
		tk->type = t;
		tk->canon = tk->source = tk->attrs = "";
	}
	d->toks[i].canon = doc_strdup(d, canon);
	d->toks[i].source = doc_strdup(d, source);
	d->toks[i].attrs = doc_strdup(d, attrs);
}

size_t doc_mention_len(const struct doc *d, size_t i)
{
	size_t n = 1;

	if (i >= d->ntoks || d->toks[i].pos != TAG_B)
		return 0;
	while (i + n < d->ntoks && d->toks[i + n].pos == TAG_I &&
	       strcmp(d->toks[i + n].type, d->toks[i].type) == 0)
		n++;
	return n;
}

void doc_untag(struct doc *d, size_t i)
{
	struct tok *t = &d->toks[i];

	t->pos = TAG_O;
	t->type = t->canon = t->source = t->attrs = "";
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
