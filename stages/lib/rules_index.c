/* rules_index.c - where each rule may start in a document: the start
 * index of struct rules_index (rules_int.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "gaz.h"
#include "hash.h"
#include "rules.h"
#include "rules_index.h"
#include "rules_int.h"
#include "rules_test.h"

/* The index of an indexed tag type, or NONE. */
static size_t type_id(const struct rules_index *ix, const char *type)
{
	for (size_t k = 0; k < ix->ntagtypes; k++)
		if (ix->tagtypes[k][0] == type[0] && strcmp(ix->tagtypes[k], type) == 0)
			return k;
	return NONE;
}

/* The hash of the NUL-terminated key, hash_fnv1a over its bytes, in
 * one pass (no strlen first): the document's keys, hashed as the rules'
 * are (rule_elem.keyhash). */
static uint32_t key_hash(const char *key)
{
	uint32_t h = HASH_FNV1A_INIT;

	for (; *key; key++)
		h = hash_fnv1a(key, 1, h);
	return h;
}

/* The slot of key (hash: its hash_fnv1a) in rktab: where its number
 * is, or the free slot where it would go. */
static size_t rule_key_slot(const struct rules_index *ix, const char *key,
			    uint32_t hash)
{
	size_t p = hash & ix->rkmask;

	while (ix->rktab[p] && (ix->rkhash[ix->rktab[p] - 1] != hash ||
				strcmp(ix->rkstr[ix->rktab[p] - 1], key) != 0))
		p = (p + 1) & ix->rkmask;
	return p;
}

/* The number of key (hash: its hash_fnv1a) among the rules' keys,
 * numbering it now if it has none. */
static uint32_t rule_key_number(struct rules_index *ix, const char *key,
				uint32_t hash)
{
	size_t p = rule_key_slot(ix, key, hash);

	if (!ix->rktab[p]) {
		ix->rkstr[ix->nrk] = key;
		ix->rkhash[ix->nrk] = hash;
		ix->rkdoc[ix->nrk] = 0;
		ix->rktab[p] = (uint32_t)++ix->nrk;
	}
	return ix->rktab[p] - 1;
}

/* Bits 64w .. 64w + 63 of the byte set first (struct rule_elem), as
 * the bits of one word. */
static uint64_t first_word(const uint8_t first[32], unsigned w)
{
	const uint8_t *f = first + 8 * w;

	return (uint64_t)f[0] | (uint64_t)f[1] << 8 | (uint64_t)f[2] << 16 |
	       (uint64_t)f[3] << 24 | (uint64_t)f[4] << 32 |
	       (uint64_t)f[5] << 40 | (uint64_t)f[6] << 48 |
	       (uint64_t)f[7] << 56;
}

/* The number of el's set of first bytes among sets[0 .. 4 * nsets),
 * adding it if it is new; KNONE if el takes any byte. */
static uint32_t first_set_number(struct rules_index *ix,
				 const struct rule_elem *el)
{
	uint64_t w[4];

	if (el->nfirst == 256)
		return KNONE;
	for (unsigned k = 0; k < 4; k++)
		w[k] = first_word(el->first, k);
	for (size_t n = 0; n < ix->nsets; n++)
		if (memcmp(ix->sets + 4 * n, w, sizeof(w)) == 0)
			return (uint32_t)n;
	memcpy(ix->sets + 4 * ix->nsets, w, sizeof(w));
	ix->setdoc[ix->nsets] = 0;
	return (uint32_t)ix->nsets++;
}

/* Are el's settled tests (rules_elem_ok with settled set) all passed
 * by a token tagged el->tagarg, and a mention's first if el has a begin
 * test: tag=TAGARG and begin, no shape tests? */
static int tag_only(const struct rule_elem *el)
{
	if (el->shape_need | el->shape_forbid)
		return 0;
	for (size_t k = 0; k < el->nsettled; k++) {
		const struct rule_test *t = el->settled[k];

		if (t->neg || !(t->kind == T_BEGIN ||
				(t->kind == T_TAG && strcmp(t->arg, el->tagarg) == 0)))
			return 0;
	}
	return 1;
}

/* What the start index keeps of each element of the rules (struct
 * rules_index): its keys by number, its tag type, its set of first
 * bytes; anew, after the tag types. */
