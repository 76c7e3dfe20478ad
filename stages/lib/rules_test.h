/* rules_test.h - testing one token by a rule element (rules_test.c), the
 * lowest part of the rule engine: rules.c, rules_index.c and
 * rules_match.c use it, and it uses none of them.  Not for use
 * elsewhere. */
#ifndef NERPIPE_RULES_TEST_H
#define NERPIPE_RULES_TEST_H

#include <stddef.h>

#include "doc.h"
#include "rules_int.h"

/* qsort/bsearch comparison of words, exact and ASCII-caseless. */
int rules_cmp_word(const void *a, const void *b);
int rules_cmp_word_ci(const void *a, const void *b);

/* Make row the token cache row of token q (struct rules), with nothing
 * known. */
void rules_take_row(struct rules *r, size_t row, size_t q);

/* The token cache row of token q, cleared first if it held another
 * token's.  rules_match.c sizes the cache for the document before the
 * first test (cache_begin). */
static inline size_t rules_row_of(struct rules *r, size_t q)
{
	size_t row = q & r->rowmask;

	if (r->rowtok[row] != q + 1)
		rules_take_row(r, row, q);
	return row;
}

/* Does d's token q pass t?  Uses r's token cache (shapes, regex
 * results, list look-ups); a regex test that hits pcre2's limit counts
 * as no match and is counted for rules_limit_report. */
int rules_test_ok(struct rules *r, const struct rule_test *t,
		  const struct doc *d, size_t q);

/* The in= types of key (hash: its hash_fnv1a) in t's list:
 * INMASK_KNOWN and the bits gaz_has_types sets (struct rules, inlist).
 * Kept in r->sm, unless the look-up met a fault, which is noted
 * (rules_note_fault). */
uint32_t rules_in_types(struct rules *r, const struct rule_test *t,
			const char *key, uint32_t hash);

/* Does d's token q pass t, an in=LIST test?  Asked once per key and
 * document (r->inlist): a list knows keys, not tokens. */
static inline int rules_in_ok(struct rules *r, const struct rule_test *t,
			      const struct doc *d, size_t q)
{
	uint32_t k = r->ix.kid[q], *cell = &r->inlist[k * r->nlists + t->listno];

	if (!*cell)
		*cell = rules_in_types(r, t, tok_key(d, &d->toks[q]),
				       r->ix.kidhash[k]);
	return (int)((*cell >> t->inbit) & 1) != t->neg;
}

/* Does d's token q pass every test of e (with settled set, every test
 * that rules_test_settled says is settled)?  The shape tests are
 * checked first, together; the others in their order, so that a regex
 * runs only where every cheaper test passed. */
int rules_elem_ok(struct rules *r, const struct rule_elem *e,
		  const struct doc *d, size_t q, int settled);

/* Can t's result turn from false to true, at a token the scan has not
 * reached, while a rule runs (rules_int.h, the start index)?  Not for
 * one on the text, nor for a tag of some type or a mention's first
 * token. */
int rules_test_settled(const struct rule_test *t);

/* The answer filed in m (struct rules_memo) under kind, who and the
 * NUL-terminated string s, hash its hash_fnv1a (over its bytes, not the
 * NUL); 0 if there is none. */
uint32_t rules_memo_get(const struct rules_memo *m, unsigned kind,
			const void *who, const char *s, uint32_t hash);

/* File val (not 0) in m under kind, who and the NUL-terminated s, hash
 * its hash_fnv1a, which must not be there yet; m copies s (a string
 * longer than a sixteenth of RULES_MEMO_BYTES is not kept).  If m is
 * full, it is emptied first. */
void rules_memo_put(struct rules_memo *m, unsigned kind, const void *who,
		    const char *s, uint32_t hash, uint32_t val);

/* Forget every answer in m, keeping its memory. */
void rules_memo_clear(struct rules_memo *m);

/* Free m's memory; m is empty after. */
void rules_memo_free(struct rules_memo *m);

/* Keep the first fault of a list in this document (rules_fault, gaz.h's
 * GAZ_BAD_*); the look-up that met it counts as finding nothing. */
void rules_note_fault(struct rules *r, const struct gaz *list, int fault);

#endif
