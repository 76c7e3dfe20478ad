/* rules_test.c - the tests of one token by a rule element (ner-rules(5),
 * "Token tests"): shapes, tags, lists, regular expressions, with the
 * per-document memos that spare asking twice. */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "gaz.h"
#include "hash.h"
#include "rules.h"
#include "rules_int.h"
#include "rules_test.h"
#include "utf.h"

/* Guards the per-rule limit counts, which threads sharing a rule set
 * (rules_clone) all update. */
static pthread_mutex_t limit_lock = PTHREAD_MUTEX_INITIALIZER;

/* The counts token_shapes needs of a string: its letters, lower-case
 * letters and digits. */
struct shape_counts {
	size_t letters, lowers, digits;
};

/* The classes of the ASCII bytes, as counts to add up in three fields
 * of SH_FIELD bits: letters, lower-case letters, digits.  A field holds
 * the count of up to SH_MAX bytes. */
#define SH_FIELD 21
#define SH_MAX (((size_t)1 << SH_FIELD) - 1)
#define SH_L ((uint64_t)1)
#define SH_LL (SH_L | (uint64_t)1 << SH_FIELD)
#define SH_D ((uint64_t)1 << 2 * SH_FIELD)

static const uint64_t ascii_class[128] = {
	['0'] = SH_D, ['1'] = SH_D, ['2'] = SH_D, ['3'] = SH_D, ['4'] = SH_D,
	['5'] = SH_D, ['6'] = SH_D, ['7'] = SH_D, ['8'] = SH_D, ['9'] = SH_D,
	['A'] = SH_L, ['B'] = SH_L, ['C'] = SH_L, ['D'] = SH_L, ['E'] = SH_L,
	['F'] = SH_L, ['G'] = SH_L, ['H'] = SH_L, ['I'] = SH_L, ['J'] = SH_L,
	['K'] = SH_L, ['L'] = SH_L, ['M'] = SH_L, ['N'] = SH_L, ['O'] = SH_L,
	['P'] = SH_L, ['Q'] = SH_L, ['R'] = SH_L, ['S'] = SH_L, ['T'] = SH_L,
	['U'] = SH_L, ['V'] = SH_L, ['W'] = SH_L, ['X'] = SH_L, ['Y'] = SH_L,
	['Z'] = SH_L,
	['a'] = SH_LL, ['b'] = SH_LL, ['c'] = SH_LL, ['d'] = SH_LL,
	['e'] = SH_LL, ['f'] = SH_LL, ['g'] = SH_LL, ['h'] = SH_LL,
	['i'] = SH_LL, ['j'] = SH_LL, ['k'] = SH_LL, ['l'] = SH_LL,
	['m'] = SH_LL, ['n'] = SH_LL, ['o'] = SH_LL, ['p'] = SH_LL,
	['q'] = SH_LL, ['r'] = SH_LL, ['s'] = SH_LL, ['t'] = SH_LL,
	['u'] = SH_LL, ['v'] = SH_LL, ['w'] = SH_LL, ['x'] = SH_LL,
	['y'] = SH_LL, ['z'] = SH_LL,
};

/* Count the classes of the ASCII bytes s[0..), up to the first NUL or
 * other byte, into c; returns how many there are. */
static size_t count_ascii(struct shape_counts *c, const unsigned char *s)
{
	size_t i = 0;

	/* s[i] - 1u < 0x7f: a byte from 1 to 0x7f. */
	while (s[i] - 1u < 0x7f) {
		size_t end = i + SH_MAX;
		uint64_t acc = 0;

		for (; i < end && s[i] - 1u < 0x7f; i++)
			acc += ascii_class[s[i]];
		c->letters += acc & SH_MAX;
		c->lowers += (acc >> SH_FIELD) & SH_MAX;
		c->digits += (acc >> 2 * SH_FIELD) & SH_MAX;
	}
	return i;
}

/* The shape tests that s passes, as RULES_SHAPE() bits, from one pass
 * over its characters.  The ASCII bytes before the first other one are
 * counted without decoding: most tokens are ASCII. */
