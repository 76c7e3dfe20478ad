/* rules.c - the rule set: parse ner-rules(5) rule files into it. */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <ctype.h>
#include <errno.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "alloc.h"
#include "buf.h"
#include "diag.h"
#include "err.h"
#include "gaz.h"
#include "hash.h"
#include "path.h"
#include "relit.h"
#include "rules.h"
#include "rules_int.h"
#include "rules_test.h"
#include "utf.h"

/*
 * What the rule set keeps of its rules (the rules, their elements,
 * tests, names, test arguments and match keys) and the names of its
 * lists comes from the blocks of a pool, which rules_free frees
 * together: the rule file is read at each start, and a thousand small
 * allocations and frees were a tenth of the work of reading it.  A rule
 * that fails to parse leaves its share there until then.  Word lists
 * (relit_expand) and pcre2 code are still freed one by one (rule_free).
 * An allocation of more than a quarter of a block gets a block of its
 * own.
 */
struct rules_pool {
	struct rules_pool *next;
	size_t used, size;
	max_align_t data[];
};

#define POOL_BLOCK 32768

/* n bytes, aligned for anything, that live until rules_free. */
static void *pool_alloc(struct rules *r, size_t n)
{
	struct rules_pool *b = r->pool;

	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) *
	    sizeof(max_align_t);
	if (!b || b->size - b->used < n) {
		size_t size = n > POOL_BLOCK / 4 ? n : POOL_BLOCK;

		b = xmalloc(sizeof(*b) + size);
		b->size = size;
		b->used = 0;
		if (size == n && r->pool) {
			/* A large one of its own: the block in use stays
			 * first. */
			b->next = r->pool->next;
			r->pool->next = b;
		} else {
			b->next = r->pool;
			r->pool = b;
		}
	}
	void *p = (char *)b->data + b->used;

	b->used += n;
	return p;
}

static void *pool_zalloc(struct rules *r, size_t n)
{
	return memset(pool_alloc(r, n), 0, n);
}

/* A copy of s[0..n) with a NUL after it, in r's pool. */
static char *pool_str(struct rules *r, const char *s, size_t n)
{
	char *c = pool_alloc(r, n + 1);

	memcpy(c, s, n);
	c[n] = '\0';
	return c;
}

static void pool_free(struct rules_pool *b)
{
	while (b) {
		struct rules_pool *next = b->next;

		free(b);
		b = next;
	}
}

static unsigned test_need(const struct rule_test *t)
{
	switch (t->kind) {
	case T_CAP: return t->neg ? TC_NOTCAP : TC_CAP;
	case T_TAG: return t->neg ? 0 : TC_TAGGED;
	case T_TAGGED: return t->neg ? TC_UNTAGGED : TC_TAGGED;
	case T_UNTAGGED: return t->neg ? TC_TAGGED : TC_UNTAGGED;
	case T_BEGIN: return t->neg ? 0 : TC_BEGIN;
	case T_SENT: return t->neg ? 0 : TC_SENT;
	case T_LINE: return t->neg ? 0 : TC_LINE;
	default: return 0;
	}
}

/* Work out the prefilter of ru: what the first tokens of any match must
 * be, from the leading elements that take at least one token (after one
 * that may take more, the next token's element is not fixed). */
/* Narrow first[] to the bytes a token passing t can start with. */
static void test_first(const struct rule_test *t, uint8_t first[32])
{
	uint8_t only[32] = { 0 };

	if (t->neg)
		return;
	if (t->kind == T_TEXT && t->arg[0]) {
		unsigned char c = (unsigned char)t->arg[0];
		only[c / 8] |= (uint8_t)(1u << (c % 8));
	} else if (t->kind == T_TEXT_RE && t->hasfirst) {
		memcpy(only, t->first, 32);
	} else if (t->kind == T_TEXT_RE && t->firstunit && t->firstunit < 256) {
		/* pcre2 gives one first code unit for "the|The" and keeps to
		 * itself that it is caseless: take both cases of a letter. */
		unsigned c = t->firstunit, o = c;

		if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
			o = c ^ 0x20;
		only[c / 8] |= (uint8_t)(1u << (c % 8));
		only[o / 8] |= (uint8_t)(1u << (o % 8));
	} else {
		return;
	}
	for (int k = 0; k < 32; k++)
		first[k] &= only[k];
}

static void set_prefilter(struct rule *ru)
{
	ru->nneed = 0;
	for (size_t e = 0; e < ru->nelems && ru->nneed < RULES_PREFILTER; e++) {
		const struct rule_elem *el = &ru->elems[e];
		unsigned need = 0;

		if (el->min < 1)
			break;
		memset(ru->first[ru->nneed], 0xff, 32);
		if (el->kind == E_LIST) {
			/* A list match has no fixed length: nothing after it
			 * is known in advance. */
			if (gaz_needs_cap(el->list))
				ru->need[ru->nneed++] = TC_CAP;
			break;
		}
		for (size_t k = 0; k < el->ntests; k++) {
			const struct rule_test *t = &el->tests[k];

			need |= test_need(t);
			test_first(t, ru->first[ru->nneed]);
		}
		ru->need[ru->nneed++] = need;
		/* After a repeated element the next token's element is not
		 * known in advance. */
		if (el->max != 1)
			break;
	}
}

/* The first bytes of tokens of a shape, as bit sets: an ASCII byte of
 * its kind, or any byte from 0x80 on (a longer sequence). */
