/* rules.c - parse ner-rules(5) rule files and apply them to documents. */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <ctype.h>
#include <errno.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "buf.h"
#include "diag.h"
#include "gaz.h"
#include "relit.h"
#include "rules.h"

/* How many leading one-token elements the prefilter looks at. */
#define RULES_PREFILTER 3
#include "stage.h"
#include "utf.h"

#define NONE SIZE_MAX

/* Returns p, an array of *cap elements of size bytes, or a new one in
 * its place that holds at least n; the old contents are not kept. */
static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
	if (n <= *cap)
		return p;
	free(p);
	*cap = n;
	return xmalloc(n * size);
}
#define QUANT_MAX 65535u

enum test_kind {
	T_TEXT_RE, T_KEY_RE, T_CAP, T_UPPER, T_LOWER, T_INITIAL, T_NUM,
	T_PUNCT, T_WORD, T_TAG, T_UNTAGGED, T_TAGGED, T_BEGIN, T_IN,
	T_SENT, T_LINE, T_GLUED, T_ANY, T_TEXT,
};

struct rule_test {
	enum test_kind kind;
	int neg;
	pcre2_code *re;		/* T_TEXT_RE, T_KEY_RE */
	size_t slot;		/* T_TEXT_RE, T_KEY_RE: its memo column */
	/* What pcre2 knows of any match (pcre2_pattern_info): the bytes it
	 * can start with (NULL: any) and its shortest length, so most
	 * tokens are turned down without running the pattern. */
	const uint8_t *first;
	uint32_t firstunit;	/* the one byte a match starts with, or 0 */
	uint32_t minlen;
	/* A pattern that can match only a few strings ("Army|Navy|Guards?",
	 * see relit.h) matches a token equal to one of them:
	 * words[0..nwords), sorted, tested with bsearch instead of pcre2
	 * (with /i, for ASCII tokens only). */
	char **words;
	size_t nwords;
	int caseless;
	char *arg;		/* T_TAG, T_TEXT; T_IN: the type or NULL */
	const struct gaz *list;	/* T_IN */
	size_t listno;		/* T_IN: its index in rules.lists */
};

enum elem_kind { E_TOKEN, E_LIST };

struct rule_elem {
	enum elem_kind kind;
	struct rule_test *tests;
	size_t ntests;
	unsigned min, max;
	const struct gaz *list;	/* E_LIST */
	size_t listno;		/* E_LIST: its index in rules.lists */
	/* For the start index: the bytes a token this element takes may
	 * start with, a [tag=TYPE] it must pass (or NULL), and how many
	 * tokens the elements before it take at least and at most. */
	uint8_t first[32];
	const char *tagarg;
	unsigned flags;		/* TOK_LINE, TOK_SENT: it must start one */
	char **keys;		/* the match keys it can take, or NULL */
	size_t nkeys;
	const struct rule_test *in;	/* an in=LIST test it must pass */
	size_t lo, hi;
};

enum rule_action { A_TAG, A_FORCE, A_UNTAG };

struct rule {
	char *name, *type, *source;
	long prio;
	size_t seq;		/* order of definition, for stable sorting */
	struct rule_elem *elems;
	size_t nelems;
	size_t tstart, tend;	/* the target: elements [tstart, tend) */
	enum rule_action action;
	size_t nslots;		/* regex tests in the rule */
	/* Necessary conditions on the first tokens of a match, one set of
	 * TC_ bits per leading one-token element: checked before trying. */
	unsigned need[RULES_PREFILTER];
	uint8_t first[RULES_PREFILTER][32];	/* bytes the token may start with */
	size_t nneed;
};

/*
 * The start index.  Most rules can start at few tokens: "[tag=RANK] ..."
 * only at a rank, "[!cap] [tag=RANK begin] ..." only just before one,
 * "[cap]{1,3} [text=Air] ..." only a few tokens before an "Air".  So
 * before a rule runs over a document, its candidate starts are found
 * from its anchor, the required element that the fewest tokens can
 * satisfy (anchor_for): the tokens it can take are looked up by match
 * key (a word or word set), by list (each distinct key asked once), by
 * tag (a type no rule gives), as line or sentence starts, or by first
 * byte, and the starts that put them at the element's offset are
 * marked.  Only tests that cannot turn true while the rule runs are
 * used there (test_settled), and may_start and the match itself still
 * test everything, so the index changes nothing but the time.
 */
#define MAX_CLOSED 8

struct rules_index {
	int built;		/* for the current rule set */
	int off;		/* rules_use_index(r, 0) */
	const char *closed[MAX_CLOSED];	/* types no rule gives */
	size_t nclosed;
	/* Per document: the tokens by first byte, byte b's in
	 * bytok[byoff[b] .. byoff[b + 1]); the tokens tagged with each
	 * closed type, type k's in typetok[typeoff[k] .. typeoff[k + 1]);
	 * and the candidate starts of the rule being run, one bit each. */
	size_t byoff[257], *bytok, bytok_cap;
	size_t typeoff[MAX_CLOSED + 1], *typetok, typetok_cap;
	/* The tokens by match key: a hash table of the first token with
	 * each key (number + 1, 0: empty slot), each token's next one with
	 * the same key (NONE: the last) and its count of them from there
	 * on, and the first token of each distinct key. */
	uint32_t *kslot;
	size_t kslot_cap, kmask;
	size_t *knext, *kcount, *kfirst, nkfirst;
	size_t knext_cap, kcount_cap, kfirst_cap;
	size_t *linetok, nline, linetok_cap;	/* tokens that start a line */
	size_t *senttok, nsent, senttok_cap;	/* ... or a sentence */
	uint64_t *starts;
	size_t starts_cap;
};

struct rules_list {
	char *name;
	struct gaz *gaz;
};

