/* rules_int.h - the data the parts of the rule engine share: rules.c
 * (the rule set and its parser), rules_test.c (testing one token),
 * rules_index.c (where each rule may start) and rules_match.c (matching
 * and applying).  Only types here: each part's functions are in its own
 * header, so the parts call each other in one direction only (match ->
 * index -> test; rules.c -> test).  Not for use elsewhere. */
#ifndef NERPIPE_RULES_INT_H
#define NERPIPE_RULES_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdint.h>

#include "buf.h"
#include "doc.h"
#include "gaz.h"
#include "rules.h"

/* How many leading one-token elements the prefilter looks at. */
#define RULES_PREFILTER 3

#define NONE SIZE_MAX
#define KNONE UINT32_MAX
#define QUANT_MAX 65535u

enum test_kind {
	T_TEXT_RE, T_KEY_RE, T_CAP, T_UPPER, T_LOWER, T_INITIAL, T_NUM,
	T_PUNCT, T_WORD, T_TAG, T_UNTAGGED, T_TAGGED, T_BEGIN, T_IN,
	T_SENT, T_LINE, T_HEAD, T_GLUED, T_ANY, T_TEXT,
};

struct rule_test {
	enum test_kind kind;
	int neg;
	pcre2_code *re;		/* T_TEXT_RE, T_KEY_RE */
	size_t slot;		/* T_TEXT_RE, T_KEY_RE: its memo column */
	/* What is known of any match: the bytes it can start with (if
	 * hasfirst; otherwise any) and its shortest length in code points,
	 * so most tokens are turned down without running the pattern.
	 * From pcre2_pattern_info, or from words when re is NULL. */
	int hasfirst;
	uint8_t first[32];
	uint32_t firstunit;	/* the one byte a match starts with, or 0 */
	uint32_t minlen;
	/* A pattern that can match only a few strings ("Army|Navy|Guards?",
	 * see relit.h) matches a token equal to one of them:
	 * words[0..nwords), sorted, tested with bsearch instead of pcre2
	 * (with /i, for ASCII tokens only).  Such a pattern without /i and
	 * in ASCII is never given to pcre2: re is NULL. */
	char **words;
	size_t nwords;
	int caseless;
	char *arg;		/* T_TAG, T_TEXT; T_IN: the type or NULL */
	const struct gaz *list;	/* T_IN */
	size_t listno;		/* T_IN: its index in rules.lists */
	size_t inbit;		/* T_IN: its bit in the list's memo (rules_list) */
};

/* Is k a test of the token's shape (worked out in one pass, memoised)? */
static inline int rules_is_shape(enum test_kind k)
{
	return k == T_CAP || k == T_UPPER || k == T_LOWER || k == T_INITIAL ||
	       k == T_NUM || k == T_PUNCT || k == T_WORD;
}

/* A token's shapes in a byte of the token cache (struct rules): the bit
 * of each shape test it passes, and RULES_SHAPES_KNOWN once worked out.
 * The shape kinds run from T_CAP to T_WORD. */
#define RULES_SHAPE(kind) (1u << ((kind) - T_CAP))
#define RULES_SHAPES_KNOWN 0x80

enum elem_kind { E_TOKEN, E_LIST };

struct rule_elem {
	enum elem_kind kind;
	struct rule_test *tests;
	size_t ntests;
	/* Its shape tests, as RULES_SHAPE() bits: those it needs, those it
	 * forbids (!cap), checked together before the others; the others
	 * in order, rest[0..nrest), and those of them the start index
	 * checks (rules_test_settled), settled[0..nsettled).  One block,
	 * rest. */
	unsigned shape_need, shape_forbid;
	const struct rule_test **rest, **settled;
	size_t nrest, nsettled;
	unsigned min, max;
	/* '$' after it: one token, or none where the sentence or line ends
	 * (then min is 0 and max 1). */
	int or_end;
	const struct gaz *list;	/* E_LIST */
	size_t listno;		/* E_LIST: its index in rules.lists */
	/* For the start index: the bytes a token this element takes may
	 * start with, a [tag=TYPE] it must pass (or NULL), and how many
	 * tokens the elements before it take at least and at most. */
	uint8_t first[32];
	unsigned nfirst;	/* how many; 256: any byte */
	const char *tagarg;
	int tagbegin;		/* and a positive begin test */
	unsigned flags;		/* TOK_LINE, TOK_SENT: it must start one */
	char **keys;		/* the match keys it can take, or NULL (one
				   block with its strings and keyhash) */
	uint32_t *keyhash;	/* hash_fnv1a of each key */
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
	/* Tokens on which a regex test of the rule hit pcre2's match limit
	 * (taken as no match), the text of the first, and whether it was
	 * reported (rules_limit_report). */
	size_t limit_hits;
	char *limit_text;
	int limit_said;
};