#define ALL_HIGH [16] = 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, \
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
static const uint8_t upper_first[32] = {	/* A-Z: 0x41-0x5a */
	[8] = 0xfe, 0xff, 0xff, 0x07, ALL_HIGH
};
static const uint8_t lower_first[32] = {	/* a-z: 0x61-0x7a */
	[12] = 0xfe, 0xff, 0xff, 0x07, ALL_HIGH
};
static const uint8_t digit_first[32] = {	/* 0-9: 0x30-0x39 */
	[6] = 0xff, 0x03, ALL_HIGH
};

/* Narrow first[] by a shape test: a capital, a lower-case letter or a
 * digit is an ASCII byte of its kind or starts a longer sequence. */
static void shape_first(const struct rule_test *t, uint8_t first[32])
{
	const uint8_t *only;

	if (t->neg)
		return;
	switch (t->kind) {
	case T_CAP: case T_INITIAL: only = upper_first; break;
	case T_LOWER: only = lower_first; break;
	case T_NUM: only = digit_first; break;
	default: return;
	}
	for (int k = 0; k < 32; k++)
		first[k] &= only[k];
}

/* How many match keys the tokens that pass t can have, if t says: its
 * text or key is one of a few words (0: t does not say). */
static size_t test_nkeys(const struct rule_test *t)
{
	if (t->neg || (t->kind != T_TEXT && t->kind != T_TEXT_RE &&
		       t->kind != T_KEY_RE))
		return 0;
	return t->kind == T_TEXT ? 1 : t->nwords;
}

/* Is s[0..n) all ASCII?  Eight bytes at a time. */
static int is_ascii(const char *s, size_t n)
{
	uint64_t all = 0, x;
	size_t k = 0;

	for (; k + 8 <= n; k += 8) {
		memcpy(&x, s + k, sizeof(x));
		all |= x;
	}
	for (; k < n; k++)
		all |= (unsigned char)s[k];
	return !(all & 0x8080808080808080u);
}

/* The match keys of the tokens that pass t (test_nkeys of them).  A
 * token equal to a word, also with /i or by key, has the word's match
 * key, since keys are folded for case (keys of words that no key can
 * equal are only looked up in vain). */
static char **test_keys(struct rules *r, const struct rule_test *t, size_t n)
{
	const char *const *src = t->kind == T_TEXT ?
		(const char *const *)&t->arg : (const char *const *)t->words;
	/* The words' text: a word list's follows its array (relit.h). */
	const char *text = t->kind == T_TEXT ? t->arg :
		(const char *)(t->words + t->nwords);
	struct buf b = BUF_INIT;
	size_t len = 0;

	for (size_t k = 0; k < n; k++)
		len += strlen(src[k]) + 1;
	int ascii = is_ascii(text, len);

	if (ascii) {
		/* The key of ASCII text maps each byte on its own (utf_key:
		 * case folded, ` to '), NULs too: one call keys all the
		 * words, each at its word's offset. */
		utf_key(&b, text, len);
	} else {
		for (size_t k = 0; k < n; k++) {
			utf_key(&b, src[k], strlen(src[k]));
			buf_putc(&b, '\0');
		}
	}
	/* One block of the pool: the array, the keys' hashes and the
	 * keys. */
	char **keys = pool_alloc(r, n * (sizeof(*keys) + sizeof(uint32_t)) + b.len);
	uint32_t *hash = (uint32_t *)(keys + n);
	char *ktext = (char *)(hash + n), *next = ktext;

	memcpy(ktext, b.s, b.len);
	for (size_t k = 0; k < n; k++) {
		size_t klen;

		if (ascii) {
			keys[k] = ktext + (src[k] - text);
			klen = strlen(keys[k]);
		} else {
			keys[k] = next;
			klen = strlen(next);
			next += klen + 1;
		}
		hash[k] = hash_fnv1a(keys[k], klen, HASH_FNV1A_INIT);
	}
	buf_free(&b);
	return keys;
}

/* Find the tests of el that the start index can look up: the first of
 * those that allow fewest keys, and an in=LIST test. */
static void set_elem_keys(struct rules *r, struct rule_elem *el)
{
	const struct rule_test *best = NULL;

	for (size_t k = 0; k < el->ntests; k++) {
		const struct rule_test *t = &el->tests[k];
		size_t n = test_nkeys(t);

		if (n && (!best || n < el->nkeys)) {
			best = t;
			el->nkeys = n;
		}
		if (t->kind == T_IN && !t->neg && !el->in)
			el->in = t;
	}
	if (best) {
		el->keys = test_keys(r, best, el->nkeys);
		el->keyhash = (uint32_t *)(el->keys + el->nkeys);
	}
}

/* The tests of el other than shapes, in order, all of them and the
 * settled ones (struct rule_elem), in the room set_elem_tests left. */
static void set_elem_rest(struct rule_elem *el)
{
	el->settled = el->rest + el->ntests;
	el->nrest = el->nsettled = 0;
	for (size_t k = 0; k < el->ntests; k++) {
		const struct rule_test *t = &el->tests[k];

		if (rules_is_shape(t->kind))
			continue;
		el->rest[el->nrest++] = t;
		if (rules_test_settled(t))
			el->settled[el->nsettled++] = t;
	}
}

/* The number of bits set in b, counted 64 at a time. */
static unsigned count_bits(const uint8_t b[32])
{
	unsigned n = 0;

	for (int k = 0; k < 32; k += 8) {
		uint64_t x;

		memcpy(&x, b + k, sizeof(x));
		n += (unsigned)__builtin_popcountll(x);
	}
	return n;
}

