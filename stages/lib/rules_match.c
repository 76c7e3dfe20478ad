/* rules_match.c - match rules against the tokens of a document and
 * apply them (ner-rules(5), "Matching"). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "gaz.h"
#include "rules.h"
#include "rules_index.h"
#include "rules_int.h"
#include "rules_test.h"
#include "tokenize.h"
#include "utf.h"

/* --- token classes for the prefilter -------------------------------------- */

/* The classes of a token that no rule changes. */
static unsigned static_class(const struct doc *d, const struct tok *t)
{
	unsigned c = 0;
	const char *text = tok_text(d, t);
	unsigned char ch = (unsigned char)text[0];
	int32_t cp;

	if (t->flags & TOK_SENT)
		c |= TC_SENT;
	if (t->flags & TOK_LINE)
		c |= TC_LINE;
	if (ch < 0x80)
		c |= (ch >= 'A' && ch <= 'Z') ? TC_CAP : TC_NOTCAP;
	else
		c |= (utf_decode(text, strlen(text), &cp) > 0 &&
		      utf_is_upper(cp)) ? TC_CAP : TC_NOTCAP;
	return c;
}

/* The classes of a token that follow its tag. */
static unsigned tag_class(const struct tok *t)
{
	return (t->pos == TAG_O ? TC_UNTAGGED : TC_TAGGED) |
	       (t->pos == TAG_B ? TC_BEGIN : 0);
}

/* Bring the classes of toks[lo..hi) up to date with their tags. */
static void sync_classes(struct rules *r, const struct doc *d, size_t lo,
			 size_t hi)
{
	for (size_t k = lo; k < hi; k++)
		r->cls[k] = (unsigned char)((r->cls[k] & ~TC_TAG_BITS) |
					    tag_class(&d->toks[k]));
}

/* Can a match of ru start at toks[i] at all? */
static int may_start(const struct rules *r, const struct rule *ru,
		     const struct doc *d, size_t i)
{
	for (size_t k = 0; k < ru->nneed; k++) {
		if (i + k >= d->ntoks)
			return 0;
		unsigned char c = r->fb[i + k];

		if (!(ru->first[k][c / 8] & (1u << (c % 8))))
			return 0;
		if ((r->cls[i + k] & ru->need[k]) != ru->need[k])
			return 0;
	}
	return 1;
}

/* --- matching -------------------------------------------------------------- */

/* One search for a match of ru starting at d->toks[start]. */
struct match {
	struct rules *r;
	const struct rule *ru;
	const struct doc *d;
	size_t start;
	unsigned long steps;
};

/* May the match take toks[q]?  Not past the end or the length limit, and
 * not a token that starts a line or sentence, except the first. */
static int can_take(const struct match *m, size_t q)
{
	if (q >= m->d->ntoks || q - m->start >= RULES_MAX_TOKS)
		return 0;
	return q == m->start ||
	       !(m->d->toks[q].flags & (TOK_SENT | TOK_LINE));
}

/* Does the sentence or line end before toks[q]?  (Not at the match's
 * first token.) */
static int at_end(const struct match *m, size_t q)
{
	return q >= m->d->ntoks ||
	       (q != m->start && (m->d->toks[q].flags & (TOK_SENT | TOK_LINE)));
}

static int tok_ok(struct match *m, const struct rule_elem *e, size_t q)
{
	return rules_elem_ok(m->r, e, m->d, q, 0);
}

static int match_from(struct match *m, size_t e, size_t q);

static int match_list(struct match *m, size_t e, size_t q)
{
	const struct rule_elem *el = &m->ru->elems[e];
	size_t len = 0;

	if (can_take(m, q)) {
		uint8_t *cell = &m->r->listlen[rules_row_of(m->r, q) * m->r->nlists +
					       el->listno];

		if (!*cell) {
			struct gaz_hit hit;
			int found = gaz_match(el->list, m->d, q, 1, &hit);

			if (found < 0)
				rules_note_fault(m->r, el->list, found);
			/* hit.len is at most GAZ_MAXTOKS. */
			*cell = (uint8_t)(1 + (found > 0 ? hit.len : 0));
		}
		len = *cell - 1;
	}
	if (len && q + len - m->start <= RULES_MAX_TOKS &&
	    match_from(m, e + 1, q + len))
		return 1;
	return el->min == 0 && match_from(m, e + 1, q);
}