struct rules {
	struct rule **rules;	/* highest priority first */
	size_t nrules;
	struct rules_list *lists;
	size_t nlists;
	pcre2_match_data *md;
	size_t *pos;		/* scratch: where each element of a match starts */
	size_t maxelems;
	struct buf surface;
	/* Regex results while one rule runs over one document: row = token,
	 * column = test slot; a cell holds memo_gen * 4 + 1 (no match) or
	 * + 2 (match), and any other generation means not yet known, so
	 * nothing needs clearing between rules.  Backtracking tries the same
	 * test on the same token many times. */
	uint32_t *memo;
	size_t memo_cap, memo_cols;
	uint32_t memo_gen;
	/* Per document: each token's TC_ classes and the first byte of its
	 * text, kept in step with its tag by act(); small arrays that the
	 * prefilter reads instead of the tokens themselves.  And the length
	 * of the longest entry of each list at each token plus one (0: not
	 * looked up yet), since a list match does not depend on tags. */
	unsigned char *cls, *fb;
	size_t cls_cap, fb_cap;
	/* Each token's shapes, worked out when first asked for: bit
	 * 1 << kind for each shape test it passes, SHAPES_KNOWN once done. */
	uint16_t *shapes;
	size_t shapes_cap;
	uint32_t *listlen;
	size_t listlen_cap;
	unsigned char *inlist;	/* in=LIST without a type: 0 unknown, 1 no, 2 yes */
	size_t ntoks;		/* of the document being worked on */
	size_t inlist_cap;
	size_t steps;		/* rules_steps() */
	struct rules_index ix;
};