/* Work out what the start index needs of each element of ru: the bytes
 * its tokens may start with, its tag, and its offset from the start. */
static void set_elem_info(struct rules *r, struct rule *ru)
{
	size_t lo = 0, hi = 0;

	for (size_t e = 0; e < ru->nelems; e++) {
		struct rule_elem *el = &ru->elems[e];

		el->lo = lo;
		el->hi = hi;
		el->tagarg = NULL;
		el->tagbegin = 0;
		el->flags = 0;
		memset(el->first, 0xff, sizeof(el->first));
		el->shape_need = el->shape_forbid = 0;
		for (size_t k = 0; k < el->ntests; k++) {
			const struct rule_test *t = &el->tests[k];

			if (rules_is_shape(t->kind)) {
				if (t->neg)
					el->shape_forbid |= RULES_SHAPE(t->kind);
				else
					el->shape_need |= RULES_SHAPE(t->kind);
			}
			test_first(t, el->first);
			shape_first(t, el->first);
			if (t->kind == T_TAG && !t->neg && !el->tagarg)
				el->tagarg = t->arg;
			if (t->kind == T_BEGIN && !t->neg)
				el->tagbegin = 1;
			if (t->kind == T_LINE && !t->neg)
				el->flags |= TOK_LINE;
			if (t->kind == T_SENT && !t->neg)
				el->flags |= TOK_SENT;
		}
		set_elem_rest(el);
		el->nfirst = count_bits(el->first);
		set_elem_keys(r, el);
		lo += el->min;
		hi += el->kind == E_LIST ? RULES_MAX_TOKS : el->max;
		if (lo > RULES_MAX_TOKS)
			lo = RULES_MAX_TOKS;
		if (hi > RULES_MAX_TOKS)
			hi = RULES_MAX_TOKS;
	}
}

/* How much a test costs: flags and tags first, then shapes and exact
 * text, then list look-ups, then regular expressions.  All tests of an
 * element must pass, so the order changes nothing but the time. */
static int test_cost(enum test_kind k)
{
	switch (k) {
	case T_TEXT_RE: case T_KEY_RE:
		return 4;
	case T_IN:
		return 3;
	case T_UPPER: case T_PUNCT: case T_WORD:
		return 2;
	case T_CAP: case T_LOWER: case T_NUM: case T_INITIAL: case T_TEXT:
		return 1;
	default:
		return 0;
	}
}

static void sort_tests(struct rule_elem *e)
{
	/* Insertion sort: stable, and an element has a handful of tests,
	 * mostly in order already. */
	for (size_t i = 1; i < e->ntests; i++) {
		if (test_cost(e->tests[i - 1].kind) <= test_cost(e->tests[i].kind))
			continue;

		struct rule_test t = e->tests[i];
		size_t j = i;

		while (j > 0 && test_cost(e->tests[j - 1].kind) > test_cost(t.kind)) {
			e->tests[j] = e->tests[j - 1];
			j--;
		}
		e->tests[j] = t;
	}
}

/* --- the rule set ---------------------------------------------------------- */

struct rules *rules_new(void)
{
	struct rules *r = xcalloc(1, sizeof(*r));

	r->md = pcre2_match_data_create(1, NULL);
	r->mctx = pcre2_match_context_create(NULL);
	if (!r->md || !r->mctx)
		diag_oom();
	pcre2_set_match_limit(r->mctx, RULES_MATCH_LIMIT);
	pcre2_set_depth_limit(r->mctx, RULES_MATCH_LIMIT);
	return r;
}

/* Free what of t is not in the pool. */
static void test_free(struct rule_test *t)
{
	free(t->words);
	pcre2_code_free(t->re);
}

/* Free what of ru is not in the pool. */
static void rule_free(struct rule *ru)
{
	for (size_t e = 0; e < ru->nelems; e++)
		for (size_t k = 0; k < ru->elems[e].ntests; k++)
			test_free(&ru->elems[e].tests[k]);
	free(ru->limit_text);
}

struct rules *rules_clone(const struct rules *r)
{
	struct rules *c = rules_new();

	c->rules = r->rules;
	c->nrules = r->nrules;
	c->lists = r->lists;
	c->nlists = r->nlists;
	c->maxelems = r->maxelems;
	c->pos = xmalloc((r->maxelems + 1) * sizeof(*c->pos));
	c->ix.disabled = r->ix.disabled;
	c->borrowed = 1;
	return c;
}

void rules_free(struct rules *r)
{
	if (!r)
		return;
	for (size_t k = 0; k < r->nrules && !r->borrowed; k++)
		rule_free(r->rules[k]);
	if (r->borrowed)
		r->nlists = 0, r->rules = NULL, r->lists = NULL;
	free(r->rules);
	for (size_t k = 0; k < r->nlists; k++) {
		for (size_t t = 0; t < r->lists[k].ntypes; t++)
			free(r->lists[k].types[t]);
		gaz_close(r->lists[k].gaz);
	}
	free(r->lists);
	pcre2_match_data_free(r->md);
	pcre2_match_context_free(r->mctx);
	free(r->memo);
	free(r->cls);
	free(r->fb);
	free(r->rowtok);
	free(r->shapes);
	free(r->listlen);
	free(r->maystart);
	free(r->inlist);
	free(r->pos);
	buf_free(&r->surface);
	free(r->ix.bytok);
	free(r->ix.typetok);
	free(r->ix.linetok);
	free(r->ix.changed);
	free(r->ix.kslot);
	free(r->ix.kcnt);
	free(r->ix.khash);
	free(r->ix.knext);
	free(r->ix.kfirst);
	free(r->ix.kid);
	free(r->ix.senttok);
	free(r->ix.starts);
	free(r->ix.rkblock);
	free(r->ix.capkey);
	free(r->ix.kidhash);
	free(r->ix.pkeys);
	free(r->ix.chbits);
	rules_memo_free(&r->sm);
	pool_free(r->pool);
	free(r);
}