static void index_rule_elems(struct rules *r)
{
	struct rules_index *ix = &r->ix;
	size_t nel = 0, nk = 0, cap = 16, flat = 0, at = 0;

	for (size_t q = 0; q < r->nrules; q++)
		for (size_t e = 0; e < r->rules[q]->nelems; e++, nel++)
			if (r->rules[q]->elems[e].keys)
				nk += r->rules[q]->elems[e].nkeys;
	while (cap < 2 * nk)
		cap *= 2;
	/* The 8-byte arrays first, then the 4-byte ones: all aligned. */
	free(ix->rkblock);
	ix->rkblock = xmalloc((r->nrules + 1) * sizeof(*ix->elbase) +
			      4 * (nel + 1) * sizeof(*ix->sets) +
			      (nk + 1) * sizeof(*ix->rkstr) +
			      (6 * (nel + 1) + cap + 5 * (nk + 1)) *
			      sizeof(uint32_t));
	ix->elbase = ix->rkblock;
	ix->sets = (uint64_t *)(ix->elbase + r->nrules + 1);
	ix->rkstr = (const char **)(ix->sets + 4 * (nel + 1));
	ix->rkoff = (uint32_t *)(ix->rkstr + nk + 1);
	ix->eltype = ix->rkoff + nel + 1;
	ix->eltagonly = ix->eltype + nel + 1;
	ix->elset = ix->eltagonly + nel + 1;
	ix->setcost = ix->elset + nel + 1;
	ix->setdoc = ix->setcost + nel + 1;
	ix->rktab = ix->setdoc + nel + 1;
	ix->rkid = ix->rktab + cap;
	ix->rkhash = ix->rkid + nk + 1;
	ix->rkcnt = ix->rkhash + nk + 1;
	ix->rkfirst = ix->rkcnt + nk + 1;
	ix->rkdoc = ix->rkfirst + nk + 1;
	memset(ix->rktab, 0, cap * sizeof(*ix->rktab));
	ix->rkmask = cap - 1;
	ix->nrk = ix->nsets = 0;
	ix->docno = 0;
	for (size_t q = 0; q < r->nrules; q++) {
		ix->elbase[q] = flat;
		for (size_t e = 0; e < r->rules[q]->nelems; e++, flat++) {
			const struct rule_elem *el = &r->rules[q]->elems[e];
			size_t type = el->tagarg ? type_id(ix, el->tagarg) : NONE;

			ix->eltype[flat] = type == NONE ? KNONE : (uint32_t)type;
			ix->eltagonly[flat] = type != NONE && tag_only(el);
			ix->elset[flat] = first_set_number(ix, el);
			ix->rkoff[flat] = (uint32_t)at;
			for (size_t k = 0; el->keys && k < el->nkeys; k++)
				ix->rkid[at++] = rule_key_number(ix, el->keys[k],
						el->keyhash[k]);
		}
	}
	ix->elbase[r->nrules] = flat;
	ix->rkoff[flat] = (uint32_t)at;
}

void rules_index_build(struct rules *r)
{
	struct rules_index *ix = &r->ix;

	/* Answers filed under tests and lists of the old set. */
	rules_memo_clear(&r->sm);
	ix->ntagtypes = 0;
	for (size_t q = 0; q < r->nrules; q++)
		for (size_t e = 0; e < r->rules[q]->nelems; e++) {
			const char *t = r->rules[q]->elems[e].tagarg;

			if (t && ix->ntagtypes < MAX_TAGTYPES && type_id(ix, t) == NONE)
				ix->tagtypes[ix->ntagtypes++] = t;
		}
	index_rule_elems(r);
	ix->built = 1;
}

/* The slot of key (hash: its key_hash) in the key table: where it is,
 * or the empty slot where it would go. */
static size_t key_slot(const struct rules_index *ix, const struct doc *d,
		       const char *key, uint32_t hash)
{
	size_t p = hash & ix->kmask;

	while (ix->kslot[p] &&
	       (ix->khash[p] != hash ||
		strcmp(tok_key(d, &d->toks[ix->kslot[p] - 1]), key) != 0))
		p = (p + 1) & ix->kmask;
	return p;
}

/* The first token of the document with the rules' key number k, or
 * KNONE; how many tokens have the key in *count. */
static uint32_t key_first(const struct rules_index *ix, uint32_t k,
			  size_t *count)
{
	int here = ix->rkdoc[k] == ix->docno;

	*count = here ? ix->rkcnt[k] : 0;
	return here ? ix->rkfirst[k] : KNONE;
}