/* Cheap classes of a token, for the prefilter. */
enum {
	TC_CAP = 1, TC_NOTCAP = 2, TC_TAGGED = 4, TC_UNTAGGED = 8, TC_BEGIN = 16,
	TC_SENT = 32, TC_LINE = 64,
};

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
	} else if (t->kind == T_TEXT_RE && t->first) {
		memcpy(only, t->first, 32);
	} else if (t->kind == T_TEXT_RE && t->firstunit && t->firstunit < 256) {
		only[t->firstunit / 8] |= (uint8_t)(1u << (t->firstunit % 8));
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

/* Narrow first[] by a shape test: a capital, a lower-case letter or a
 * digit is an ASCII byte of its kind or starts a longer sequence. */
static void shape_first(const struct rule_test *t, uint8_t first[32])
{
	uint8_t only[32] = { 0 };
	char lo, hi;

	if (t->neg)
		return;
	switch (t->kind) {
	case T_CAP: case T_INITIAL: lo = 'A'; hi = 'Z'; break;
	case T_LOWER: lo = 'a'; hi = 'z'; break;
	case T_NUM: lo = '0'; hi = '9'; break;
	default: return;
	}
	for (int c = lo; c <= hi; c++)
		only[c / 8] |= (uint8_t)(1u << (c % 8));
	memset(only + 0x80 / 8, 0xff, 16);
	for (int k = 0; k < 32; k++)
		first[k] &= only[k];
}

/* The match keys of the tokens that pass t, if t says: its text or
 * key is one of a few words.  Returns how many (0: t does not say).  A
 * token equal to a word, also with /i or by key, has the word's match
 * key, since keys are folded for case (keys of words that no key can
 * equal are only looked up in vain). */
static size_t test_keys(const struct rule_test *t, char ***keys)
{
	size_t n = t->kind == T_TEXT ? 1 : t->nwords;
	const char *const *src = t->kind == T_TEXT ?
		(const char *const *)&t->arg : (const char *const *)t->words;
	struct buf b = BUF_INIT;

	if (t->neg || (t->kind != T_TEXT && t->kind != T_TEXT_RE &&
		       t->kind != T_KEY_RE) || n == 0)
		return 0;
	*keys = xcalloc(n, sizeof(**keys));
	for (size_t k = 0; k < n; k++) {
		buf_reset(&b);
		utf_key(&b, src[k], strlen(src[k]));
		(*keys)[k] = xstrdup(b.s ? b.s : "");
	}
	buf_free(&b);
	return n;
}

/* Find the tests of el that the start index can look up: the one that
 * allows fewest keys, and an in=LIST test. */
static void set_elem_keys(struct rule_elem *el)
{
	for (size_t k = 0; k < el->ntests; k++) {
		const struct rule_test *t = &el->tests[k];
		char **keys = NULL;
		size_t n = test_keys(t, &keys);

		if (n && (!el->keys || n < el->nkeys)) {
			for (size_t i = 0; i < el->nkeys; i++)
				free(el->keys[i]);
			free(el->keys);
			el->keys = keys;
			el->nkeys = n;
		} else {
			for (size_t i = 0; i < n; i++)
				free(keys[i]);
			free(keys);
		}
		if (t->kind == T_IN && !t->neg && !el->in)
			el->in = t;
	}
}

/* Work out what the start index needs of each element of ru: the bytes
 * its tokens may start with, its tag, and its offset from the start. */
static void set_elem_info(struct rule *ru)
{
	size_t lo = 0, hi = 0;

	for (size_t e = 0; e < ru->nelems; e++) {
		struct rule_elem *el = &ru->elems[e];

		el->lo = lo;
		el->hi = hi;
		el->tagarg = NULL;
		el->flags = 0;
		memset(el->first, 0xff, sizeof(el->first));
		for (size_t k = 0; k < el->ntests; k++) {
			const struct rule_test *t = &el->tests[k];

			test_first(t, el->first);
			shape_first(t, el->first);
			if (t->kind == T_TAG && !t->neg && !el->tagarg)
				el->tagarg = t->arg;
			if (t->kind == T_LINE && !t->neg)
				el->flags |= TOK_LINE;
			if (t->kind == T_SENT && !t->neg)
				el->flags |= TOK_SENT;
		}
		set_elem_keys(el);
		lo += el->min;
		hi += el->kind == E_LIST ? RULES_MAX_TOKS : el->max;
		if (lo > RULES_MAX_TOKS)
			lo = RULES_MAX_TOKS;
		if (hi > RULES_MAX_TOKS)
			hi = RULES_MAX_TOKS;
	}
}

/* The classes of a token that no rule changes. */
static unsigned static_class(const struct tok *t)
{
	unsigned c = 0;
	unsigned char ch = (unsigned char)t->text[0];
	int32_t cp;

	if (t->flags & TOK_SENT)
		c |= TC_SENT;
	if (t->flags & TOK_LINE)
		c |= TC_LINE;
	if (ch < 0x80)
		c |= (ch >= 'A' && ch <= 'Z') ? TC_CAP : TC_NOTCAP;
	else
		c |= (utf_decode(t->text, strlen(t->text), &cp) > 0 &&
		      utf_is_upper(cp)) ? TC_CAP : TC_NOTCAP;
	return c;
}

#define TC_TAG_BITS (TC_TAGGED | TC_UNTAGGED | TC_BEGIN)

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
	/* Insertion sort: stable, and an element has a handful of tests. */
	for (size_t i = 1; i < e->ntests; i++) {
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
	if (!r->md)
		diag_oom();
	return r;
}

static void test_free(struct rule_test *t)
{
	for (size_t k = 0; k < t->nwords; k++)
		free(t->words[k]);
	free(t->words);
	pcre2_code_free(t->re);
	free(t->arg);
}

static void rule_free(struct rule *ru)
{
	if (!ru)
		return;
	for (size_t e = 0; e < ru->nelems; e++) {
		for (size_t k = 0; k < ru->elems[e].ntests; k++)
			test_free(&ru->elems[e].tests[k]);
		free(ru->elems[e].tests);
		for (size_t k = 0; k < ru->elems[e].nkeys; k++)
			free(ru->elems[e].keys[k]);
		free(ru->elems[e].keys);
	}
	free(ru->elems);
	free(ru->name);
	free(ru->type);
	free(ru->source);
	free(ru);
}

void rules_free(struct rules *r)
{
	if (!r)
		return;
	for (size_t k = 0; k < r->nrules; k++)
		rule_free(r->rules[k]);
	free(r->rules);
	for (size_t k = 0; k < r->nlists; k++) {
		free(r->lists[k].name);
		gaz_close(r->lists[k].gaz);
	}
	free(r->lists);
	pcre2_match_data_free(r->md);
	free(r->memo);
	free(r->cls);
	free(r->fb);
	free(r->shapes);
	free(r->listlen);
	free(r->inlist);
	free(r->pos);
	buf_free(&r->surface);
	free(r->ix.bytok);
	free(r->ix.typetok);
	free(r->ix.linetok);
	free(r->ix.kslot);
	free(r->ix.knext);
	free(r->ix.kcount);
	free(r->ix.kfirst);
	free(r->ix.senttok);
	free(r->ix.starts);
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
	r->ix.off = !on;
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

static const struct rule *find_rule(const struct rules *r, const char *name)
{
	for (size_t k = 0; k < r->nrules; k++)
		if (strcmp(r->rules[k]->name, name) == 0)
			return r->rules[k];
	return NULL;
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
	r->rules = xrealloc(r->rules, (r->nrules + 1) * sizeof(*r->rules));
	r->rules[r->nrules++] = ru;
	ru->nslots = 0;
	for (size_t e = 0; e < ru->nelems; e++)
		for (size_t k = 0; k < ru->elems[e].ntests; k++)
			if (ru->elems[e].tests[k].kind == T_TEXT_RE ||
			    ru->elems[e].tests[k].kind == T_KEY_RE)
				ru->elems[e].tests[k].slot = ru->nslots++;
	set_prefilter(ru);
	set_elem_info(ru);
	r->ix.built = 0;
	if (ru->nelems > r->maxelems) {
		r->maxelems = ru->nelems;
		r->pos = xrealloc(r->pos, (r->maxelems + 1) * sizeof(*r->pos));
	}
	qsort(r->rules, r->nrules, sizeof(*r->rules), rule_cmp);
}

/* --- parsing --------------------------------------------------------------- */

struct parser {
	struct rules *r;
	const char *name;
	size_t line;
	char *err;
	size_t errlen;
};

/* Say what is wrong with the current line; returns EX_DATAERR. */
static int __attribute__((format(printf, 2, 3)))
perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(p->err, p->errlen, "%s:%zu: ", p->name, p->line);

	if (n >= 0 && (size_t)n < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return EX_DATAERR;
}

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Length of the word at s: up to a blank, the end, or a char in stop. */
static size_t word_len(const char *s, const char *stop)
{
	size_t n = 0;

	while (s[n] && s[n] != ' ' && s[n] != '\t' && !strchr(stop, s[n]))
		n++;
	return n;
}

static int all_of(const char *s, size_t n, const char *set)
{
	if (n == 0)
		return 0;
	for (size_t k = 0; k < n; k++)
		if (!strchr(set, s[k]) || s[k] == '\0')
			return 0;
	return 1;
}

#define NAME_CHARS "abcdefghijklmnopqrstuvwxyz0123456789-"
#define TYPE_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

/* Parse /RE/ or /RE/i at *sp into t->re and move *sp past it. */
static int cmp_word(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_word_ci(const void *a, const void *b)
{
	return strcasecmp(*(char *const *)a, *(char *const *)b);
}

/* Most patterns are a few words in disguise ("Army|Navy|Guards?"):
 * keep them in t for the fast path (see struct rule_test). */
#define WORDS_MAX 256
static void split_words(struct rule_test *t, const char *re, int caseless)
{
	if (!relit_expand(re, WORDS_MAX, &t->words, &t->nwords))
		return;
	t->caseless = caseless;
	if (caseless)
		qsort(t->words, t->nwords, sizeof(*t->words), cmp_word_ci);
}

static int parse_re(struct parser *p, const char **sp, struct rule_test *t)
{
	uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_ANCHORED | PCRE2_ENDANCHORED;
	struct buf re = BUF_INIT;
	const char *q = *sp + 1;
	PCRE2_SIZE off;
	int code;

	buf_put(&re, "", 0);
	for (; *q && *q != '/'; q++) {
		if (q[0] == '\\' && q[1] == '/') {
			buf_putc(&re, '/');
			q++;
		} else if (q[0] == '\\' && q[1]) {
			buf_put(&re, q, 2);
			q++;
		} else {
			buf_putc(&re, *q);
		}
	}
	if (!*q) {
		buf_free(&re);
		return perr(p, "unterminated /regex/");
	}
	q++;
	if (*q == 'i') {
		opts |= PCRE2_CASELESS;
		q++;
	}
	if (*q && *q != ']' && *q != ' ' && *q != '\t') {
		buf_free(&re);
		return perr(p, "bad regex flag '%c'", *q);
	}
	t->re = pcre2_compile((PCRE2_SPTR)re.s, re.len, opts, &code, &off, NULL);
	if (t->re)
		split_words(t, re.s, (opts & PCRE2_CASELESS) != 0);
	buf_free(&re);
	if (!t->re) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(code, msg, sizeof(msg));
		return perr(p, "bad regex: %s at offset %zu", (char *)msg,
			    (size_t)off);
	}
	(void)pcre2_jit_compile(t->re, PCRE2_JIT_COMPLETE);
	if (pcre2_pattern_info(t->re, PCRE2_INFO_FIRSTBITMAP, &t->first) != 0)
		t->first = NULL;
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

static const struct {
	const char *word;
	enum test_kind kind;
} simple_tests[] = {
	{ "cap", T_CAP }, { "upper", T_UPPER }, { "lower", T_LOWER },
	{ "initial", T_INITIAL }, { "num", T_NUM }, { "punct", T_PUNCT },
	{ "word", T_WORD }, { "begin", T_BEGIN }, { "sent", T_SENT },
	{ "line", T_LINE }, { "glued", T_GLUED }, { "any", T_ANY },
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
		t->arg = memcpy(xcalloc(n + 1, 1), v, n);
	} else {
		return perr(p, "bad type in 'tag=%.*s'", (int)n, v);
	}
	return 0;
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
		t->arg = memcpy(xcalloc(tn + 1, 1), colon + 1, tn);
	}
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
	if (*s == '/' || strncmp(s, "key=/", 5) == 0) {
		t->kind = *s == '/' ? T_TEXT_RE : T_KEY_RE;
		s += *s == '/' ? 0 : 4;
		st = parse_re(p, &s, t);
		*sp = s;
		return st;
	}
	n = word_len(s, "]");
	*sp = s + n;
	if (n == 0)
		return perr(p, "'!' without a test");
	if (strncmp(s, "=>", 2) == 0)
		return perr(p, "missing ']'");
	for (size_t k = 0; k < sizeof(simple_tests) / sizeof(*simple_tests); k++)
		if (strlen(simple_tests[k].word) == n &&
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
		t->arg = memcpy(xcalloc(n - 4, 1), s + 5, n - 5);
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
	if (bad_quant_follows(s))
		return perr(p, "bad quantifier");
	*sp = s;
	return 0;
}

static struct rule_elem *add_elem(struct rule *ru, enum elem_kind kind)
{
	ru->elems = xrealloc(ru->elems, (ru->nelems + 1) * sizeof(*ru->elems));
	struct rule_elem *e = &ru->elems[ru->nelems++];

	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->min = e->max = 1;
	return e;
}

static int parse_token_elem(struct parser *p, const char **sp, struct rule *ru)
{
	struct rule_elem *e = add_elem(ru, E_TOKEN);
	const char *s = *sp + 1;

	for (;;) {
		struct rule_test t = { 0 };

		s = skip_space(s);
		if (*s == ']')
			break;
		if (!*s)
			return perr(p, "missing ']'");
		if (parse_test(p, &s, &t))
			return EX_DATAERR;
		e->tests = xrealloc(e->tests, (e->ntests + 1) * sizeof(*e->tests));
		e->tests[e->ntests++] = t;
	}
	if (e->ntests == 0)
		return perr(p, "empty [ ]");
	sort_tests(e);
	s++;
	*sp = s;
	return parse_quant(p, sp, e);
}

static int parse_list_elem(struct parser *p, const char **sp, struct rule *ru)
{
	const char *s = *sp + 1;
	const char *gt = strchr(s, '>');
	struct rule_elem *e;

	if (!gt)
		return perr(p, "missing '>'");
	e = add_elem(ru, E_LIST);
	e->list = find_list(p->r, s, (size_t)(gt - s));
	if (!e->list)
		return perr(p, "unknown list '%.*s'", (int)(gt - s), s);
	for (e->listno = 0; p->r->lists[e->listno].gaz != e->list; e->listno++)
		;
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
				  (int)word_len(s, ""), s);
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

static int parse_action(struct parser *p, const char *s, struct rule *ru)
{
	size_t n;

	s = skip_space(s);
	n = word_len(s, "");
	if (n == 0)
		return perr(p, "missing action after '=>'");
	if (*skip_space(s + n))
		return perr(p, "junk after the action: '%s'", skip_space(s + n));
	if (n == 1 && *s == 'O') {
		ru->action = A_UNTAG;
	} else if (s[n - 1] == '!' && all_of(s, n - 1, TYPE_CHARS) &&
		   !(n == 2 && *s == 'O')) {
		ru->action = A_FORCE;
		n--;
	} else if (all_of(s, n, TYPE_CHARS)) {
		ru->action = A_TAG;
	} else {
		return perr(p, "bad action '%.*s'", (int)n, s);
	}
	ru->type = memcpy(xcalloc(n + 1, 1), s, n);
	return 0;
}

/* rule NAME PRIO: ELEMENTS => ACTION (s is just past "rule"). */
static int parse_rule(struct parser *p, const char *s)
{
	struct rule *ru = xcalloc(1, sizeof(*ru));
	struct buf src = BUF_INIT;
	size_t n;
	char *end;
	int st;

	ru->tstart = ru->tend = NONE;
	s = skip_space(s);
	n = word_len(s, ":");
	if (!all_of(s, n, NAME_CHARS)) {
		st = perr(p, "bad rule name '%.*s'", (int)n, s);
		goto out_free;
	}
	ru->name = memcpy(xcalloc(n + 1, 1), s, n);
	if (find_rule(p->r, ru->name)) {
		st = perr(p, "rule '%s' defined twice", ru->name);
		goto out_free;
	}
	s = skip_space(s + n);
	n = word_len(s, ":");
	ru->prio = strtol(s, &end, 10);
	if (n == 0 || end != s + n) {
		st = perr(p, "bad priority '%.*s'", (int)n, s);
		goto out_free;
	}
	s = skip_space(s + n);
	if (*s != ':') {
		st = perr(p, "missing ':' after the priority");
		goto out_free;
	}
	s++;
	if ((st = parse_elems(p, &s, ru)) || (st = parse_action(p, s, ru)))
		goto out_free;
	buf_printf(&src, "rule:%s", ru->name);
	ru->source = src.s;
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
	n = word_len(s, "");
	if (!all_of(s, n, NAME_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZ_"))
		return perr(p, "bad list name '%.*s'", (int)n, s);
	if (find_list(p->r, s, n))
		return perr(p, "list '%.*s' defined twice", (int)n, s);
	const char *file = skip_space(s + n);

	if (!*file)
		return perr(p, "list wants a NAME and a FILE");
	path = stage_data_path(file);
	st = gaz_open(path, &g, p->err, p->errlen);
	free(path);
	if (st)
		return st;
	p->r->lists = xrealloc(p->r->lists, (p->r->nlists + 1) * sizeof(*p->r->lists));
	p->r->lists[p->r->nlists].name = memcpy(xcalloc(n + 1, 1), s, n);
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
		    (int)word_len(s, ""), s);
}

int rules_parse(struct rules *r, const char *text, size_t n,
		const char *name, char *err, size_t errlen)
{
	struct parser p = { r, name, 0, err, errlen };
	struct buf line = BUF_INIT;
	const char *s = text, *end = text + n;
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
		if (memchr(s, '\0', len)) {
			p.line = lineno;
			st = perr(&p, "NUL byte");
			break;
		}
		while (len > 0 && strchr(" \t\r", s[len - 1]))
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
	return st;
}

int rules_load(struct rules *r, const char *path, char *err, size_t errlen)
{
	struct buf text = BUF_INIT;
	FILE *fp = fopen(path, "r");
	int st;

	if (!fp) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return EX_NOINPUT;
	}
	if (buf_slurp(&text, fp) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		fclose(fp);
		buf_free(&text);
		return EX_NOINPUT;
	}
	fclose(fp);
	st = rules_parse(r, text.s ? text.s : "", text.len, path, err, errlen);
	buf_free(&text);
	return st;
}

/* --- matching -------------------------------------------------------------- */

#define SHAPE(kind) (1u << (kind))
#define SHAPES_KNOWN 0x8000

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

/* Does toks[q] pass the shape test kind?  All its shapes are worked out
 * at the first question: rules ask the same of a token many times. */
static int shape_memo(struct rules *r, enum test_kind kind,
		      const struct tok *tk, size_t q)
{
	uint16_t *sh = &r->shapes[q];

	if (!(*sh & SHAPES_KNOWN))
		*sh = (uint16_t)(SHAPES_KNOWN | token_shapes(tk->text));
	return (*sh >> kind) & 1;
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
			       t->caseless ? cmp_word_ci : cmp_word) != NULL;
	return pcre2_match(t->re, (PCRE2_SPTR)s, strlen(s), 0, 0, r->md, NULL) >= 0;
}

/* Has s fewer than min code points?  Its length in bytes mostly says. */
static int too_short(const char *s, uint32_t min)
{
	size_t n = strlen(s);

	if (n < min)
		return 1;
	return n < 4 * (size_t)min && utf_count(s, n) < min;
}

/* A regex test of toks[q], looked up in the memo first. */
static int re_memo(struct rules *r, const struct rule_test *t,
		   const struct tok *tk, size_t q)
{
	uint32_t *cell = &r->memo[q * r->memo_cols + t->slot];
	const char *s = t->kind == T_TEXT_RE ? tk->text : tk->key;
	unsigned char c = (unsigned char)s[0];
	uint32_t base = r->memo_gen * 4;

	if (*cell / 4 != r->memo_gen) {
		if (t->first && (!c || !(t->first[c / 8] & (1u << (c % 8)))))
			*cell = base + 1;
		else if (t->minlen && too_short(s, t->minlen))
			*cell = base + 1;
		else
			*cell = base + 1 + (uint32_t)re_ok(r, t, s);
	}
	return *cell == base + 2;
}

static int test_ok(struct rules *r, const struct rule_test *t,
		   const struct tok *tk, size_t q)
{
	int ok;

	switch (t->kind) {
	case T_TEXT_RE:
	case T_KEY_RE:
		ok = re_memo(r, t, tk, q);
		break;
	case T_TAG:
		ok = tk->pos != TAG_O && strcmp(tk->type, t->arg) == 0;
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
	case T_IN:
		if (t->arg) {
			ok = gaz_has(t->list, tk->key, strlen(tk->key), t->arg);
		} else {
			unsigned char *cell = &r->inlist[t->listno * r->ntoks + q];

			if (!*cell)
				*cell = 1 + gaz_has(t->list, tk->key, strlen(tk->key), NULL);
			ok = *cell == 2;
		}
		break;
	case T_SENT:
		ok = (tk->flags & TOK_SENT) != 0;
		break;
	case T_LINE:
		ok = (tk->flags & TOK_LINE) != 0;
		break;
	case T_GLUED:
		ok = tk->gap[0] == '\0';
		break;
	case T_ANY:
		ok = 1;
		break;
	case T_TEXT:
		ok = strcmp(tk->text, t->arg) == 0;
		break;
	default:
		ok = shape_memo(r, t->kind, tk, q);
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
		if (!test_ok(m->r, &e->tests[k], &m->d->toks[q], q))
			return 0;
	return 1;
}

static int match_from(struct match *m, size_t e, size_t q);

static int match_list(struct match *m, size_t e, size_t q)
{
	const struct rule_elem *el = &m->ru->elems[e];
	size_t len = 0;

	if (can_take(m, q)) {
		uint32_t *cell = &m->r->listlen[el->listno * m->d->ntoks + q];

		if (!*cell) {
			struct gaz_hit hit;

			*cell = 1 + (gaz_match(el->list, m->d->toks, m->d->ntoks,
					       q, 1, &hit) ? (uint32_t)hit.len : 0);
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
		if (k > i)
			buf_puts(out, d->toks[k].gap);
		buf_puts(out, d->toks[k].text);
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
	    doc_mention_len(d, i) == end - i && strcmp(d->toks[i].type, ru->type) == 0)
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
			doc_untag(&d->toks[k]);
	} else {
		rules_surface(&r->surface, d, i, end - i);
		doc_tag(d, i, end - i, ru->type, r->surface.s, ru->source, "");
	}
	sync_classes(r, d, lo, hi);
	return 1;
}

/* --- the start index (see struct rules_index) ------------------------------- */

/* Does some rule tag tokens with type? */
static int type_given(const struct rules *r, const char *type)
{
	for (size_t q = 0; q < r->nrules; q++)
		if (r->rules[q]->action != A_UNTAG &&
		    strcmp(r->rules[q]->type, type) == 0)
			return 1;
	return 0;
}

/* The index of a closed type, or NONE. */
static size_t closed_id(const struct rules_index *ix, const char *type)
{
	for (size_t k = 0; k < ix->nclosed; k++)
		if (strcmp(ix->closed[k], type) == 0)
			return k;
	return NONE;
}

static void index_build(struct rules *r)
{
	struct rules_index *ix = &r->ix;

	ix->nclosed = 0;
	for (size_t q = 0; q < r->nrules; q++)
		for (size_t e = 0; e < r->rules[q]->nelems; e++) {
			const char *t = r->rules[q]->elems[e].tagarg;

			if (t && ix->nclosed < MAX_CLOSED &&
			    closed_id(ix, t) == NONE && !type_given(r, t))
				ix->closed[ix->nclosed++] = t;
		}
	ix->built = 1;
}

/* The slot of key in the key table: where it is, or the empty slot
 * where it would go. */
static size_t key_slot(const struct rules_index *ix, const struct doc *d,
		       const char *key)
{
	size_t p = gaz_hash(key, strlen(key), GAZ_HASH_INIT) & ix->kmask;

	while (ix->kslot[p] && strcmp(d->toks[ix->kslot[p] - 1].key, key) != 0)
		p = (p + 1) & ix->kmask;
	return p;
}

/* The first token with key, or NONE. */
static size_t key_first(const struct rules_index *ix, const struct doc *d,
			const char *key)
{
	uint32_t v = ix->kslot[key_slot(ix, d, key)];

	return v ? v - 1 : NONE;
}

/* Index the tokens of d by match key (see struct rules_index). */
static void index_keys(struct rules_index *ix, const struct doc *d)
{
	size_t cap = 64;

	while (cap < 2 * d->ntoks)
		cap *= 2;
	ix->kslot = grow(ix->kslot, &ix->kslot_cap, cap, sizeof(*ix->kslot));
	memset(ix->kslot, 0, cap * sizeof(*ix->kslot));
	ix->kmask = cap - 1;
	ix->knext = grow(ix->knext, &ix->knext_cap, d->ntoks + 1, sizeof(*ix->knext));
	ix->kcount = grow(ix->kcount, &ix->kcount_cap, d->ntoks + 1,
			  sizeof(*ix->kcount));
	ix->kfirst = grow(ix->kfirst, &ix->kfirst_cap, d->ntoks + 1,
			  sizeof(*ix->kfirst));
	ix->nkfirst = 0;
	/* Backwards, so that each key's chain comes out in token order. */
	for (size_t i = d->ntoks; i-- > 0;) {
		size_t p = key_slot(ix, d, d->toks[i].key);

		if (ix->kslot[p]) {
			ix->knext[i] = ix->kslot[p] - 1;
			ix->kcount[i] = ix->kcount[ix->knext[i]] + 1;
		} else {
			ix->knext[i] = NONE;
			ix->kcount[i] = 1;
			ix->kfirst[ix->nkfirst++] = p;	/* a slot, for now */
		}
		ix->kslot[p] = (uint32_t)i + 1;
	}
	for (size_t k = 0; k < ix->nkfirst; k++)
		ix->kfirst[k] = ix->kslot[ix->kfirst[k]] - 1;
}

/* Sort the token numbers of d by first byte and by closed type (a
 * counting sort: two passes each). */
static void index_doc(struct rules *r, const struct doc *d)
{
	struct rules_index *ix = &r->ix;
	size_t at[MAX_CLOSED];

	memset(ix->byoff, 0, sizeof(ix->byoff));
	for (size_t i = 0; i < d->ntoks; i++)
		ix->byoff[r->fb[i] + 1]++;
	for (size_t b = 0; b < 256; b++)
		ix->byoff[b + 1] += ix->byoff[b];
	ix->bytok = grow(ix->bytok, &ix->bytok_cap, d->ntoks + 1,
			 sizeof(*ix->bytok));
	for (size_t i = 0; i < d->ntoks; i++)
		ix->bytok[ix->byoff[r->fb[i]]++] = i;
	memmove(ix->byoff + 1, ix->byoff, 256 * sizeof(*ix->byoff));
	ix->byoff[0] = 0;

	ix->linetok = grow(ix->linetok, &ix->linetok_cap, d->ntoks + 1,
			   sizeof(*ix->linetok));
	ix->senttok = grow(ix->senttok, &ix->senttok_cap, d->ntoks + 1,
			   sizeof(*ix->senttok));
	ix->nline = ix->nsent = 0;
	for (size_t i = 0; i < d->ntoks; i++) {
		if (d->toks[i].flags & TOK_LINE)
			ix->linetok[ix->nline++] = i;
		if (d->toks[i].flags & TOK_SENT)
			ix->senttok[ix->nsent++] = i;
	}

	index_keys(ix, d);
	memset(ix->typeoff, 0, sizeof(ix->typeoff));
	memset(at, 0, sizeof(at));
	if (!ix->nclosed)
		return;
	for (size_t i = 0; i < d->ntoks; i++) {
		size_t k = d->toks[i].pos == TAG_O ? NONE :
			   closed_id(ix, d->toks[i].type);

		if (k != NONE)
			ix->typeoff[k + 1]++;
	}
	for (size_t k = 0; k < ix->nclosed; k++)
		ix->typeoff[k + 1] += ix->typeoff[k];
	ix->typetok = grow(ix->typetok, &ix->typetok_cap,
			   ix->typeoff[ix->nclosed] + 1, sizeof(*ix->typetok));
	for (size_t i = 0; i < d->ntoks; i++) {
		size_t k = d->toks[i].pos == TAG_O ? NONE :
			   closed_id(ix, d->toks[i].type);

		if (k != NONE)
			ix->typetok[ix->typeoff[k] + at[k]++] = i;
	}
}

/* Can a test's result turn from false to true while a rule runs?  Not
 * for one on the text, nor for a tag of a type that no rule gives. */
static int test_settled(const struct rules *r, const struct rule_test *t)
{
	switch (t->kind) {
	case T_TAG:
		return !t->neg && closed_id(&r->ix, t->arg) != NONE;
	case T_UNTAGGED: case T_TAGGED: case T_BEGIN:
		return 0;
	default:
		return 1;
	}
}

/* Does toks[j] pass the settled tests of el (see test_settled)? */
static int settled_ok(struct rules *r, const struct rule_elem *el,
		      const struct doc *d, size_t j)
{
	for (size_t k = 0; k < el->ntests; k++)
		if (test_settled(r, &el->tests[k]) &&
		    !test_ok(r, &el->tests[k], &d->toks[j], j))
			return 0;
	return 1;
}

/* Where the start index looks for the tokens an anchor can take. */
enum source { SRC_BYTES, SRC_LIST, SRC_KEYS, SRC_IN };

struct anchor {
	const struct rule_elem *el;
	enum source src;
	const size_t *list;	/* SRC_LIST: token numbers */
	size_t cost;		/* about how many tokens are looked at */
};

/* The cheapest way to find the tokens el can take. */
static struct anchor anchor_for(const struct rules *r, const struct doc *d,
				const struct rule_elem *el)
{
	const struct rules_index *ix = &r->ix;
	struct anchor a = { el, SRC_BYTES, NULL, 0 };
	size_t k = el->tagarg ? closed_id(ix, el->tagarg) : NONE;

	if (el->kind == E_LIST) {
		a.src = SRC_IN;
		a.cost = ix->nkfirst;
		return a;
	}
	for (unsigned b = 0; b < 256; b++)
		if (el->first[b / 8] & (1u << (b % 8)))
			a.cost += ix->byoff[b + 1] - ix->byoff[b];
	if (el->keys) {
		size_t n = el->nkeys;	/* the look-ups */

		for (size_t i = 0; i < el->nkeys; i++) {
			size_t f = key_first(ix, d, el->keys[i]);

			n += f == NONE ? 0 : ix->kcount[f];
		}
		if (n < a.cost) {
			a.src = SRC_KEYS;
			a.cost = n;
		}
	}
	if (el->in && ix->nkfirst < a.cost) {
		a.src = SRC_IN;
		a.cost = ix->nkfirst;
	}
	if (k != NONE && ix->typeoff[k + 1] - ix->typeoff[k] < a.cost) {
		a.src = SRC_LIST;
		a.cost = ix->typeoff[k + 1] - ix->typeoff[k];
		a.list = ix->typetok + ix->typeoff[k];
	}
	if ((el->flags & TOK_LINE) && ix->nline < a.cost) {
		a.src = SRC_LIST;
		a.cost = ix->nline;
		a.list = ix->linetok;
	}
	if ((el->flags & TOK_SENT) && ix->nsent < a.cost) {
		a.src = SRC_LIST;
		a.cost = ix->nsent;
		a.list = ix->senttok;
	}
	return a;
}

/* Mark starts[] for the tokens toks[j] from which a token el can take
 * is lo..hi tokens on. */
static void mark_starts(struct rules *r, const struct rule_elem *el,
			const struct doc *d, size_t j)
{
	if (j < el->lo || !settled_ok(r, el, d, j))
		return;
	size_t from = j > el->hi ? j - el->hi : 0, to = j - el->lo;

	for (size_t i = from; i <= to; i++)
		r->ix.starts[i / 64] |= (uint64_t)1 << (i % 64);
}

/* Mark the starts for every token with the same key as toks[first]. */
static void mark_key(struct rules *r, const struct rule_elem *el,
		     const struct doc *d, size_t first)
{
	for (size_t j = first; j != NONE; j = r->ix.knext[j])
		mark_starts(r, el, d, j);
}

/* Can a token with key be taken by el, an E_LIST or in=LIST element? */
static int key_in(const struct rule_elem *el, const char *key)
{
	if (el->kind == E_LIST)
		return gaz_may_start(el->list, key);
	return gaz_has(el->in->list, key, strlen(key), el->in->arg);
}

static void mark_anchor(struct rules *r, const struct doc *d,
			const struct anchor *a)
{
	const struct rules_index *ix = &r->ix;
	const struct rule_elem *el = a->el;

	switch (a->src) {
	case SRC_LIST:
		for (size_t t = 0; t < a->cost; t++)
			mark_starts(r, el, d, a->list[t]);
		break;
	case SRC_KEYS:
		for (size_t i = 0; i < el->nkeys; i++) {
			size_t f = key_first(ix, d, el->keys[i]);

			if (f != NONE)
				mark_key(r, el, d, f);
		}
		break;
	case SRC_IN:
		for (size_t k = 0; k < ix->nkfirst; k++)
			if (key_in(el, d->toks[ix->kfirst[k]].key))
				mark_key(r, el, d, ix->kfirst[k]);
		break;
	case SRC_BYTES:
		for (unsigned b = 0; b < 256; b++)
			if (el->first[b / 8] & (1u << (b % 8)))
				for (size_t t = ix->byoff[b]; t < ix->byoff[b + 1]; t++)
					mark_starts(r, el, d, ix->bytok[t]);
		break;
	}
}

/* Set r->ix.starts to the candidate starts of ru in d. */
static void find_starts(struct rules *r, const struct rule *ru,
			const struct doc *d)
{
	struct rules_index *ix = &r->ix;
	struct anchor best = { NULL, SRC_BYTES, NULL, d->ntoks };
	size_t nw = (d->ntoks + 63) / 64;

	ix->starts = grow(ix->starts, &ix->starts_cap, nw + 1, sizeof(*ix->starts));
	for (size_t e = 0; e < ru->nelems; e++) {
		const struct rule_elem *el = &ru->elems[e];
		struct anchor a;

		if (el->min < 1)
			continue;
		a = anchor_for(r, d, el);
		if (a.cost < best.cost)
			best = a;
	}
	if (!best.el || ix->off) {
		/* No element narrows it down: every token may start. */
		memset(ix->starts, 0xff, nw * sizeof(*ix->starts));
		return;
	}
	memset(ix->starts, 0, nw * sizeof(*ix->starts));
	mark_anchor(r, d, &best);
}

/* --- applying -------------------------------------------------------------- */

static size_t apply_rule(struct rules *r, const struct rule *ru,
			 struct doc *d, rules_trace_fn *trace, void *arg)
{
	struct match m = { r, ru, d, 0, 0 };
	size_t applied = 0, next = 0;
	size_t need = d->ntoks * ru->nslots;

	if (need > r->memo_cap) {
		free(r->memo);
		r->memo = xcalloc(need, sizeof(*r->memo));
		r->memo_cap = need;
		r->memo_gen = 0;
	}
	r->memo_cols = ru->nslots;
	/* A new generation for this rule and document; after 2^30 of them
	 * the stamps would repeat, so start again from clean cells. */
	if (++r->memo_gen >= (1u << 30)) {
		memset(r->memo, 0, r->memo_cap * sizeof(*r->memo));
		r->memo_gen = 1;
	}
	find_starts(r, ru, d);

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

size_t rules_apply(struct rules *r, struct doc *d, rules_trace_fn *trace,
		   void *arg)
{
	size_t applied = 0, nl = d->ntoks * r->nlists;

	if (!r->ix.built)
		index_build(r);
	r->cls = grow(r->cls, &r->cls_cap, d->ntoks, 1);
	r->fb = grow(r->fb, &r->fb_cap, d->ntoks, 1);
	r->shapes = grow(r->shapes, &r->shapes_cap, d->ntoks, sizeof(*r->shapes));
	if (d->ntoks)
		memset(r->shapes, 0, d->ntoks * sizeof(*r->shapes));
	for (size_t i = 0; i < d->ntoks; i++) {
		r->cls[i] = (unsigned char)(static_class(&d->toks[i]) |
					    tag_class(&d->toks[i]));
		r->fb[i] = (unsigned char)d->toks[i].text[0];
	}
	if (nl > r->listlen_cap) {
		free(r->listlen);
		r->listlen = xmalloc(nl * sizeof(*r->listlen));
		r->listlen_cap = nl;
	}
	if (nl)
		memset(r->listlen, 0, nl * sizeof(*r->listlen));
	if (nl > r->inlist_cap) {
		free(r->inlist);
		r->inlist = xmalloc(nl);
		r->inlist_cap = nl;
	}
	if (nl)
		memset(r->inlist, 0, nl);
	r->ntoks = d->ntoks;
	index_doc(r, d);
	r->steps = 0;
	for (size_t q = 0; q < r->nrules; q++)
		applied += apply_rule(r, r->rules[q], d, trace, arg);
	return applied;
}