static unsigned token_shapes(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t ascii = 0, n, first_len = 0;
	struct shape_counts c = { 0, 0, 0 };
	int32_t first = -1, cp;
	unsigned sh = 0;

	ascii = count_ascii(&c, u);
	if (ascii > 0) {
		first = u[0];
		first_len = 1;
	}
	n = ascii + strlen(s + ascii);
	for (size_t i = ascii; i < n;) {
		int k = utf_decode(s + i, n - i, &cp);

		if (k < 0)
			k = 1;
		if (i == 0) {
			first = k > 0 ? cp : -1;
			first_len = (size_t)k;
		}
		c.letters += utf_is_letter(cp) != 0;
		c.lowers += utf_is_lower(cp) != 0;
		c.digits += utf_is_digit(cp) != 0;
		i += (size_t)k;
	}
	if (first >= 0 && utf_is_upper(first)) {
		sh |= RULES_SHAPE(T_CAP);
		if (!s[first_len] || (s[first_len] == '.' && !s[first_len + 1]))
			sh |= RULES_SHAPE(T_INITIAL);
	}
	if (first >= 0 && utf_is_lower(first))
		sh |= RULES_SHAPE(T_LOWER);
	if (first >= 0 && utf_is_digit(first))
		sh |= RULES_SHAPE(T_NUM);
	if (c.letters >= 2 && c.lowers == 0)
		sh |= RULES_SHAPE(T_UPPER);
	if (c.letters == 0 && c.digits == 0)
		sh |= RULES_SHAPE(T_PUNCT);
	if (c.letters > 0)
		sh |= RULES_SHAPE(T_WORD);
	return sh;
}

void rules_take_row(struct rules *r, size_t row, size_t q)
{
	r->rowtok[row] = (uint32_t)q + 1;
	memset(r->listlen + row * r->nlists, 0, r->nlists * sizeof(*r->listlen));
	memset(r->memo + row * r->memo_cols, 0, r->memo_cols);
}

/* The shapes of d's token q (RULES_SHAPE() bits), worked out at the first
 * question: rules ask the same of a token many times. */
static unsigned shapes_of(struct rules *r, const struct doc *d, size_t q)
{
	uint8_t *sh = &r->shapes[q];

	if (!(*sh & RULES_SHAPES_KNOWN))
		*sh = (uint8_t)(RULES_SHAPES_KNOWN |
				token_shapes(tok_text(d, &d->toks[q])));
	return *sh;
}