/* If the key of d's key table slot p is one of the rules' keys, note
 * its count and first token for key_first. */
static void count_rule_key(struct rules_index *ix, const char *key, size_t p)
{
	uint32_t k = ix->rktab[rule_key_slot(ix, key, ix->khash[p])];

	if (k--) {
		ix->rkcnt[k] = ix->kcnt[p];
		ix->rkfirst[k] = ix->kslot[p] - 1;
		ix->rkdoc[k] = ix->docno;
	}
}

/* Make the key table cap slots (a power of two), empty. */
static void key_table(struct rules_index *ix, size_t cap)
{
	ix->kslot = xscratch(ix->kslot, &ix->kslot_cap, cap, sizeof(*ix->kslot));
	ix->kcnt = xscratch(ix->kcnt, &ix->kcnt_cap, cap, sizeof(*ix->kcnt));
	ix->khash = xscratch(ix->khash, &ix->khash_cap, cap, sizeof(*ix->khash));
	memset(ix->kslot, 0, cap * sizeof(*ix->kslot));
	ix->kmask = cap - 1;
}

/* Double the key table, keeping its keys. */
static void key_table_grow(struct rules_index *ix)
{
	size_t oldcap = ix->kmask + 1;
	uint32_t *slot = ix->kslot, *cnt = ix->kcnt, *hash = ix->khash;

	ix->kslot = ix->kcnt = ix->khash = NULL;
	ix->kslot_cap = ix->kcnt_cap = ix->khash_cap = 0;
	key_table(ix, 2 * oldcap);
	for (size_t p = 0; p < oldcap; p++) {
		if (!slot[p])
			continue;
		size_t q = hash[p] & ix->kmask;

		while (ix->kslot[q])
			q = (q + 1) & ix->kmask;
		ix->kslot[q] = slot[p];
		ix->kcnt[q] = cnt[p];
		ix->khash[q] = hash[p];
	}
	free(slot);
	free(cnt);
	free(hash);
}

/* Index the tokens of d by match key (see struct rules_index).  The
 * table has two slots per distinct key at least; it starts as large as
 * the last document's, if d is not much smaller. */
static void index_keys(struct rules *r, const struct doc *d)
{
	struct rules_index *ix = &r->ix;
	size_t cap = 64;

	while (cap < ix->kslot_cap && cap < 2 * d->ntoks)
		cap *= 2;
	key_table(ix, cap);
	ix->nkeys = 0;
	ix->knext = xscratch(ix->knext, &ix->knext_cap, d->ntoks + 1,
			     sizeof(*ix->knext));
	ix->kid = xscratch(ix->kid, &ix->kid_cap, d->ntoks + 1,
			   sizeof(*ix->kid));
	/* Backwards, so that each key's chain comes out in token order. */
	for (size_t i = d->ntoks; i-- > 0;) {
		const char *key = tok_key(d, &d->toks[i]);
		uint32_t h = key_hash(key);
		size_t p;

		/* Room for one more key first, so that p stays valid. */
		if (2 * (ix->nkeys + 1) > ix->kmask + 1)
			key_table_grow(ix);
		p = key_slot(ix, d, key, h);
		if (ix->kslot[p]) {
			ix->knext[i] = ix->kslot[p] - 1;
			ix->kcnt[p]++;
		} else {
			ix->knext[i] = KNONE;
			ix->kcnt[p] = 1;
			ix->khash[p] = h;
			ix->nkeys++;
		}
		ix->kslot[p] = (uint32_t)i + 1;
	}
	/* The first token of each key, in the order of the table (the
	 * index marks the same starts in any order), each token's key
	 * number, the keys of capitalised tokens, and the counts of the
	 * rules' keys. */
	ix->kfirst = xscratch(ix->kfirst, &ix->kfirst_cap, ix->nkeys + 1,
			      sizeof(*ix->kfirst));
	ix->capkey = xscratch(ix->capkey, &ix->capkey_cap, ix->nkeys + 1,
			      sizeof(*ix->capkey));
	ix->kidhash = xscratch(ix->kidhash, &ix->kidhash_cap, ix->nkeys + 1,
			       sizeof(*ix->kidhash));
	ix->nkfirst = ix->ncapkey = 0;
	for (size_t p = 0; p <= ix->kmask; p++) {
		if (!ix->kslot[p])
			continue;
		uint32_t f = ix->kslot[p] - 1, k = (uint32_t)ix->nkfirst;
		unsigned cls = 0;

		for (uint32_t j = f; j != KNONE; j = ix->knext[j]) {
			ix->kid[j] = k;
			cls |= r->cls[j];
		}
		if (cls & TC_CAP)
			ix->capkey[ix->ncapkey++] = k;
		ix->kidhash[k] = ix->khash[p];
		ix->kfirst[ix->nkfirst++] = f;
		if (ix->nrk)
			count_rule_key(ix, tok_key(d, &d->toks[f]), p);
	}
}

