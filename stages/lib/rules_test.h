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

/* Does toks[q] (tk) pass t?  Uses r's per-document memos (shapes,
 * regex results, list look-ups), which rules_match.c sizes for the
 * document before the first test; a regex test that hits pcre2's
 * limit counts as no match and is counted for rules_limit_report. */
int rules_test_ok(struct rules *r, const struct rule_test *t,
		  const struct tok *tk, size_t q);

#endif
