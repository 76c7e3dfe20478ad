/* rules.h - token-pattern rules (ner-rules(5)): parsing and applying them. */
#ifndef NERPIPE_RULES_H
#define NERPIPE_RULES_H

#include <stddef.h>

#include "doc.h"
#include "err.h"

/* Limits on the work of one match, so that no rule can blow up: a match
 * spans at most RULES_MAX_TOKS tokens, and the search for a match at one
 * start token gives up after RULES_MAX_STEPS backtracking steps. */
#define RULES_MAX_TOKS 20
#define RULES_MAX_STEPS 10000

/* pcre2's match limit for one regex test of one token, so that a
 * pattern that backtracks badly costs well under a millisecond per
 * token; a pattern may set a lower one with (*LIMIT_MATCH=N).  A test
 * that hits it counts as no match (see rules_limit_report). */
#define RULES_MATCH_LIMIT 20000

struct rules;

/* Returns an empty rule set owned by the caller (rules_free). */
struct rules *rules_new(void);
void rules_free(struct rules *r);	/* accepts NULL */

/* A rule set for another thread that shares r's compiled rules and
 * lists (matching only reads them) and has scratch of its own.  r must
 * not be loaded into or freed while the clone lives; the clone is freed
 * with rules_free, which then frees only its scratch. */
struct rules *rules_clone(const struct rules *r);

/* Add the rules and lists of a rule file.  Lists are loaded with
 * gaz_open from path_data(FILE); later files may use the lists of
 * earlier ones.  Returns 0, or -1 with e saying why: EX_NOINPUT (the file
 * or a list cannot be read: "path: why") or EX_DATAERR (a bad line:
 * "path:line: why"; a list that is no usable gazetteer: gaz_open's
 * message).  After an error r keeps what was added before the bad
 * line. */
int rules_load(struct rules *r, const char *path, struct err *e);

/* As rules_load, for rule text already in memory; name is the file name
 * used in messages. */
int rules_parse(struct rules *r, const char *text, size_t n,
		const char *name, struct err *e);

size_t rules_count(const struct rules *r);

/* Told about every applied match: the target is d->toks[i..i+n), rule the
 * rule's name, type its action's type ("O" for an untagging rule). */
typedef void rules_trace_fn(const struct doc *d, size_t i, size_t n,
			    const char *rule, const char *type, void *arg);

/* Run every rule over d, highest priority first, changing its tags.
 * trace (may be NULL) hears of each applied match.  r's scratch space is
 * used, so one r serves one document at a time.  Returns the number of
 * applied matches. */
size_t rules_apply(struct rules *r, struct doc *d, rules_trace_fn *trace,
		   void *arg);

/* The fault of a list's gazetteer (gaz_strfault) that the last
 * rules_apply met, or 0; *path is then the list's file.  The look-up
 * that met it found nothing, so the document's tags are not to be
 * trusted. */
int rules_fault(const struct rules *r, const char **path);

/* Told of a rule whose regex test hit pcre2's match (or depth) limit:
 * its name and the text of the first token where it did. */
typedef void rules_limit_fn(const char *rule, const char *text, void *arg);

/* Call fn once for each rule whose regex tests hit the match limit for
 * the first time since the last call (so at most once per rule over r's
 * life). */
void rules_limit_report(struct rules *r, rules_limit_fn *fn, void *arg);

/* Tests of a token by a rule that hit the limit, over every rules_apply
 * so far (a token counts once per rule and document). */
size_t rules_limit_hits(const struct rules *r);

/* Backtracking steps the last rules_apply took, over all its rules; a
 * search at one start gives up after RULES_MAX_STEPS of them. */
size_t rules_steps(const struct rules *r);

/* With on = 0, rules_apply tries every rule at every token instead of
 * only where its start index says a match can start (for tests: the
 * index must change nothing but the time).  It is on by default. */
void rules_use_index(struct rules *r, int on);

#endif
