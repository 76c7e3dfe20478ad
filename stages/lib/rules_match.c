/* rules_match.c - match rules against the tokens of a document and
 * apply them (ner-rules(5), "Matching"). */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <strings.h>

#include "buf.h"
#include "diag.h"
#include "gaz.h"
#include "rules.h"
#include "rules_int.h"
#include "tokenize.h"
#include "utf.h"

/* --- token classes for the prefilter -------------------------------------- */

/* The classes of a token that no rule changes. */
/* Guards the per-rule limit counts, which threads sharing a rule set
 * (rules_clone) all update. */
static pthread_mutex_t limit_lock = PTHREAD_MUTEX_INITIALIZER;

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

#define SHAPE(kind) (1u << ((kind) - T_CAP))
#define SHAPES_KNOWN 0x80

/* The shape tests that s passes, as SHAPE() bits, from one pass over
 * its characters. */
static unsigned token_shapes(const char *s)
{
	size_t n = strlen(s), letters = 0, lowers = 0, digits = 0, first_len = 0;
	int32_t first = -1, cp;
	unsigned sh = 0;

	for (size_t i = 0; i < n;) {
		int k = utf_decode(s + i, n - i, &cp);

		if (k < 0)
			k = 1;
		if (i == 0) {
			first = k > 0 ? cp : -1;
			first_len = (size_t)k;
		}
		letters += utf_is_letter(cp) != 0;
		lowers += utf_is_lower(cp) != 0;
		digits += utf_is_digit(cp) != 0;
		i += (size_t)k;
	}
	if (first >= 0 && utf_is_upper(first)) {
		sh |= SHAPE(T_CAP);
		if (!s[first_len] || (s[first_len] == '.' && !s[first_len + 1]))
			sh |= SHAPE(T_INITIAL);
	}
	if (first >= 0 && utf_is_lower(first))
		sh |= SHAPE(T_LOWER);
	if (first >= 0 && utf_is_digit(first))
		sh |= SHAPE(T_NUM);
	if (letters >= 2 && lowers == 0)
		sh |= SHAPE(T_UPPER);
	if (letters == 0 && digits == 0)
		sh |= SHAPE(T_PUNCT);
	if (letters > 0)
		sh |= SHAPE(T_WORD);
	return sh;
}

/* Make row the token cache row of token q, with nothing known. */
static void take_row(struct rules *r, size_t row, size_t q)
{
	r->rowtok[row] = (uint32_t)q + 1;
	r->shapes[row] = 0;
	memset(r->listlen + row * r->nlists, 0, r->nlists * sizeof(*r->listlen));
	memset(r->inlist + row * r->nlists, 0, r->nlists * sizeof(*r->inlist));
	memset(r->memo + row * r->memo_cols, 0, r->memo_cols);
}

/* The token cache row of token q (struct rules), cleared first if it
 * held another token's. */
static inline size_t row_of(struct rules *r, size_t q)
{
	size_t row = q & r->rowmask;

	if (r->rowtok[row] != q + 1)
		take_row(r, row, q);
	return row;
}

/* Does toks[q] pass the shape test kind?  All its shapes are worked out
 * at the first question: rules ask the same of a token many times. */
static int shape_memo(struct rules *r, enum test_kind kind,
		      const struct doc *d, size_t q)
{
	uint8_t *sh = &r->shapes[row_of(r, q)];

	if (!(*sh & SHAPES_KNOWN))
		*sh = (uint8_t)(SHAPES_KNOWN |
				token_shapes(tok_text(d, &d->toks[q])));
	return (*sh & SHAPE(kind)) != 0;
}