/*
 * The start index.  Most rules can start at few tokens: "[tag=RANK] ..."
 * only at a rank, "[!cap] [tag=RANK begin] ..." only just before one,
 * "[cap]{1,3} [text=Air] ..." only a few tokens before an "Air".  So
 * before a rule runs over a document, its candidate starts are found
 * from its anchor, the required element that the fewest tokens can
 * satisfy (anchor_for): the tokens it can take are looked up by match
 * key (a word or word set), by list (each distinct key asked once; for
 * a list of capitalised entries, each key a capitalised token has), by
 * tag, as line or sentence starts, or by first byte, and the starts
 * that put them at the element's offset are marked.  Only tests that
 * cannot turn true, at a token the scan has not reached, while the rule
 * runs are used there (test_settled): a rule changes tags only inside
 * the matches it applies, before the point where its scan resumes, so
 * the tags as they are when it starts hold for every start still to
 * come (an O may untag beyond, which only turns tag tests false).
 * may_start and the match itself still test everything, so the index
 * changes nothing but the time.
 */
#define MAX_TAGTYPES 8

/* The keys that passed one test of the start index's SRC_IN anchors:
 * may a match of list who start with the key (bit RULES_PASS_START), or
 * has it in= type bit in list who; over the keys of capitalised tokens
 * only if cap.  Their numbers are pkeys[off .. off + n) (struct
 * rules_index). */
struct rules_pass {
	const void *who;
	unsigned bit;
	int cap;
	size_t off, n;
};

#define RULES_PASS_START 64u
#define RULES_PASS_TESTS 8

