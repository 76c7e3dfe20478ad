/* doc.c - one document in memory, with an arena for its strings. */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
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

struct tok *doc_add_tok(struct doc *d)
{
	if (d->ntoks == d->captoks) {
		d->captoks = d->captoks ? d->captoks * 2 : 256;
		d->toks = xrealloc(d->toks, d->captoks * sizeof(*d->toks));
	}
	struct tok *t = &d->toks[d->ntoks++];

	memset(t, 0, sizeof(*t));
	t->text = t->gap = t->key = "";
	t->type = t->canon = t->source = t->attrs = t->extra = "";
	t->pos = TAG_O;
	return t;
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
	l->key = l->value = "";
	return l;
}

void doc_add_meta(struct doc *d, const char *key, const char *val)
{
	struct dline *l = add_line(d, DL_META);

	l->key = doc_strdup(d, key);
	l->value = doc_strdup(d, val);
}

void doc_add_text(struct doc *d, const char *s, size_t n)
{
	add_line(d, DL_TEXT)->text = doc_strndup(d, s, n);
}

void doc_add_other(struct doc *d, const char *raw)
{
	add_line(d, DL_OTHER)->raw = doc_strdup(d, raw);
}

void doc_keep_line(struct doc *d, const struct dline *l)
{
	struct dline *nl = add_line(d, l->kind);

	nl->key = l->key;	/* or text, or raw: one union */
	nl->value = l->value;
}

const char *doc_meta(const struct doc *d, const char *key)
{
	for (size_t i = 0; i < d->nlines; i++)
		if (d->lines[i].kind == DL_META && strcmp(d->lines[i].key, key) == 0)
			return d->lines[i].value;
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

void doc_span_text(const struct doc *d, size_t i, size_t n, struct buf *out)
{
	buf_reset(out);
	buf_put(out, "", 0);
	for (size_t k = i; k < i + n; k++) {
		if (k > i)
			buf_puts(out, d->toks[k].gap);
		buf_puts(out, d->toks[k].text);
	}
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

void doc_untag(struct tok *t)
{
	t->pos = TAG_O;
	t->type = t->canon = t->source = t->attrs = "";
}

void doc_untag_cut(struct doc *d, size_t i, size_t end)
{
	if (i < d->ntoks && d->toks[i].pos == TAG_I)
		for (size_t k = i; k-- > 0;) {
			enum tag_pos was = d->toks[k].pos;

			doc_untag(&d->toks[k]);
			if (was != TAG_I)
				break;
		}
	for (size_t k = end; k < d->ntoks && d->toks[k].pos == TAG_I; k++)
		doc_untag(&d->toks[k]);
}

void doc_span_name(const struct doc *d, size_t i, size_t n, struct buf *out)
{
	buf_reset(out);
	buf_put(out, "", 0);
	for (size_t k = i; k < i + n; k++) {
		if (k > i && d->toks[k].gap[0])
			buf_putc(out, ' ');
		buf_puts(out, d->toks[k].text);
	}
}