int rules_cmp_word(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int rules_cmp_word_ci(const void *a, const void *b)
{
	return strcasecmp(*(char *const *)a, *(char *const *)b);
}

static int is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

static int re_ok(struct rules *r, const struct rule_test *t, const char *s)
{
	if (t->words && (!t->caseless || is_ascii(s)))
		return bsearch(&s, t->words, t->nwords, sizeof(*t->words),
			       t->caseless ? rules_cmp_word_ci : rules_cmp_word) != NULL;
	int rc = pcre2_match(t->re, (PCRE2_SPTR)s, strlen(s), 0, 0, r->md,
			     r->mctx);

	if (rc >= 0)
		return 1;
	if (rc != PCRE2_ERROR_NOMATCH) {	/* a limit: no match, counted */
		r->limit_hits++;
		/* The rule may be shared by threads (rules_clone). */
		pthread_mutex_lock(&limit_lock);
		if (r->cur->limit_hits++ == 0)
			r->cur->limit_text = xstrdup(s);
		pthread_mutex_unlock(&limit_lock);
	}
	return 0;
}

/* Has s fewer than min code points?  Its length in bytes mostly says. */
static int too_short(const char *s, uint32_t min)
{
	size_t n = strlen(s);

	if (n < min)
		return 1;
	return n < 4 * (size_t)min && utf_count(s, n) < min;
}

/* A regex test of d's token q, looked up in the memo first. */
static int re_memo(struct rules *r, const struct rule_test *t,
		   const struct doc *d, size_t q)
{
	uint8_t *cell = &r->memo[row_of(r, q) * r->memo_cols + t->slot];
	const struct tok *tk = &d->toks[q];
	const char *s = t->kind == T_TEXT_RE ? tok_text(d, tk) : tok_key(d, tk);
	unsigned char c = (unsigned char)s[0];
	unsigned base = r->memo_gen << 2;

	if ((*cell >> 2) != r->memo_gen) {
		if (t->first && (!c || !(t->first[c / 8] & (1u << (c % 8)))))
			*cell = (uint8_t)(base | 1);
		else if (t->minlen && too_short(s, t->minlen))
			*cell = (uint8_t)(base | 1);
		else
			*cell = (uint8_t)(base | (1 + (unsigned)re_ok(r, t, s)));
	}
	return *cell == (base | 2);
}

int rules_test_ok(struct rules *r, const struct rule_test *t,
		  const struct doc *d, size_t q)
{
	const struct tok *tk = &d->toks[q];
	const char *s;
	size_t n;
	int ok;

	switch (t->kind) {
	case T_TEXT_RE:
	case T_KEY_RE:
		ok = re_memo(r, t, d, q);
		break;
	case T_TAG:
		/* Types differ in their first letter most often. */
		ok = tk->pos != TAG_O && (s = tok_type(d, tk))[0] == t->arg[0] &&
		     strcmp(s, t->arg) == 0;
		break;
	case T_UNTAGGED:
		ok = tk->pos == TAG_O;
		break;
	case T_TAGGED:
		ok = tk->pos != TAG_O;
		break;
	case T_BEGIN:
		ok = tk->pos == TAG_B;
		break;
	case T_IN: {
		uint32_t *cell = &r->inlist[row_of(r, q) * r->nlists + t->listno];

		if (!*cell) {
			const struct rules_list *l = &r->lists[t->listno];

			s = tok_key(d, tk);
			*cell = INMASK_KNOWN |
				gaz_has_types(t->list, s, strlen(s),
					      (const char *const *)l->types, l->ntypes);
		}
		ok = (*cell >> t->inbit) & 1;
		break;
	}
	case T_SENT:
		ok = (tk->flags & TOK_SENT) != 0;
		break;
	case T_LINE:
		ok = (tk->flags & TOK_LINE) != 0;
		break;
	case T_HEAD:
		ok = (r->cls[q] & TC_HEAD) != 0;
		break;
	case T_GLUED:
		tok_gap(d, tk, &n);
		ok = n == 0;
		break;
	case T_ANY:
		ok = 1;
		break;
	case T_TEXT:
		s = tok_text(d, tk);
		ok = s[0] == t->arg[0] && strcmp(s, t->arg) == 0;
		break;
	default:
		ok = shape_memo(r, t->kind, d, q);
	}
	return !!ok != t->neg;
}

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

static int tok_ok(struct match *m, const struct rule_elem *e, size_t q)
{
	for (size_t k = 0; k < e->ntests; k++)
		if (!rules_test_ok(m->r, &e->tests[k], m->d, q))
			return 0;
	return 1;
}

static int match_from(struct match *m, size_t e, size_t q);

static int match_list(struct match *m, size_t e, size_t q)
{
	const struct rule_elem *el = &m->ru->elems[e];
	size_t len = 0;

	if (can_take(m, q)) {
		uint8_t *cell = &m->r->listlen[row_of(m->r, q) * m->r->nlists +
					       el->listno];

		if (!*cell) {
			struct gaz_hit hit;

			*cell = (uint8_t)(1 + (gaz_match(el->list, m->d, q, 1, &hit) > 0 ?
					       hit.len : 0));
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
		if (match_from(m, e + 1, q + n))
			return 1;
		if (n == 0)
			return 0;
	}
}

void rules_surface(struct buf *out, const struct doc *d, size_t i, size_t n)
{
	buf_reset(out);
	buf_put(out, "", 0);
	for (size_t k = i; k < i + n; k++) {
		if (k > i) {
			size_t gl;
			const char *gap = tok_gap(d, &d->toks[k], &gl);

			buf_put(out, gap, gl);
		}
		buf_puts(out, tok_text(d, &d->toks[k]));
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
		rules_surface(&r->surface, d, i, end - i);
		doc_tag(d, i, end - i, ru->type, r->surface.s, ru->source, "");
	}
	sync_classes(r, d, lo, hi);
	rules_index_changed(r, lo, hi);
	return 1;
}

/* --- applying -------------------------------------------------------------- */

static size_t apply_rule(struct rules *r, const struct rule *ru,
			 struct doc *d, rules_trace_fn *trace, void *arg)
{
	struct match m = { r, ru, d, 0, 0 };
	size_t applied = 0, next = 0;
	/* A new generation for this rule and document; after 63 of them
	 * the stamps would repeat, so start again from clean cells. */
	if (++r->memo_gen >= 64) {
		memset(r->memo, 0, r->nrows * r->memo_cols);
		r->memo_gen = 1;
	}
	rules_find_starts(r, ru, d);

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
 * RULES_CACHE_ROWS, all free; cells for the most regex tests of a rule. */
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
	 * has a row per token never needs take_row(). */
	r->rowtok = rules_grow(r->rowtok, &r->rowtok_cap, rows, sizeof(*r->rowtok));
	for (size_t q = 0; q < rows; q++)
		r->rowtok[q] = (uint32_t)q + 1;
	r->shapes = rules_grow_clear(r->shapes, &r->shapes_cap, rows, 1);
	r->listlen = rules_grow_clear(r->listlen, &r->listlen_cap,
				      rows * r->nlists, sizeof(*r->listlen));
	r->inlist = rules_grow_clear(r->inlist, &r->inlist_cap, rows * r->nlists,
				     sizeof(*r->inlist));
	r->memo = rules_grow_clear(r->memo, &r->memo_cap, rows * cols, 1);
	r->memo_gen = 0;	/* every cell is clear */
}

/* Free what one large document left: the per-token arrays above
 * RULES_KEEP_BYTES (the token cache is bounded already). */
static void trim_scratch(struct rules *r)
{
	r->cls = rules_trim(r->cls, &r->cls_cap, 1);
	r->fb = rules_trim(r->fb, &r->fb_cap, 1);
	rules_index_trim(r);
}

size_t rules_apply(struct rules *r, struct doc *d, rules_trace_fn *trace,
		   void *arg)
{
	size_t applied = 0;

	if (!r->ix.built)
		rules_index_build(r);
	r->cls = rules_grow(r->cls, &r->cls_cap, d->ntoks, 1);
	r->fb = rules_grow(r->fb, &r->fb_cap, d->ntoks, 1);
	cache_begin(r, d);
	for (size_t i = 0; i < d->ntoks; i++) {
		r->cls[i] = (unsigned char)(static_class(d, &d->toks[i]) |
					    tag_class(&d->toks[i]));
		r->fb[i] = (unsigned char)tok_text(d, &d->toks[i])[0];
	}
	mark_headings(r, d);
	rules_index_doc(r, d);
	r->steps = 0;
	for (size_t q = 0; q < r->nrules; q++) {
		r->cur = r->rules[q];
		applied += apply_rule(r, r->rules[q], d, trace, arg);
	}
	r->cur = NULL;
	trim_scratch(r);
	return applied;
}

void rules_limit_report(struct rules *r, rules_limit_fn *fn, void *arg)
{
	pthread_mutex_lock(&limit_lock);
	for (size_t q = 0; q < r->nrules; q++) {
		struct rule *ru = r->rules[q];

		if (ru->limit_text && !ru->limit_said) {
			ru->limit_said = 1;
			fn(ru->name, ru->limit_text, arg);
		}
	}
	pthread_mutex_unlock(&limit_lock);
}

size_t rules_limit_hits(const struct rules *r)
{
	return r->limit_hits;
}