struct rules_index {
	int built;		/* for the current rule set */
	int disabled;		/* by rules_use_index(r, 0) */
	const char *tagtypes[MAX_TAGTYPES];	/* types named in tag= tests */
	size_t ntagtypes;
	/* Per document: the tokens by first byte, byte b's in
	 * bytok[byoff[b] .. byoff[b + 1]); the tokens tagged with each
	 * type of tagtypes before the first rule ran, type k's in
	 * typetok[typeoff[2k] .. typeoff[2k + 1]) and the first tokens of its
	 * mentions in typetok[typeoff[2k + 1] .. typeoff[2k + 2]), and every
	 * token whose tag
	 * a rule has changed since, in changed[0 .. nchanged) (so the two
	 * hold every token tagged with a type now, and maybe others); and
	 * the candidate starts of the rule being run, one bit each. */
	size_t byoff[257];
	uint32_t *bytok;
	size_t bytok_cap;
	uint64_t present[4];	/* the first bytes tokens of d have */
	size_t typeoff[2 * MAX_TAGTYPES + 1];
	uint32_t *typetok;
	size_t typetok_cap;
	uint32_t *changed;
	size_t nchanged, changed_cap;
	uint64_t *chbits;	/* the same, one bit a token */
	size_t chbits_cap;
	/* The tokens by match key: a hash table, one slot per distinct key,
	 * of the first token with the key (number + 1, 0: empty slot), how
	 * many tokens have it and its hash; each token's next one with the
	 * same key (KNONE: the last); the first token of each distinct key,
	 * kfirst[0..nkfirst), its index there the key's number; and each
	 * token's key number, kid (memos of what depends on the key alone
	 * are kept by key number, once per key).  Token numbers are 32-bit:
	 * a document has fewer than 2^32 tokens (DOC_MAX_BYTES). */
	uint32_t *kslot, *kcnt, *khash;	/* khash: each slot's key hash */
	size_t kslot_cap, kcnt_cap, khash_cap, kmask, nkeys;
	uint32_t *knext, *kfirst, *kid;
	size_t knext_cap, kfirst_cap, kid_cap, nkfirst;
	uint32_t *kidhash;	/* each key number's hash (hash_fnv1a) */
	size_t kidhash_cap;
	uint32_t *linetok;	/* tokens that start a line */
	size_t nline, linetok_cap;
	uint32_t *senttok;	/* ... or a sentence */
	size_t nsent, senttok_cap;
	uint64_t *starts;
	size_t starts_cap;
	/* The keys of capitalised tokens (TC_CAP): their key numbers, in
	 * the order of kfirst. */
	uint32_t *capkey;
	size_t ncapkey, capkey_cap;
	/* The keys that passed the test of an SRC_IN anchor in the
	 * document (struct rules_pass), kept for the next rule that asks
	 * the same (several rules often do): pass[0..npass), their key
	 * numbers in pkeys[0..npkeys). */
	struct rules_pass pass[RULES_PASS_TESTS];
	size_t npass;
	uint32_t *pkeys;
	size_t npkeys, pkeys_cap;
	/* The match keys of the rules' elements (rule_elem.keys), each
	 * once, by number: rules often share words.  Element e of rule q
	 * has the numbers rkid[rkoff[elbase[q] + e] ..  rkoff[elbase[q] +
	 * e + 1]), in the order of its keys; a number's string (the
	 * rule's) and hash are rkstr and rkhash; rktab finds the number of
	 * a string (number + 1, 0: free; rkmask + 1 slots).  How many
	 * tokens of the document have the key, and the first, are rkcnt
	 * and rkfirst where rkdoc is docno; no token has it elsewhere.
	 * index_keys fills them in, a look-up for each distinct key of the
	 * document.  And per element (elbase[q] + e), the index of its
	 * tagarg in tagtypes (eltype, KNONE: none), whether its settled
	 * tests are all ones that the tokens tagged with that type when
	 * the document was indexed pass until their tags change (eltagonly:
	 * tag=TYPE, and begin if it has one), and the number of its
	 * set of first bytes (elset, KNONE: any byte): the distinct sets,
	 * sets[4n .. 4n + 4) (uint64_t words, as present), since many
	 * elements share one; how many tokens of the document start with
	 * a byte of set n is setcost[n] where setdoc[n] is docno.  One
	 * block, rkblock, made by rules_index_build. */
	void *rkblock;
	size_t *elbase;
	uint64_t *sets;
	uint32_t *rkoff, *rkid, *rktab;
	const char **rkstr;
	uint32_t *rkhash, *rkcnt, *rkfirst, *rkdoc;
	uint32_t *eltype, *eltagonly, *elset, *setcost, *setdoc;
	size_t nrk, rkmask, nsets;
	uint32_t docno;
};

/*
 * What depends on a string alone, kept from one document to the next
 * (rules_memo_get, rules_test.h), so that article after article does
 * not ask the lists and patterns again: whether a match of a list may
 * start with a key (RULES_MEMO_START, filed under the list's gaz), a
 * key's in= types in a list (RULES_MEMO_IN, the gaz too) and the result
 * of a regex test that pcre2 runs, on a text or key (RULES_MEMO_RE,
 * the test).  An answer is found by its kind, who and string, compared
 * whole.  An open-addressing table of entries (who NULL: free) filled
 * to half at most, the strings in pool with their NULs.  Both start
 * small (RULES_MEMO_SLOTS_START, RULES_MEMO_BYTES_START) and double as
 * they fill, so that a run over one short article does not touch the
 * pages of a large memo; once at RULES_MEMO_SLOTS and RULES_MEMO_BYTES,
 * a full memo is emptied, so its memory is bounded.  Answers that met a fault or pcre2's limit are not
 * kept: they are met again, as before.  Emptied when the rule set
 * changes (rules_index_build).
 */
enum { RULES_MEMO_START = 1, RULES_MEMO_IN, RULES_MEMO_RE };

#define RULES_MEMO_SLOTS (1u << 14)
#define RULES_MEMO_BYTES (256u << 10)
#define RULES_MEMO_SLOTS_START (1u << 9)
#define RULES_MEMO_BYTES_START (8u << 10)

struct rules_memo_ent {
	const void *who;
	uint32_t hash, off;
	uint32_t val;		/* the answer, never 0 */
	unsigned kind;
};