/* Make the memos by key number (struct rules) ready for d's keys, all
 * unknown. */
static void key_memos(struct rules *r)
{
	size_t n = r->ix.nkfirst * r->nlists + 1;

	r->maystart = xscratch_zero(r->maystart, &r->maystart_cap, n,
				    sizeof(*r->maystart));
	r->inlist = xscratch_zero(r->inlist, &r->inlist_cap, n,
				  sizeof(*r->inlist));
}

static void index_tags(struct rules_index *ix, const struct doc *d);

/* Sort the token numbers of d by first byte, line and sentence starts
 * and by tag type (counting sorts: two passes each), and by key. */
void rules_index_doc(struct rules *r, const struct doc *d)
{
	struct rules_index *ix = &r->ix;

	/* A new document for the rules' key counts and the costs of the
	 * sets of first bytes. */
	if (++ix->docno == 0) {
		memset(ix->rkdoc, 0, ix->nrk * sizeof(*ix->rkdoc));
		memset(ix->setdoc, 0, ix->nsets * sizeof(*ix->setdoc));
		ix->docno = 1;
	}
	/* Two passes: count, then place. */
	memset(ix->byoff, 0, sizeof(ix->byoff));
	ix->nline = ix->nsent = 0;
	for (size_t i = 0; i < d->ntoks; i++) {
		unsigned f = d->toks[i].flags;

		ix->byoff[r->fb[i] + 1]++;
		ix->nline += (f & TOK_LINE) != 0;
		ix->nsent += (f & TOK_SENT) != 0;
	}
	for (size_t b = 0; b < 256; b++)
		ix->byoff[b + 1] += ix->byoff[b];
	ix->bytok = xscratch(ix->bytok, &ix->bytok_cap, d->ntoks + 1,
			 sizeof(*ix->bytok));
	ix->linetok = xscratch(ix->linetok, &ix->linetok_cap, ix->nline + 1,
			       sizeof(*ix->linetok));
	ix->senttok = xscratch(ix->senttok, &ix->senttok_cap, ix->nsent + 1,
			       sizeof(*ix->senttok));
	ix->nline = ix->nsent = 0;
	for (size_t i = 0; i < d->ntoks; i++) {
		unsigned f = d->toks[i].flags;

		ix->bytok[ix->byoff[r->fb[i]]++] = (uint32_t)i;
		if (f & TOK_LINE)
			ix->linetok[ix->nline++] = (uint32_t)i;
		if (f & TOK_SENT)
			ix->senttok[ix->nsent++] = (uint32_t)i;
	}
	memmove(ix->byoff + 1, ix->byoff, 256 * sizeof(*ix->byoff));
	ix->byoff[0] = 0;
	memset(ix->present, 0, sizeof(ix->present));
	for (size_t b = 0; b < 256; b++)
		if (ix->byoff[b + 1] > ix->byoff[b])
			ix->present[b / 64] |= (uint64_t)1 << (b % 64);

	index_keys(r, d);
	key_memos(r);
	ix->npass = ix->npkeys = 0;
	index_tags(ix, d);
}

void rules_index_changed(struct rules *r, size_t lo, size_t hi)
{
	struct rules_index *ix = &r->ix;

	if (ix->nchanged + (hi - lo) > ix->changed_cap) {
		ix->changed_cap = 2 * (ix->nchanged + (hi - lo)) + 64;
		ix->changed = xrealloc(ix->changed,
				       ix->changed_cap * sizeof(*ix->changed));
	}
	for (; lo < hi; lo++) {
		ix->changed[ix->nchanged++] = (uint32_t)lo;
		ix->chbits[lo / 64] |= (uint64_t)1 << (lo % 64);
	}
}

