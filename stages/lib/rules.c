/* rules.c - parse ner-rules(5) rule files and apply them to documents. */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <ctype.h>
#include <errno.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "buf.h"
#include "diag.h"
#include "gaz.h"
#include "rules.h"

/* How many leading one-token elements the prefilter looks at. */
#define RULES_PREFILTER 3
#include "stage.h"
#include "utf.h"

#define NONE SIZE_MAX
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
	/* Per document: each token's classes that no rule changes (TC_CAP,
	 * TC_NOTCAP, TC_SENT, TC_LINE), and the length of the longest entry
	 * of each list at each token plus one (0: not looked up yet), since
	 * a list match does not depend on tags. */
	unsigned char *cls;
	size_t cls_cap;
	uint32_t *listlen;
	size_t listlen_cap;
	unsigned char *inlist;	/* in=LIST without a type: 0 unknown, 1 no, 2 yes */
	size_t ntoks;		/* of the document being worked on */
	size_t inlist_cap;
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

		if (el->kind != E_TOKEN || el->min < 1)
			break;
		memset(ru->first[ru->nneed], 0xff, 32);
		for (size_t k = 0; k < el->ntests; k++) {
			need |= test_need(&el->tests[k]);
			test_first(&el->tests[k], ru->first[ru->nneed]);
		}
		ru->need[ru->nneed++] = need;
		/* After a repeated element the next token's element is not
		 * known in advance. */
		if (el->max != 1)
			break;
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

/* Can a match of ru start at toks[i] at all? */
static int may_start(const struct rules *r, const struct rule *ru,
		     const struct doc *d, size_t i)
{
	for (size_t k = 0; k < ru->nneed; k++) {
		if (i + k >= d->ntoks)
			return 0;
		const struct tok *t = &d->toks[i + k];
		unsigned char c = (unsigned char)t->text[0];
		unsigned cls = r->cls[i + k] |
			       (t->pos == TAG_O ? TC_UNTAGGED : TC_TAGGED) |
			       (t->pos == TAG_B ? TC_BEGIN : 0);

		if (!(ru->first[k][c / 8] & (1u << (c % 8))))
			return 0;
		if ((cls & ru->need[k]) != ru->need[k])
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
	free(r->listlen);
	free(r->inlist);
	free(r->pos);
	buf_free(&r->surface);
	free(r);
}

size_t rules_count(const struct rules *r)
{
	return r->nrules;
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

static int32_t first_cp(const char *s, int *len)
{
	size_t n = strlen(s);
	int32_t cp;

	*len = n ? utf_decode(s, n, &cp) : -1;
	return *len > 0 ? cp : -1;
}

/* Count letters, lower-case letters and digits of s. */
static void classes(const char *s, size_t *letters, size_t *lowers,
		    size_t *digits)
{
	size_t n = strlen(s);
	int32_t cp;

	*letters = *lowers = *digits = 0;
	while (n > 0) {
		int k = utf_decode(s, n, &cp);

		if (k < 0)
			k = 1;
		*letters += utf_is_letter(cp) != 0;
		*lowers += utf_is_lower(cp) != 0;
		*digits += utf_is_digit(cp) != 0;
		s += k;
		n -= (size_t)k;
	}
}

static int shape_ok(enum test_kind kind, const char *s)
{
	size_t letters, lowers, digits;
	int len;
	int32_t cp = first_cp(s, &len);

	switch (kind) {
	case T_CAP:
		return cp >= 0 && utf_is_upper(cp);
	case T_LOWER:
		return cp >= 0 && utf_is_lower(cp);
	case T_NUM:
		return cp >= 0 && utf_is_digit(cp);
	case T_INITIAL:
		return cp >= 0 && utf_is_upper(cp) &&
		       (!s[len] || (s[len] == '.' && !s[len + 1]));
	default:
		break;
	}
	if (kind == T_WORD) {
		/* Stop at the first letter. */
		for (const char *c = s; *c; c += len > 0 ? len : 1) {
			int32_t ch;

			len = utf_decode(c, strlen(c), &ch);
			if (len > 0 && utf_is_letter(ch))
				return 1;
		}
		return 0;
	}
	classes(s, &letters, &lowers, &digits);
	if (kind == T_UPPER)
		return letters >= 2 && lowers == 0;
	if (kind == T_PUNCT)
		return letters == 0 && digits == 0;
	return letters > 0;
}

static int re_ok(struct rules *r, const pcre2_code *re, const char *s)
{
	return pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0, r->md, NULL) >= 0;
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
		else if (t->minlen && utf_count(s, strlen(s)) < t->minlen)
			*cell = base + 1;
		else
			*cell = base + 1 + (uint32_t)re_ok(r, t->re, s);
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
		ok = shape_ok(t->kind, tk->text);
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
	if (ru->action == A_UNTAG)
		doc_untag_cut(d, i, end);
	if (ru->action == A_UNTAG) {
		for (size_t k = i; k < end; k++)
			doc_untag(&d->toks[k]);
		return 1;
	}
	rules_surface(&r->surface, d, i, end - i);
	doc_tag(d, i, end - i, ru->type, r->surface.s, ru->source, "");
	return 1;
}

static size_t apply_rule(struct rules *r, const struct rule *ru,
			 struct doc *d, rules_trace_fn *trace, void *arg)
{
	struct match m = { r, ru, d, 0, 0 };
	size_t applied = 0;
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

	for (size_t i = 0; i < d->ntoks;) {
		m.start = i;
		m.steps = 0;
		if (!may_start(r, ru, d, i) || !match_from(&m, 0, i)) {
			i++;
			continue;
		}
		size_t ts = r->pos[ru->tstart], te = r->pos[ru->tend];
		size_t end = r->pos[ru->nelems];

		if (!act(r, ru, d, ts, te)) {
			i++;
			continue;
		}
		if (trace)
			trace(d, ts, te - ts, ru->name, ru->type, arg);
		applied++;
		i = end;
	}
	return applied;
}

size_t rules_apply(struct rules *r, struct doc *d, rules_trace_fn *trace,
		   void *arg)
{
	size_t applied = 0, nl = d->ntoks * r->nlists;

	if (d->ntoks > r->cls_cap) {
		free(r->cls);
		r->cls = xmalloc(d->ntoks);
		r->cls_cap = d->ntoks;
	}
	for (size_t i = 0; i < d->ntoks; i++)
		r->cls[i] = (unsigned char)static_class(&d->toks[i]);
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
	for (size_t k = 0; k < r->nrules; k++)
		applied += apply_rule(r, r->rules[k], d, trace, arg);
	return applied;
}