/* Match elements e... from toks[q] on, greedy, backtracking; on success
 * m->r->pos[0..nelems] say where each element starts and the match ends.
 * Only a match with a non-empty target counts. */
static int match_from(struct match *m, size_t e, size_t q)
{
	const struct rule *ru = m->ru;
	size_t *pos = m->r->pos;

	if (++m->steps > RULES_MAX_STEPS)
		return 0;
	pos[e] = q;
	if (e == ru->nelems)
		return pos[ru->tstart] < pos[ru->tend];
	const struct rule_elem *el = &ru->elems[e];

	if (el->kind == E_LIST)
		return match_list(m, e, q);
	size_t n = 0;

	while (n < el->max && can_take(m, q + n) && tok_ok(m, el, q + n))
		n++;
	for (;; n--) {
		if (n < el->min)
			return 0;
		if ((n > 0 || !el->or_end || at_end(m, q)) &&
		    match_from(m, e + 1, q + n))
			return 1;
		if (n == 0)
			return 0;
	}
}

/* Does toks[i..end) cut into a mention that starts before it or goes on
 * after it? */
static int cuts_into(const struct doc *d, size_t i, size_t end)
{
	return d->toks[i].pos == TAG_I ||
	       (end < d->ntoks && d->toks[end].pos == TAG_I);
}

/* Do ru's action on the target toks[i..end).  Returns 1 if applied. */
static int act(struct rules *r, const struct rule *ru, struct doc *d,
	       size_t i, size_t end)
{
	int tagged = 0;

	for (size_t k = i; k < end; k++)
		tagged |= d->toks[k].pos != TAG_O;
	if (ru->action == A_TAG && tagged)
		return 0;
	if (ru->action == A_UNTAG && !tagged)
		return 0;
	/* A retag may swallow whole mentions, never cut into one: rules
	 * extend what the gazetteers found, they do not shrink it. */
	if (ru->action == A_FORCE && cuts_into(d, i, end))
		return 0;
	if (ru->action == A_FORCE && d->toks[i].pos == TAG_B &&
	    doc_mention_len(d, i) == end - i &&
	    strcmp(tok_type(d, &d->toks[i]), ru->type) == 0)
		return 0;
	/* The tokens whose tags may change: the target and the rest of any
	 * mention it cuts into. */
	size_t lo = i, hi = end;

	while (lo > 0 && d->toks[lo].pos == TAG_I)
		lo--;
	while (hi < d->ntoks && d->toks[hi].pos == TAG_I)
		hi++;
	if (ru->action == A_UNTAG) {
		doc_untag_cut(d, i, end);
		for (size_t k = i; k < end; k++)
			doc_untag(d, k);
	} else {
		doc_span_name(d, i, end - i, &r->surface);
		doc_tag(d, i, end - i, ru->type, r->surface.s, ru->source, "");
	}
	sync_classes(r, d, lo, hi);
	rules_index_changed(r, lo, hi);
	return 1;
}

/* --- applying -------------------------------------------------------------- */

/* Apply rule r->rules[q] to d. */
static size_t apply_rule(struct rules *r, size_t q, struct doc *d,
			 rules_trace_fn *trace, void *arg)
{
	const struct rule *ru = r->rules[q];
	struct match m = { r, ru, d, 0, 0 };
	size_t applied = 0, next = 0;

	/* A new generation for this rule and document; after 63 of them
	 * the stamps would repeat, so start again from clean cells. */
	if (++r->memo_gen >= 64) {
		memset(r->memo, 0, r->nrows * r->memo_cols);
		r->memo_gen = 1;
	}
	rules_find_starts(r, q, d);

	/* Left to right over the candidate starts; after an applied match
	 * the search goes on where it ended. */
	for (size_t w = 0; w * 64 < d->ntoks; w++)
		for (uint64_t bits = r->ix.starts[w]; bits; bits &= bits - 1) {
			size_t i = w * 64 + (size_t)__builtin_ctzll(bits);

			if (i >= d->ntoks)
				break;
			if (i < next)
				continue;
			m.start = i;
			m.steps = 0;
			if (!may_start(r, ru, d, i))
				continue;
			int found = match_from(&m, 0, i);

			r->steps += m.steps;
			if (!found)
				continue;
			size_t ts = r->pos[ru->tstart], te = r->pos[ru->tend];
			size_t end = r->pos[ru->nelems];

			if (!act(r, ru, d, ts, te))
				continue;
			if (trace)
				trace(d, ts, te - ts, ru->name, ru->type, arg);
			applied++;
			next = end;
		}
	return applied;
}