void rules_index_trim(struct rules *r)
{
	struct rules_index *ix = &r->ix;
	const size_t keep = RULES_KEEP_BYTES;

	ix->bytok = xscratch_trim(ix->bytok, &ix->bytok_cap,
				  sizeof(*ix->bytok), keep);
	ix->knext = xscratch_trim(ix->knext, &ix->knext_cap,
				  sizeof(*ix->knext), keep);
	ix->kid = xscratch_trim(ix->kid, &ix->kid_cap, sizeof(*ix->kid), keep);
	ix->capkey = xscratch_trim(ix->capkey, &ix->capkey_cap,
				   sizeof(*ix->capkey), keep);
	ix->kidhash = xscratch_trim(ix->kidhash, &ix->kidhash_cap,
				    sizeof(*ix->kidhash), keep);
	ix->pkeys = xscratch_trim(ix->pkeys, &ix->pkeys_cap,
				  sizeof(*ix->pkeys), keep);
	ix->kslot = xscratch_trim(ix->kslot, &ix->kslot_cap,
				  sizeof(*ix->kslot), keep);
	ix->kcnt = xscratch_trim(ix->kcnt, &ix->kcnt_cap,
				 sizeof(*ix->kcnt), keep);
	ix->khash = xscratch_trim(ix->khash, &ix->khash_cap,
				  sizeof(*ix->khash), keep);
	ix->kfirst = xscratch_trim(ix->kfirst, &ix->kfirst_cap,
				   sizeof(*ix->kfirst), keep);
	ix->linetok = xscratch_trim(ix->linetok, &ix->linetok_cap,
				    sizeof(*ix->linetok), keep);
	ix->senttok = xscratch_trim(ix->senttok, &ix->senttok_cap,
				    sizeof(*ix->senttok), keep);
	ix->typetok = xscratch_trim(ix->typetok, &ix->typetok_cap,
				    sizeof(*ix->typetok), keep);
	ix->changed = xscratch_trim(ix->changed, &ix->changed_cap,
				    sizeof(*ix->changed), keep);
	ix->chbits = xscratch_trim(ix->chbits, &ix->chbits_cap,
				   sizeof(*ix->chbits), keep);
	ix->starts = xscratch_trim(ix->starts, &ix->starts_cap,
				   sizeof(*ix->starts), keep);
	r->maystart = xscratch_trim(r->maystart, &r->maystart_cap,
				    sizeof(*r->maystart), keep);
	r->inlist = xscratch_trim(r->inlist, &r->inlist_cap,
				  sizeof(*r->inlist), keep);
}

/* Sort the tagged tokens of d by type, for the types of tagtypes: slot
 * 2k holds the tokens of type k, slot 2k + 1 the first of each mention. */
/* The index of tagged toks[i]'s tag type in tagtypes, or NONE (not
 * indexed).  Tag types are interned (doc_intern), so the string last
 * looked up, *last, and its index, *lastk, answer most. */
static inline size_t tok_type_id(const struct rules_index *ix,
				 const struct doc *d, size_t i,
				 const char **last, size_t *lastk)
{
	const char *type = tok_type(d, &d->toks[i]);

	if (type != *last) {
		*last = type;
		*lastk = type_id(ix, type);
	}
	return *lastk;
}

static void index_tags(struct rules_index *ix, const struct doc *d)
{
	size_t at[2 * MAX_TAGTYPES], nslots = 2 * ix->ntagtypes, lastk = NONE;
	const char *last = NULL;

	memset(ix->typeoff, 0, sizeof(ix->typeoff));
	memset(at, 0, sizeof(at));
	ix->nchanged = 0;
	ix->chbits = xscratch_zero(ix->chbits, &ix->chbits_cap,
				   d->ntoks / 64 + 1, sizeof(*ix->chbits));
	if (!ix->ntagtypes)
		return;
	for (size_t i = 0; i < d->ntoks; i++) {
		size_t k = d->toks[i].pos == TAG_O ? NONE :
			   tok_type_id(ix, d, i, &last, &lastk);

		if (k == NONE)
			continue;
		ix->typeoff[2 * k + 1]++;
		if (d->toks[i].pos == TAG_B)
			ix->typeoff[2 * k + 2]++;
	}
	for (size_t k = 0; k < nslots; k++)
		ix->typeoff[k + 1] += ix->typeoff[k];
	ix->typetok = xscratch(ix->typetok, &ix->typetok_cap,
			   ix->typeoff[nslots] + 1, sizeof(*ix->typetok));
	for (size_t i = 0; i < d->ntoks; i++) {
		size_t k = d->toks[i].pos == TAG_O ? NONE :
			   tok_type_id(ix, d, i, &last, &lastk);

		if (k == NONE)
			continue;
		ix->typetok[ix->typeoff[2 * k] + at[2 * k]++] = (uint32_t)i;
		if (d->toks[i].pos == TAG_B)
			ix->typetok[ix->typeoff[2 * k + 1] + at[2 * k + 1]++] =
				(uint32_t)i;
	}
}