size_t rules_count(const struct rules *r)
{
	return r->nrules;
}

size_t rules_steps(const struct rules *r)
{
	return r->steps;
}

void rules_use_index(struct rules *r, int on)
{
	r->ix.disabled = !on;
}

static const struct gaz *find_list(const struct rules *r, const char *name,
				   size_t n)
{
	for (size_t k = 0; k < r->nlists; k++)
		if (strlen(r->lists[k].name) == n &&
		    memcmp(r->lists[k].name, name, n) == 0)
			return r->lists[k].gaz;
	return NULL;
}

static const struct rule *find_rule(const struct rules *r, const char *name,
				    size_t n)
{
	/* Most names differ in their first bytes: no call for those. */
	for (size_t k = 0; k < r->nrules; k++) {
		const char *s = r->rules[k]->name;

		if (s[0] == name[0] && strncmp(s, name, n) == 0 && !s[n])
			return r->rules[k];
	}
	return NULL;
}

/* Arrays that grow one element at a time have room for 4, then 8, 16 and
 * so on: is an array of n elements full, and how many to make room for. */
static int is_full(size_t n)
{
	return n < 4 ? n == 0 : (n & (n - 1)) == 0;
}

static size_t grown(size_t n)
{
	return n < 4 ? 4 : 2 * n;
}