void rules_note_fault(struct rules *r, const struct gaz *list, int fault)
{
	if (!r->fault) {
		r->fault = fault;
		r->faulty = list;
	}
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

/* Where the answers filed under kind and who with this hash are looked
 * for first in a memo's table: the pointer's high bits mixed in, since
 * its low ones are alike. */
static size_t memo_home(const struct rules_memo *m, unsigned kind,
			const void *who, uint32_t hash)
{
	uint64_t w = (uint64_t)(uintptr_t)who * 0x9E3779B97F4A7C15u;

	return ((uint32_t)(w >> 32) ^ hash ^ kind * 0x85EBCA6Bu) & (m->cap - 1);
}

/* The free slot where e goes in m's table. */
static struct rules_memo_ent *memo_free_slot(struct rules_memo *m,
					     const struct rules_memo_ent *e)
{
	size_t p = memo_home(m, e->kind, e->who, e->hash);

	while (m->ent[p].who)
		p = (p + 1) & (m->cap - 1);
	return &m->ent[p];
}

/* Make room for one more entry of n string bytes: double the table or
 * the pool while under their bounds, else empty the memo. */
static void memo_room(struct rules_memo *m, size_t n)
{
	if (!m->ent) {
		m->cap = RULES_MEMO_SLOTS_START;
		m->ent = xcalloc(m->cap, sizeof(*m->ent));
		m->poolcap = RULES_MEMO_BYTES_START;
		m->pool = xmalloc(m->poolcap);
	}
	while (m->used + n > m->poolcap && m->poolcap < RULES_MEMO_BYTES) {
		m->poolcap *= 2;
		m->pool = xrealloc(m->pool, m->poolcap);
	}
	if (2 * (m->n + 1) > m->cap && m->cap < RULES_MEMO_SLOTS) {
		struct rules_memo_ent *old = m->ent;
		size_t oldcap = m->cap;

		m->cap *= 2;
		m->ent = xcalloc(m->cap, sizeof(*m->ent));
		for (size_t p = 0; p < oldcap; p++)
			if (old[p].who)
				*memo_free_slot(m, &old[p]) = old[p];
		free(old);
	}
	if (2 * (m->n + 1) > m->cap || m->used + n > m->poolcap)
		rules_memo_clear(m);
}

uint32_t rules_memo_get(const struct rules_memo *m, unsigned kind,
			const void *who, const char *s, uint32_t hash)
{
	if (!m->ent)
		return 0;
	for (size_t p = memo_home(m, kind, who, hash); m->ent[p].who;
	     p = (p + 1) & (m->cap - 1)) {
		const struct rules_memo_ent *e = &m->ent[p];

		if (e->hash == hash && e->who == who && e->kind == kind &&
		    strcmp(m->pool + e->off, s) == 0)
			return e->val;
	}
	return 0;
}

void rules_memo_put(struct rules_memo *m, unsigned kind, const void *who,
		    const char *s, uint32_t hash, uint32_t val)
{
	size_t n = strlen(s) + 1;

	/* A string of more than a sixteenth of the pool is not kept (it
	 * is asked about again): the pool holds many. */
	if (n > RULES_MEMO_BYTES / 16)
		return;
	memo_room(m, n);
	struct rules_memo_ent e = { who, hash, (uint32_t)m->used, val, kind };

	*memo_free_slot(m, &e) = e;
	memcpy(m->pool + m->used, s, n);
	m->used += n;
	m->n++;
}

void rules_memo_clear(struct rules_memo *m)
{
	if (m->ent)
		memset(m->ent, 0, m->cap * sizeof(*m->ent));
	m->n = m->used = 0;
}

void rules_memo_free(struct rules_memo *m)
{
	free(m->ent);
	free(m->pool);
	*m = (struct rules_memo){ NULL, 0, 0, NULL, 0, 0 };
}

/* Does t match s?  A pattern run by pcre2 is costly, so its answers are
 * kept in r->sm; a word list is quicker to search than the memo. */
static int re_ok(struct rules *r, const struct rule_test *t, const char *s)
{
	if (t->words && (!t->caseless || is_ascii(s)))
		return bsearch(&s, t->words, t->nwords, sizeof(*t->words),
			       t->caseless ? rules_cmp_word_ci : rules_cmp_word) != NULL;
	size_t n = strlen(s);
	uint32_t h = hash_fnv1a(s, n, HASH_FNV1A_INIT);
	uint32_t known = rules_memo_get(&r->sm, RULES_MEMO_RE, t, s, h);

	if (known)
		return known == 2;
	int rc = pcre2_match(t->re, (PCRE2_SPTR)s, n, 0, 0, r->md, r->mctx);

	if (rc >= 0 || rc == PCRE2_ERROR_NOMATCH)
		rules_memo_put(&r->sm, RULES_MEMO_RE, t, s, h, rc >= 0 ? 2 : 1);
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
	uint8_t *cell = &r->memo[rules_row_of(r, q) * r->memo_cols + t->slot];
	const struct tok *tk = &d->toks[q];
	const char *s = t->kind == T_TEXT_RE ? tok_text(d, tk) : tok_key(d, tk);
	unsigned char c = (unsigned char)s[0];
	unsigned base = r->memo_gen << 2;

	if ((*cell >> 2) != r->memo_gen) {
		if (t->hasfirst && (!c || !(t->first[c / 8] & (1u << (c % 8)))))
			*cell = (uint8_t)(base | 1);
		else if (t->minlen && too_short(s, t->minlen))
			*cell = (uint8_t)(base | 1);
		else
			*cell = (uint8_t)(base | (1 + (unsigned)re_ok(r, t, s)));
	}
	return *cell == (base | 2);
}

uint32_t rules_in_types(struct rules *r, const struct rule_test *t,
			const char *key, uint32_t hash)
{
	const struct rules_list *l = &r->lists[t->listno];
	uint32_t mask, known = rules_memo_get(&r->sm, RULES_MEMO_IN, t->list,
					      key, hash);

	if (known)
		return known;
	int fault = gaz_has_types(t->list, key, strlen(key),
				  (const char *const *)l->types, l->ntypes,
				  &mask);

	if (fault)
		rules_note_fault(r, t->list, fault);
	else
		rules_memo_put(&r->sm, RULES_MEMO_IN, t->list, key, hash,
			       INMASK_KNOWN | mask);
	return INMASK_KNOWN | mask;
}

/* Does d's token q pass t, for a test of its tag, flags or text: 1 or
 * 0; -1 for any other test (test_slow).  Inline, since elements test
 * these most. */
static inline int test_quick(const struct rules *r, const struct rule_test *t,
			     const struct doc *d, size_t q)
{
	const struct tok *tk = &d->toks[q];
	const char *s;
	int ok;

	switch (t->kind) {
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
	case T_SENT:
		ok = (tk->flags & TOK_SENT) != 0;
		break;
	case T_LINE:
		ok = (tk->flags & TOK_LINE) != 0;
		break;
	case T_HEAD:
		ok = (r->cls[q] & TC_HEAD) != 0;
		break;
	case T_ANY:
		ok = 1;
		break;
	case T_TEXT:
		s = tok_text(d, tk);
		ok = s[0] == t->arg[0] && strcmp(s, t->arg) == 0;
		break;
	default:
		return -1;
	}
	return !!ok != t->neg;
}

/* The tests test_quick leaves: regular expressions, lists, glue and
 * shapes. */
static int test_slow(struct rules *r, const struct rule_test *t,
		     const struct doc *d, size_t q)
{
	const struct tok *tk = &d->toks[q];
	size_t n;
	int ok;

	switch (t->kind) {
	case T_TEXT_RE:
	case T_KEY_RE:
		ok = re_memo(r, t, d, q);
		break;
	case T_IN:
		return rules_in_ok(r, t, d, q);
	case T_GLUED:
		tok_gap(d, tk, &n);
		ok = n == 0;
		break;
	default:
		ok = (shapes_of(r, d, q) & RULES_SHAPE(t->kind)) != 0;
	}
	return !!ok != t->neg;
}

int rules_test_ok(struct rules *r, const struct rule_test *t,
		  const struct doc *d, size_t q)
{
	int ok = test_quick(r, t, d, q);

	return ok >= 0 ? ok : test_slow(r, t, d, q);
}


int rules_elem_ok(struct rules *r, const struct rule_elem *e,
		  const struct doc *d, size_t q, int settled)
{
	if (e->shape_need | e->shape_forbid) {
		unsigned sh = shapes_of(r, d, q);

		if ((sh & e->shape_need) != e->shape_need || (sh & e->shape_forbid))
			return 0;
	}
	const struct rule_test *const *rest = settled ? e->settled : e->rest;
	size_t n = settled ? e->nsettled : e->nrest;

	for (size_t k = 0; k < n; k++) {
		int ok = test_quick(r, rest[k], d, q);

		if (ok < 0)
			ok = test_slow(r, rest[k], d, q);
		if (!ok)
			return 0;
	}
	return 1;
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

int rules_fault(const struct rules *r, const char **path)
{
	if (r->fault)
		*path = gaz_path(r->faulty);
	return r->fault;
}

int rules_test_settled(const struct rule_test *t)
{
	switch (t->kind) {
	case T_TAG: case T_BEGIN:
		return !t->neg;
	case T_UNTAGGED: case T_TAGGED:
		return 0;
	default:
		return 1;
	}
}