/* Where the start index looks for the tokens an anchor can take. */
enum source { SRC_BYTES, SRC_LIST, SRC_KEYS, SRC_IN };

struct anchor {
	const struct rule_elem *el;
	const uint32_t *kids;	/* the numbers of el's keys (rkid) */
	enum source src;
	const uint32_t *list;	/* SRC_LIST: token numbers */
	size_t nlist;
	const uint32_t *more;	/* SRC_LIST: and these (tags changed since) */
	size_t nmore;
	int tagonly;		/* SRC_LIST: list is the tag type's, and the
				   tokens on it whose tags have not changed
				   pass el's settled tests (eltagonly) */
	size_t cost;		/* about how many tokens are looked at */
};

/* Can only a capitalised token (TC_CAP) start a match of el: is it a
 * list whose entries all start with a capital (gaz_needs_cap, and
 * gaz_match says no at once elsewhere), or has it a cap or initial test
 * (which pass where TC_CAP is set, and only there)? */
static int needs_cap(const struct rule_elem *el)
{
	if (el->kind == E_LIST)
		return gaz_needs_cap(el->list);
	return (el->shape_need & (RULES_SHAPE(T_CAP) |
				  RULES_SHAPE(T_INITIAL))) != 0;
}

/* How many keys SRC_IN asks about for el: only those of capitalised
 * tokens if that is all el can take. */
static size_t in_cost(const struct rules_index *ix, const struct rule_elem *el)
{
	return needs_cap(el) ? ix->ncapkey : ix->nkfirst;
}

/* How many tokens of the document start with a byte of set n (struct
 * rules_index, sets), worked out once a document. */
static size_t set_cost(struct rules_index *ix, uint32_t n)
{
	if (ix->setdoc[n] != ix->docno) {
		const uint64_t *set = ix->sets + 4 * n;
		size_t cost = 0;

		/* Only the bytes the document has. */
		for (unsigned w = 0; w < 4; w++)
			for (uint64_t bits = set[w] & ix->present[w]; bits;
			     bits &= bits - 1) {
				unsigned b = w * 64 + (unsigned)__builtin_ctzll(bits);

				cost += ix->byoff[b + 1] - ix->byoff[b];
			}
		ix->setcost[n] = (uint32_t)cost;
		ix->setdoc[n] = ix->docno;
	}
	return ix->setcost[n];
}

/* The cheapest way to find the tokens el, element number flat
 * (elbase), can take. */
static struct anchor anchor_for(struct rules *r, const struct rule_elem *el,
				size_t flat)
{
	struct rules_index *ix = &r->ix;
	const uint32_t *kids = ix->rkid + ix->rkoff[flat];
	struct anchor a = { el, kids, SRC_BYTES, NULL, 0, NULL, 0, 0, 0 };
	size_t k = ix->eltype[flat] == KNONE ? NONE : ix->eltype[flat];

	if (el->kind == E_LIST) {
		a.src = SRC_IN;
		a.cost = in_cost(ix, el);
		return a;
	}
	if (ix->elset[flat] == KNONE)
		a.cost = ix->byoff[256] - ix->byoff[0];
	else
		a.cost = set_cost(ix, ix->elset[flat]);
	if (el->keys) {
		size_t n = el->nkeys;	/* the look-ups */

		/* Counted only while they could come to less. */
		for (size_t i = 0; i < el->nkeys && n < a.cost; i++) {
			size_t count;

			key_first(ix, kids[i], &count);
			n += count;
		}
		if (n < a.cost) {
			a.src = SRC_KEYS;
			a.cost = n;
		}
	}
	if (el->in && in_cost(ix, el) < a.cost) {
		a.src = SRC_IN;
		a.cost = in_cost(ix, el);
	}
	if (k != NONE)
		k = 2 * k + (el->tagbegin != 0);
	if (k != NONE && ix->typeoff[k + 1] - ix->typeoff[k] + ix->nchanged < a.cost) {
		a.src = SRC_LIST;
		a.nlist = ix->typeoff[k + 1] - ix->typeoff[k];
		a.list = ix->typetok + ix->typeoff[k];
		a.more = ix->changed;
		a.nmore = ix->nchanged;
		a.tagonly = ix->eltagonly[flat] != 0;
		a.cost = a.nlist + a.nmore;
	}
	if ((el->flags & TOK_LINE) && ix->nline < a.cost) {
		a.src = SRC_LIST;
		a.cost = a.nlist = ix->nline;
		a.list = ix->linetok;
		a.nmore = 0;
		a.tagonly = 0;
	}
	if ((el->flags & TOK_SENT) && ix->nsent < a.cost) {
		a.src = SRC_LIST;
		a.cost = a.nlist = ix->nsent;
		a.list = ix->senttok;
		a.nmore = 0;
		a.tagonly = 0;
	}
	return a;
}