/* TC_HEAD in r->cls[i]: is token i on a heading line? */
static void mark_headings(struct rules *r, const struct doc *d)
{
	for (size_t a = 0, b; a < d->ntoks; a = b) {
		for (b = a + 1; b < d->ntoks && !(d->toks[b].flags & TOK_LINE); b++)
			;
		if (tokenize_is_heading(d, a, b))
			for (size_t k = a; k < b; k++)
				r->cls[k] |= TC_HEAD;
	}
}

/* Make the token cache ready for d: rows for its tokens up to
 * RULES_CACHE_ROWS, all free; cells for the most regex tests of a rule;
 * shapes for every token, all unknown. */
static void cache_begin(struct rules *r, const struct doc *d)
{
	size_t rows = 1, cols = 0;

	while (rows < d->ntoks && rows < RULES_CACHE_ROWS)
		rows *= 2;
	for (size_t q = 0; q < r->nrules; q++)
		if (r->rules[q]->nslots > cols)
			cols = r->rules[q]->nslots;
	r->nrows = rows;
	r->rowmask = rows - 1;
	r->memo_cols = cols;
	/* Row q is token q's to begin with, all unknown: a document that
	 * has a row per token never needs rules_take_row(). */
	r->rowtok = xscratch(r->rowtok, &r->rowtok_cap, rows, sizeof(*r->rowtok));
	for (size_t q = 0; q < rows; q++)
		r->rowtok[q] = (uint32_t)q + 1;
	r->shapes = xscratch_zero(r->shapes, &r->shapes_cap, d->ntoks + 1, 1);
	r->listlen = xscratch_zero(r->listlen, &r->listlen_cap,
				   rows * r->nlists, sizeof(*r->listlen));
	r->memo = xscratch_zero(r->memo, &r->memo_cap, rows * cols, 1);
	r->memo_gen = 0;	/* every cell is clear */
}

/* Free what one large document left: the per-token arrays above
 * RULES_KEEP_BYTES (the token cache is bounded already). */
static void trim_scratch(struct rules *r)
{
	r->cls = xscratch_trim(r->cls, &r->cls_cap, 1, RULES_KEEP_BYTES);
	r->fb = xscratch_trim(r->fb, &r->fb_cap, 1, RULES_KEEP_BYTES);
	r->shapes = xscratch_trim(r->shapes, &r->shapes_cap, 1,
				  RULES_KEEP_BYTES);
	rules_index_trim(r);
}

size_t rules_apply(struct rules *r, struct doc *d, rules_trace_fn *trace,
		   void *arg)
{
	size_t applied = 0;

	if (!r->ix.built)
		rules_index_build(r);
	r->cls = xscratch(r->cls, &r->cls_cap, d->ntoks, 1);
	r->fb = xscratch(r->fb, &r->fb_cap, d->ntoks, 1);
	cache_begin(r, d);
	for (size_t i = 0; i < d->ntoks; i++) {
		r->cls[i] = (unsigned char)(static_class(d, &d->toks[i]) |
					    tag_class(&d->toks[i]));
		r->fb[i] = (unsigned char)tok_text(d, &d->toks[i])[0];
	}
	mark_headings(r, d);
	rules_index_doc(r, d);
	r->steps = 0;
	r->fault = 0;
	r->faulty = NULL;
	for (size_t q = 0; q < r->nrules; q++) {
		r->cur = r->rules[q];
		applied += apply_rule(r, q, d, trace, arg);
	}
	r->cur = NULL;
	trim_scratch(r);
	return applied;
}