struct rules_memo {
	struct rules_memo_ent *ent;	/* NULL until the first answer */
	size_t n, cap;			/* entries in use, and slots */
	char *pool;
	size_t used, poolcap;		/* bytes */
};

#define INMASK_KNOWN 0x80000000u
#define MAX_INTYPES 31

struct rules_list {
	char *name;
	struct gaz *gaz;
	/* The types its in= tests ask for (NULL: any), each a bit of the
	 * memo; looked up together, one find per token. */
	char *types[MAX_INTYPES];
	size_t ntypes;
};

struct rules {
	struct rule **rules;	/* highest priority first */
	size_t nrules;
	struct rules_list *lists;
	size_t nlists;

	pcre2_match_data *md;
	pcre2_match_context *mctx;	/* RULES_MATCH_LIMIT */
	struct rule *cur;		/* the rule being applied */
	size_t limit_hits;		/* over all rules and documents */
	size_t *pos;		/* scratch: where each element of a match starts */
	size_t maxelems;
	struct buf surface;
	/* Per document: each token's TC_ classes and the first byte of its
	 * text, kept in step with its tag by act(); small arrays that the
	 * prefilter reads instead of the tokens themselves. */
	unsigned char *cls, *fb;
	size_t cls_cap, fb_cap;
	/*
	 * The token cache: what the rules ask of a token, worked out when
	 * first asked, in row q & rowmask for token q (rules_row_of).
	 * rowtok says whose a row is (q + 1; 0 for no one); a row taken
	 * over by another token is cleared.  A document of up to
	 * RULES_CACHE_ROWS tokens has a row per token, so nothing is asked
	 * twice; a larger one asks again what was pushed out, so that
	 * memory stays bounded.  A row holds: per list, the length of its
	 * longest entry there plus one (listlen; 0: not looked up yet; a
	 * list match does not depend on tags); and the results of the
	 * running rule's regex tests, a cell a test slot (memo):
	 * memo_gen << 2 | 1 (no match) or 2 (match), any other generation
	 * meaning not known yet, so that nothing needs clearing between
	 * rules.  Backtracking tries the same test on the same token many
	 * times.
	 *
	 * Beside it, one byte a token, like cls: its shapes (RULES_SHAPE
	 * bits, 0: not worked out yet).  And per key number (ix.kid) and
	 * list, since a list knows keys, not tokens: the key's in= types
	 * (inlist: 0 not looked up yet, else INMASK_KNOWN and bit k for the
	 * list's type k, gaz_has_types) and whether a match may start with
	 * the key (maystart: 0 not asked yet, 1 no, 2 yes, gaz_may_start;
	 * for the start index's <LIST> anchors).
	 */
	uint32_t *rowtok;
	size_t rowtok_cap, rowmask, nrows;
	uint8_t *shapes;
	size_t shapes_cap;
	uint8_t *listlen;
	size_t listlen_cap;
	uint8_t *maystart;
	size_t maystart_cap;
	uint32_t *inlist;
	size_t inlist_cap;
	uint8_t *memo;
	size_t memo_cap, memo_cols;
	unsigned memo_gen;
	size_t steps;		/* rules_steps() */
	/* The first fault a list showed in the last rules_apply
	 * (gaz_strfault), and the list; 0 if none. */
	int fault;
	const struct gaz *faulty;
	struct rules_index ix;
	struct rules_memo sm;	/* answers by string, across documents */
	int borrowed;		/* a clone: rules and lists are another's */
	struct rules_pool *pool;	/* the memory of rules (rules.c) */
};

/* Cheap classes of a token, for the prefilter; TC_HEAD: on a heading
 * line (tokenize.h). */
enum {
	TC_CAP = 1, TC_NOTCAP = 2, TC_TAGGED = 4, TC_UNTAGGED = 8, TC_BEGIN = 16,
	TC_SENT = 32, TC_LINE = 64, TC_HEAD = 128,
};

/* Rows of the token cache at most (struct rules), and the largest
 * scratch array kept from one document to the next (bytes). */
#define RULES_CACHE_ROWS (1u << 14)
#define RULES_KEEP_BYTES (8u << 20)

#define TC_TAG_BITS (TC_TAGGED | TC_UNTAGGED | TC_BEGIN)

#endif