/* Mark the starts lo..hi tokens before toks[j]. */
static inline void mark_window(struct rules *r, const struct rule_elem *el,
			       size_t j)
{
	if (j < el->lo)
		return;
	size_t from = j > el->hi ? j - el->hi : 0, to = j - el->lo;
	size_t wf = from / 64, wt = to / 64;
	uint64_t *w = r->ix.starts;
	uint64_t head = ~(uint64_t)0 << (from % 64);
	uint64_t tail = ~(uint64_t)0 >> (63 - to % 64);

	/* A word at a time: windows are short, but many. */
	if (wf == wt) {
		w[wf] |= head & tail;
		return;
	}
	w[wf] |= head;
	while (++wf < wt)
		w[wf] = ~(uint64_t)0;
	w[wt] |= tail;
}

/* Mark starts[] for the tokens toks[j] from which a token el can take
 * is lo..hi tokens on, if toks[j] passes el's settled tests. */
static void mark_starts(struct rules *r, const struct rule_elem *el,
			const struct doc *d, size_t j)
{
	if (rules_elem_ok(r, el, d, j, 1))
		mark_window(r, el, j);
}

/* Mark the starts for every token with the same key as toks[first]
 * (for a needs_cap element, every capitalised one): their settled tests
 * are left to the match (most are on the key, which they share), since
 * testing each here costs more than it saves. */
static void mark_key(struct rules *r, const struct rule_elem *el,
		     uint32_t first)
{
	int cap = needs_cap(el);

	for (uint32_t j = first; j != KNONE; j = r->ix.knext[j])
		if (!cap || (r->cls[j] & TC_CAP))
			mark_window(r, el, j);
}

/* 2 if a match of list may start with key (hash: its key_hash) by
 * gaz_may_start, else 1; kept in r->sm. */
static uint8_t may_start_key(struct rules *r, const struct gaz *list,
			     const char *key, uint32_t hash)
{
	uint32_t known = rules_memo_get(&r->sm, RULES_MEMO_START, list, key,
					hash);

	if (!known) {
		known = 1 + (gaz_may_start(list, key) != 0);
		rules_memo_put(&r->sm, RULES_MEMO_START, list, key, hash, known);
	}
	return (uint8_t)known;
}

/* Can toks[t], and so every token with its key, be taken by el, an
 * E_LIST or in=LIST element?  Both answers are memoised per key (by
 * key number), so rules with the same list ask it once. */
static int key_in(struct rules *r, const struct rule_elem *el,
		  const struct doc *d, size_t t)
{
	if (el->kind == E_LIST) {
		uint32_t k = r->ix.kid[t];
		uint8_t *cell = &r->maystart[k * r->nlists + el->listno];

		if (!*cell)
			*cell = may_start_key(r, el->list,
					      tok_key(d, &d->toks[t]),
					      r->ix.kidhash[k]);
		return *cell == 2;
	}
	return rules_in_ok(r, el->in, d, t);
}

/* Mark the starts for the keys that el, an E_LIST or in=LIST element,
 * can take (SRC_IN): each key asked (key_in), or only those of
 * capitalised tokens if that is all el can take.  The keys that pass
 * are kept for the rest of the document (ix.pass), since key_in's
 * answers depend on the key alone and other rules ask the same. */
