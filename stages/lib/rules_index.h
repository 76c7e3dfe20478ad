/* rules_index.h - the start index of the rule engine (rules_index.c; see
 * rules_int.h): where each rule may start in a document.  It tests
 * tokens with rules_test.h; rules_match.c uses it.  Not for use
 * elsewhere. */
#ifndef NERPIPE_RULES_INDEX_H
#define NERPIPE_RULES_INDEX_H

#include <stddef.h>

#include "doc.h"
#include "rules_int.h"

/* Work out the tag types to index, once the rule set is complete. */
void rules_index_build(struct rules *r);
/* Index the tokens of d; r->fb must be filled in. */
void rules_index_doc(struct rules *r, const struct doc *d);
/* Note that rules changed the tags of toks[lo..hi). */
void rules_index_changed(struct rules *r, size_t lo, size_t hi);
/* Free the index's arrays that are larger than RULES_KEEP_BYTES. */
void rules_index_trim(struct rules *r);
/* Set r->ix.starts to the candidate starts of rule r->rules[q] in d,
 * one bit each. */
void rules_find_starts(struct rules *r, size_t q, const struct doc *d);

#endif