static int rule_cmp(const void *a, const void *b)
{
	const struct rule *x = *(struct rule *const *)a;
	const struct rule *y = *(struct rule *const *)b;

	if (x->prio != y->prio)
		return x->prio > y->prio ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void add_rule(struct rules *r, struct rule *ru)
{
	ru->seq = r->nrules;
	if (is_full(r->nrules))
		r->rules = xrealloc(r->rules, grown(r->nrules) * sizeof(*r->rules));
	r->rules[r->nrules++] = ru;
	ru->nslots = 0;
	for (size_t e = 0; e < ru->nelems; e++)
		for (size_t k = 0; k < ru->elems[e].ntests; k++)
			if (ru->elems[e].tests[k].kind == T_TEXT_RE ||
			    ru->elems[e].tests[k].kind == T_KEY_RE)
				ru->elems[e].tests[k].slot = ru->nslots++;
	set_prefilter(ru);
	set_elem_info(r, ru);
	r->ix.built = 0;
	if (ru->nelems > r->maxelems) {
		r->maxelems = ru->nelems;
		r->pos = xrealloc(r->pos, (r->maxelems + 1) * sizeof(*r->pos));
	}
	/* The others are in order and ru comes last by seq: move it down
	 * past those it sorts before. */
	for (size_t k = r->nrules - 1; k > 0 &&
	     rule_cmp(&r->rules[k], &r->rules[k - 1]) < 0; k--) {
		r->rules[k] = r->rules[k - 1];
		r->rules[k - 1] = ru;
	}
}

/* --- parsing --------------------------------------------------------------- */

struct parser {
	struct rules *r;
	const char *name;
	size_t line;
	struct err *e;
	/* Scratch: the tests of the element being read, and a regex
	 * being unescaped. */
	struct rule_test *tests;
	size_t ntests, captests;
	struct buf re;
};

/* Say what is wrong with the current line (EX_DATAERR); returns -1. */
static int __attribute__((format(printf, 2, 3)))
perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(p->e->msg, sizeof(p->e->msg), "%s:%zu: ", p->name,
			 p->line);

	p->e->code = EX_DATAERR;
	if (n >= 0 && (size_t)n < sizeof(p->e->msg)) {
		va_start(ap, fmt);
		vsnprintf(p->e->msg + n, sizeof(p->e->msg) - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Length of the word at s: up to a blank, the end, or stop (a char, or
 * 0 for none). */
static size_t word_len(const char *s, char stop)
{
	size_t n = 0;

	while (s[n] && s[n] != ' ' && s[n] != '\t' && s[n] != stop)
		n++;
	return n;
}

/* The characters of names: of rules, types and lists (bits). */
enum { NAME_CHARS = 1, TYPE_CHARS = 2, LIST_CHARS = 4 };

static unsigned char_kinds(char c)
{
	unsigned u = (unsigned char)c;

	if (u - 'a' < 26 || u - '0' < 10 || u == '-')
		return NAME_CHARS | LIST_CHARS;
	if (u - 'A' < 26)
		return TYPE_CHARS | LIST_CHARS;
	return u == '_' ? LIST_CHARS : 0;
}

/* Is s[0..n) a non-empty run of characters of kind (a char_kinds bit)? */
static int all_of(const char *s, size_t n, unsigned kind)
{
	if (n == 0)
		return 0;
	for (size_t k = 0; k < n; k++)
		if (!(char_kinds(s[k]) & kind))
			return 0;
	return 1;
}

/* Most patterns are a few words in disguise ("Army|Navy|Guards?"):
 * keep them in t for the fast path (see struct rule_test). */
#define WORDS_MAX 256
static int split_words(struct rule_test *t, const char *re, int caseless)
{
	if (!relit_expand(re, WORDS_MAX, &t->words, &t->nwords))
		return 0;
	t->caseless = caseless;
	if (caseless)
		qsort(t->words, t->nwords, sizeof(*t->words), rules_cmp_word_ci);
	return 1;
}

/* A case-sensitive ASCII pattern that is a word set is never run (only
 * looked up), so it needs no pcre2 code: what pcre2 would say of its
 * first bytes and shortest length comes from the words.  (With /i a
 * token that is not ASCII goes to pcre2, and a pattern that is not
 * ASCII is compiled for pcre2's check of its UTF-8.) */
static int words_only(struct rule_test *t, const char *re, int ascii,
		      int caseless)
{
	if (caseless || !ascii || !split_words(t, re, 0))
		return 0;
	t->hasfirst = 1;
	t->minlen = UINT32_MAX;
	for (size_t k = 0; k < t->nwords; k++) {
		unsigned char c = (unsigned char)t->words[k][0];
		uint32_t len = (uint32_t)strlen(t->words[k]);

		t->first[c / 8] |= (uint8_t)(1u << (c % 8));
		if (len < t->minlen)
			t->minlen = len;
	}
	return 1;
}

/* Parse /RE/ or /RE/i at *sp into t and move *sp past it.  pcre2's JIT
 * is not used: it cost more at each start (3 ms for nerpipe.rules) than
 * it saved over a corpus, where most tests are word look-ups. */
static int parse_re(struct parser *p, const char **sp, struct rule_test *t)
{
	uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_ANCHORED | PCRE2_ENDANCHORED;
	struct buf *re = &p->re;
	const char *q = *sp + 1;
	PCRE2_SIZE off;
	char *o;
	int code;

	buf_reset(re);
	buf_reserve(re, strlen(q));
	/* Copy up to the '/' that ends it, dropping the '\\' of "\\/"
	 * and keeping other escapes as they are. */
	for (o = re->s;;) {
		size_t n = strcspn(q, "/\\");

		memcpy(o, q, n);
		o += n;
		q += n;
		if (*q != '\\')
			break;
		if (q[1] == '/') {
			*o++ = '/';
			q += 2;
		} else if (q[1]) {
			*o++ = q[0];
			*o++ = q[1];
			q += 2;
		} else {
			*o++ = *q++;
		}
	}
	*o = '\0';
	re->len = (size_t)(o - re->s);
	if (!*q)
		return perr(p, "unterminated /regex/");
	q++;
	if (*q == 'i') {
		opts |= PCRE2_CASELESS;
		q++;
	}
	if (*q && *q != ']' && *q != ' ' && *q != '\t')
		return perr(p, "bad regex flag '%c'", *q);
	if (words_only(t, re->s, is_ascii(re->s, re->len),
		       (opts & PCRE2_CASELESS) != 0)) {
		*sp = q;
		return 0;
	}
	t->re = pcre2_compile((PCRE2_SPTR)re->s, re->len, opts, &code, &off, NULL);
	if (!t->re) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(code, msg, sizeof(msg));
		return perr(p, "bad regex: %s at offset %zu", (char *)msg,
			    (size_t)off);
	}
	split_words(t, re->s, (opts & PCRE2_CASELESS) != 0);
	const uint8_t *first;

	if (pcre2_pattern_info(t->re, PCRE2_INFO_FIRSTBITMAP, &first) == 0 &&
	    first) {
		memcpy(t->first, first, sizeof(t->first));
		t->hasfirst = 1;
	}
	if (pcre2_pattern_info(t->re, PCRE2_INFO_MINLENGTH, &t->minlen) != 0)
		t->minlen = 0;
	uint32_t ftype = 0, opts_all = 0;
	t->firstunit = 0;
	if (pcre2_pattern_info(t->re, PCRE2_INFO_FIRSTCODETYPE, &ftype) == 0 &&
	    ftype == 1 &&
	    pcre2_pattern_info(t->re, PCRE2_INFO_ALLOPTIONS, &opts_all) == 0 &&
	    !(opts_all & PCRE2_CASELESS))
		pcre2_pattern_info(t->re, PCRE2_INFO_FIRSTCODEUNIT, &t->firstunit);
	*sp = q;
	return 0;
}

#define SIMPLE(w, k) { w, sizeof(w) - 1, k }
static const struct {
	const char *word;
	size_t len;
	enum test_kind kind;
} simple_tests[] = {
	SIMPLE("cap", T_CAP), SIMPLE("upper", T_UPPER),
	SIMPLE("lower", T_LOWER), SIMPLE("initial", T_INITIAL),
	SIMPLE("num", T_NUM), SIMPLE("punct", T_PUNCT),
	SIMPLE("word", T_WORD), SIMPLE("begin", T_BEGIN),
	SIMPLE("sent", T_SENT), SIMPLE("line", T_LINE),
	SIMPLE("head", T_HEAD), SIMPLE("glued", T_GLUED),
	SIMPLE("any", T_ANY),
};

static int parse_tag_test(struct parser *p, const char *v, size_t n,
			  struct rule_test *t)
{
	if (n == 1 && *v == 'O') {
		t->kind = T_UNTAGGED;
	} else if (n == 1 && *v == '*') {
		t->kind = T_TAGGED;
	} else if (all_of(v, n, TYPE_CHARS)) {
		t->kind = T_TAG;
		t->arg = pool_str(p->r, v, n);
	} else {
		return perr(p, "bad type in 'tag=%.*s'", (int)n, v);
	}
	return 0;
}

/* The memo bit of in=LIST[:TYPE] tests with this list and type, or -1
 * if the list has too many types asked of it. */
static int type_bit(struct rules_list *l, const char *type)
{
	for (size_t k = 0; k < l->ntypes; k++)
		if (type ? l->types[k] && strcmp(l->types[k], type) == 0 : !l->types[k])
			return (int)k;
	if (l->ntypes == MAX_INTYPES)
		return -1;
	l->types[l->ntypes] = type ? xstrdup(type) : NULL;
	return (int)l->ntypes++;
}

static int parse_in_test(struct parser *p, const char *v, size_t n,
			 struct rule_test *t)
{
	const char *colon = memchr(v, ':', n);
	size_t ln = colon ? (size_t)(colon - v) : n;

	t->kind = T_IN;
	t->list = find_list(p->r, v, ln);
	for (t->listno = 0; t->list && p->r->lists[t->listno].gaz != t->list;
	     t->listno++)
		;
	if (!t->list)
		return perr(p, "unknown list '%.*s'", (int)ln, v);
	if (colon) {
		size_t tn = n - ln - 1;

		if (!all_of(colon + 1, tn, TYPE_CHARS))
			return perr(p, "bad type in 'in=%.*s'", (int)n, v);
		t->arg = pool_str(p->r, colon + 1, tn);
	}
	int bit = type_bit(&p->r->lists[t->listno], t->arg);

	if (bit < 0)
		return perr(p, "more than %d types asked of list '%.*s'",
			    MAX_INTYPES, (int)ln, v);
	t->inbit = (size_t)bit;
	return 0;
}

/* Parse one test at *sp into t (zeroed); on error t holds nothing. */
static int parse_test(struct parser *p, const char **sp, struct rule_test *t)
{
	const char *s = *sp;
	size_t n;
	int st = 0;

	if (*s == '!') {
		t->neg = 1;
		s++;
	}
	if (*s == '/' || (*s == 'k' && strncmp(s, "key=/", 5) == 0)) {
		t->kind = *s == '/' ? T_TEXT_RE : T_KEY_RE;
		s += *s == '/' ? 0 : 4;
		st = parse_re(p, &s, t);
		*sp = s;
		return st;
	}
	n = word_len(s, ']');
	*sp = s + n;
	if (n == 0)
		return perr(p, "'!' without a test");
	if (s[0] == '=' && s[1] == '>')
		return perr(p, "missing ']'");
	for (size_t k = 0; k < sizeof(simple_tests) / sizeof(*simple_tests); k++)
		if (simple_tests[k].len == n && simple_tests[k].word[0] == s[0] &&
		    memcmp(simple_tests[k].word, s, n) == 0) {
			t->kind = simple_tests[k].kind;
			return 0;
		}
	if (n > 4 && strncmp(s, "tag=", 4) == 0)
		st = parse_tag_test(p, s + 4, n - 4, t);
	else if (n > 3 && strncmp(s, "in=", 3) == 0)
		st = parse_in_test(p, s + 3, n - 3, t);
	else if (n > 5 && strncmp(s, "text=", 5) == 0) {
		t->kind = T_TEXT;
		t->arg = pool_str(p->r, s + 5, n - 5);
	} else
		st = perr(p, "unknown test '%.*s'", (int)n, s);
	if (st)
		test_free(t);
	return st;
}

static int bad_quant_follows(const char *s)
{
	return *s && strchr("?*+{", *s);
}

/* Parse an optional quantifier after ']' into e. */
static int parse_quant(struct parser *p, const char **sp, struct rule_elem *e)
{
	const char *s = *sp;
	unsigned long m, n;
	char *end;

	e->min = e->max = 1;
	if (*s == '?' || *s == '*' || *s == '+') {
		e->min = *s == '+';
		e->max = *s == '?' ? 1 : UINT32_MAX;
		s++;
	} else if (*s == '{') {
		if (!isdigit((unsigned char)s[1]))
			return perr(p, "bad quantifier");
		m = n = strtoul(s + 1, &end, 10);
		if (*end == ',') {
			if (!isdigit((unsigned char)end[1]))
				return perr(p, "bad quantifier");
			n = strtoul(end + 1, &end, 10);
		}
		if (*end != '}' || m > n || n == 0 || n > QUANT_MAX)
			return perr(p, "bad quantifier");
		e->min = (unsigned)m;
		e->max = (unsigned)n;
		s = end + 1;
	}
	if (*s == '$') {
		if (e->min != 1 || e->max != 1)
			return perr(p, "'$' after a quantifier");
		e->min = 0;
		e->or_end = 1;
		s++;
	}
	if (bad_quant_follows(s))
		return perr(p, "bad quantifier");
	*sp = s;
	return 0;
}

static struct rule_elem *add_elem(struct rules *r, struct rule *ru,
				  enum elem_kind kind)
{
	if (is_full(ru->nelems)) {
		struct rule_elem *old = ru->elems;

		ru->elems = pool_alloc(r, grown(ru->nelems) * sizeof(*ru->elems));
		if (ru->nelems)
			memcpy(ru->elems, old, ru->nelems * sizeof(*old));
	}
	struct rule_elem *e = &ru->elems[ru->nelems++];

	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->min = e->max = 1;
	return e;
}

/* Give e a copy of tests[0..n), in one block with room for the
 * pointers of set_elem_rest (2n + 1). */
static void set_elem_tests(struct rules *r, struct rule_elem *e,
			   const struct rule_test *tests, size_t n)
{
	e->tests = pool_alloc(r, n * sizeof(*e->tests) +
				 (2 * n + 1) * sizeof(*e->rest));
	if (n)
		memcpy(e->tests, tests, n * sizeof(*tests));
	e->ntests = n;
	e->rest = (const struct rule_test **)(e->tests + n);
}

static int parse_token_elem(struct parser *p, const char **sp, struct rule *ru)
{
	struct rule_elem *e = add_elem(p->r, ru, E_TOKEN);
	const char *s = *sp + 1;
	int st;

	p->ntests = 0;
	for (;;) {
		s = skip_space(s);
		if (*s == ']')
			break;
		if (!*s) {
			st = perr(p, "missing ']'");
			goto out_free;
		}
		if (p->ntests == p->captests) {
			p->captests = p->captests ? 2 * p->captests : 8;
			p->tests = xrealloc(p->tests,
					    p->captests * sizeof(*p->tests));
		}
		/* Read in place; a test that fails holds nothing. */
		memset(&p->tests[p->ntests], 0, sizeof(*p->tests));
		if ((st = parse_test(p, &s, &p->tests[p->ntests])))
			goto out_free;
		p->ntests++;
	}
	if (p->ntests == 0)
		return perr(p, "empty [ ]");
	set_elem_tests(p->r, e, p->tests, p->ntests);
	sort_tests(e);
	s++;
	*sp = s;
	return parse_quant(p, sp, e);
out_free:
	for (size_t k = 0; k < p->ntests; k++)
		test_free(&p->tests[k]);
	return st;
}

static int parse_list_elem(struct parser *p, const char **sp, struct rule *ru)
{
	const char *s = *sp + 1;
	const char *gt = strchr(s, '>');
	struct rule_elem *e;

	if (!gt)
		return perr(p, "missing '>'");
	e = add_elem(p->r, ru, E_LIST);
	e->list = find_list(p->r, s, (size_t)(gt - s));
	if (!e->list)
		return perr(p, "unknown list '%.*s'", (int)(gt - s), s);
	for (e->listno = 0; p->r->lists[e->listno].gaz != e->list; e->listno++)
		;
	set_elem_tests(p->r, e, NULL, 0);
	s = gt + 1;
	if (*s == '?') {
		e->min = 0;
		s++;
	}
	if (bad_quant_follows(s))
		return perr(p, "bad quantifier");
	*sp = s;
	return 0;
}

static int parse_paren(struct parser *p, char c, struct rule *ru)
{
	if (c == '(') {
		if (ru->tstart != NONE)
			return perr(p, "two targets");
		ru->tstart = ru->nelems;
	} else {
		if (ru->tstart == NONE)
			return perr(p, "')' without '('");
		if (ru->tend != NONE)
			return perr(p, "two targets");
		ru->tend = ru->nelems;
	}
	return 0;
}

/* Parse ELEMENTS up to and past "=>". */
static int parse_elems(struct parser *p, const char **sp, struct rule *ru)
{
	const char *s = *sp;
	int st;

	for (;;) {
		s = skip_space(s);
		if (!*s)
			return perr(p, "missing '=>'");
		if (s[0] == '=' && s[1] == '>')
			break;
		if (*s == '(' || *s == ')') {
			st = parse_paren(p, *s, ru);
			s++;
		} else if (*s == '[') {
			st = parse_token_elem(p, &s, ru);
		} else if (*s == '<') {
			st = parse_list_elem(p, &s, ru);
		} else {
			st = perr(p, "expected '[', '<', '(', ')' or '=>' at '%.*s'",
				  (int)word_len(s, 0), s);
		}
		if (st)
			return st;
	}
	if (ru->tstart == NONE)
		return perr(p, "no target ( )");
	if (ru->tend == NONE)
		return perr(p, "'(' without ')'");
	if (ru->tstart == ru->tend)
		return perr(p, "empty target ( )");
	*sp = s + 2;
	return 0;
}

/* The action after "=>": sets ru->action, and *type and *n to the slice
 * of s that is its type. */
static int parse_action(struct parser *p, const char *s, struct rule *ru,
			const char **type, size_t *n)
{
	size_t len;

	s = skip_space(s);
	len = word_len(s, 0);
	if (len == 0)
		return perr(p, "missing action after '=>'");
	if (*skip_space(s + len))
		return perr(p, "junk after the action: '%s'", skip_space(s + len));
	if (len == 1 && *s == 'O') {
		ru->action = A_UNTAG;
	} else if (s[len - 1] == '!' && all_of(s, len - 1, TYPE_CHARS) &&
		   !(len == 2 && *s == 'O')) {
		ru->action = A_FORCE;
		len--;
	} else if (all_of(s, len, TYPE_CHARS)) {
		ru->action = A_TAG;
	} else {
		return perr(p, "bad action '%.*s'", (int)len, s);
	}
	*type = s;
	*n = len;
	return 0;
}

/* The rule's source for the tag rows ("rule:NAME"), its name and its
 * type, in one block. */
static void set_names(struct rules *r, struct rule *ru, const char *name,
		      size_t n, const char *type, size_t tn)
{
	char *b = pool_alloc(r, 5 + n + 1 + tn + 1);

	memcpy(b, "rule:", 5);
	memcpy(b + 5, name, n);
	b[5 + n] = '\0';
	memcpy(b + 5 + n + 1, type, tn);
	b[5 + n + 1 + tn] = '\0';
	ru->source = b;
	ru->name = b + 5;
	ru->type = b + 5 + n + 1;
}

/* rule NAME PRIO: ELEMENTS => ACTION (s is just past "rule"). */
static int parse_rule(struct parser *p, const char *s)
{
	struct rule *ru = pool_zalloc(p->r, sizeof(*ru));
	const char *name, *type = NULL;
	size_t n, namelen, typelen = 0;
	char *end;
	int st;

	ru->tstart = ru->tend = NONE;
	s = skip_space(s);
	n = word_len(s, ':');
	if (!all_of(s, n, NAME_CHARS)) {
		st = perr(p, "bad rule name '%.*s'", (int)n, s);
		goto out_free;
	}
	name = s;
	namelen = n;
	if (find_rule(p->r, name, namelen)) {
		st = perr(p, "rule '%.*s' defined twice", (int)n, s);
		goto out_free;
	}
	s = skip_space(s + n);
	n = word_len(s, ':');
	errno = 0;
	ru->prio = strtol(s, &end, 10);
	if (n == 0 || end != s + n || errno == ERANGE) {
		st = perr(p, "bad priority '%.*s'", (int)n, s);
		goto out_free;
	}
	s = skip_space(s + n);
	if (*s != ':') {
		st = perr(p, "missing ':' after the priority");
		goto out_free;
	}
	s++;
	if ((st = parse_elems(p, &s, ru)) ||
	    (st = parse_action(p, s, ru, &type, &typelen)))
		goto out_free;
	set_names(p->r, ru, name, namelen, type, typelen);
	add_rule(p->r, ru);
	return 0;
out_free:
	rule_free(ru);
	return st;
}

/* list NAME FILE (s is just past "list"). */
static int parse_list(struct parser *p, const char *s)
{
	struct gaz *g;
	char *path;
	size_t n;
	int st;

	s = skip_space(s);
	n = word_len(s, 0);
	if (!all_of(s, n, LIST_CHARS))
		return perr(p, "bad list name '%.*s'", (int)n, s);
	if (find_list(p->r, s, n))
		return perr(p, "list '%.*s' defined twice", (int)n, s);
	const char *file = skip_space(s + n);

	if (!*file)
		return perr(p, "list wants a NAME and a FILE");
	path = path_data(file);
	st = gaz_open(path, gaz_env_flags(), &g, p->e);
	free(path);
	if (st)
		return st;
	p->r->lists = xrealloc(p->r->lists, (p->r->nlists + 1) * sizeof(*p->r->lists));
	memset(&p->r->lists[p->r->nlists], 0, sizeof(*p->r->lists));
	p->r->lists[p->r->nlists].name = pool_str(p->r, s, n);
	p->r->lists[p->r->nlists++].gaz = g;
	return 0;
}

static int parse_line(struct parser *p, const char *line)
{
	const char *s = skip_space(line);

	if (!*s || *s == '#')
		return 0;
	if (strncmp(s, "rule", 4) == 0 && (s[4] == ' ' || s[4] == '\t'))
		return parse_rule(p, s + 4);
	if (strncmp(s, "list", 4) == 0 && (s[4] == ' ' || s[4] == '\t'))
		return parse_list(p, s + 4);
	return perr(p, "expected 'rule' or 'list' at '%.*s'",
		    (int)word_len(s, 0), s);
}

int rules_parse(struct rules *r, const char *text, size_t n,
		const char *name, struct err *e)
{
	struct parser p = { r, name, 0, e, NULL, 0, 0, BUF_INIT };
	struct buf line = BUF_INIT;
	const char *s = text, *end = text + n;
	const char *nul = memchr(text, '\0', n);	/* the first, if any */
	size_t lineno = 0;
	int st = 0;

	buf_put(&line, "", 0);
	while (s < end && st == 0) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		int more;

		if (line.len == 0)
			p.line = lineno + 1;
		lineno++;
		if (nul && nul < s + len) {
			p.line = lineno;
			st = perr(&p, "NUL byte");
			break;
		}
		while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
				   s[len - 1] == '\r'))
			len--;
		more = len > 0 && s[len - 1] == '\\';
		buf_put(&line, s, len - (size_t)more);
		s = nl ? nl + 1 : end;
		if (more && s < end)
			continue;
		st = parse_line(&p, line.s);
		buf_reset(&line);
		buf_put(&line, "", 0);
	}
	buf_free(&line);
	buf_free(&p.re);
	free(p.tests);
	return st;
}

int rules_load(struct rules *r, const char *path, struct err *e)
{
	struct buf text = BUF_INIT;
	FILE *fp = fopen(path, "r");
	int st;

	if (!fp)
		return err_set(e, EX_NOINPUT, "%s:", path);
	if (buf_slurp(&text, fp) < 0) {
		err_set(e, EX_NOINPUT, "%s:", path);
		fclose(fp);
		buf_free(&text);
		return -1;
	}
	fclose(fp);
	st = rules_parse(r, text.s ? text.s : "", text.len, path, e);
	buf_free(&text);
	return st;
}