static void mark_in(struct rules *r, const struct doc *d,
		    const struct rule_elem *el)
{
	struct rules_index *ix = &r->ix;
	const void *who = el->kind == E_LIST ? (const void *)el->list :
			  (const void *)el->in->list;
	unsigned bit = el->kind == E_LIST ? RULES_PASS_START :
		       (unsigned)el->in->inbit;
	int cap = needs_cap(el);
	size_t n = cap ? ix->ncapkey : ix->nkfirst, off = ix->npkeys;

	for (size_t i = 0; i < ix->npass; i++) {
		const struct rules_pass *p = &ix->pass[i];

		if (p->who == who && p->bit == bit && p->cap == cap) {
			for (size_t k = 0; k < p->n; k++)
				mark_key(r, el, ix->kfirst[ix->pkeys[p->off + k]]);
			return;
		}
	}
	if (off + n > ix->pkeys_cap) {
		ix->pkeys_cap = 2 * (off + n) + 64;
		ix->pkeys = xrealloc(ix->pkeys,
				     ix->pkeys_cap * sizeof(*ix->pkeys));
	}
	for (size_t k = 0; k < n; k++) {
		uint32_t kid = cap ? ix->capkey[k] : (uint32_t)k;

		if (key_in(r, el, d, ix->kfirst[kid])) {
			ix->pkeys[ix->npkeys++] = kid;
			mark_key(r, el, ix->kfirst[kid]);
		}
	}
	if (ix->npass < RULES_PASS_TESTS)
		ix->pass[ix->npass++] = (struct rules_pass){ who, bit, cap, off,
							     ix->npkeys - off };
	else
		ix->npkeys = off;
}

static void mark_anchor(struct rules *r, const struct doc *d,
			const struct anchor *a)
{
	struct rules_index *ix = &r->ix;
	const struct rule_elem *el = a->el;

	switch (a->src) {
	case SRC_LIST:
		/* A token on a tag type's list whose tags no rule has
		 * changed passes tag_only tests without asking. */
		for (size_t t = 0; t < a->nlist; t++) {
			uint32_t j = a->list[t];

			if (a->tagonly && !((ix->chbits[j / 64] >> (j % 64)) & 1))
				mark_window(r, el, j);
			else
				mark_starts(r, el, d, j);
		}
		for (size_t t = 0; t < a->nmore; t++)
			mark_starts(r, el, d, a->more[t]);
		break;
	case SRC_KEYS:
		for (size_t i = 0; i < el->nkeys; i++) {
			size_t count;
			uint32_t f = key_first(ix, a->kids[i], &count);

			if (f != KNONE)
				mark_key(r, el, f);
		}
		break;
	case SRC_IN:
		mark_in(r, d, el);
		break;
	case SRC_BYTES:
		for (unsigned w = 0; w < 4; w++)
			for (uint64_t bits = first_word(el->first, w) &
					     ix->present[w];
			     bits; bits &= bits - 1) {
				unsigned b = w * 64 + (unsigned)__builtin_ctzll(bits);

				for (size_t t = ix->byoff[b]; t < ix->byoff[b + 1]; t++)
					mark_starts(r, el, d, ix->bytok[t]);
			}
		break;
	}
}

/* Set r->ix.starts to the candidate starts of rule q in d. */
void rules_find_starts(struct rules *r, size_t q, const struct doc *d)
{
	struct rules_index *ix = &r->ix;
	const struct rule *ru = r->rules[q];
	struct anchor best = { NULL, NULL, SRC_BYTES, NULL, 0, NULL, 0, 0,
			       d->ntoks };
	size_t nw = (d->ntoks + 63) / 64;

	ix->starts = xscratch(ix->starts, &ix->starts_cap, nw + 1,
				sizeof(*ix->starts));
	for (size_t e = 0; e < ru->nelems; e++) {
		const struct rule_elem *el = &ru->elems[e];
		struct anchor a;

		if (el->min < 1)
			continue;
		a = anchor_for(r, el, ix->elbase[q] + e);
		if (a.cost < best.cost)
			best = a;
	}
	if (!best.el || ix->disabled) {
		/* No element narrows it down (or the index is off): every
		 * token may start. */
		memset(ix->starts, 0xff, nw * sizeof(*ix->starts));
		return;
	}
	memset(ix->starts, 0, nw * sizeof(*ix->starts));
	mark_anchor(r, d, &best);
}
