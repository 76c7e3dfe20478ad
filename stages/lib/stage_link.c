/* stage_link.c - ner-link: one entity behind many mentions.
 *
 * Per document, in order:
 *   1. acronyms: "Long Name (ACR)" tags ACR like the name, and every
 *      bare ACR token of the document too; untagged capitalised words
 *      whose initials spell ACR become an ORG with it;
 *   2. partial names: an untagged run of capitalised words that is the
 *      whole name, the end, or a start of two words or more of a person
 *      named anywhere in the document is that person, and so is a town
 *      from the place list named like them (one sense per document);
 *   3. canonical names: a person mention that is part of a longer one in
 *      the document takes its canonical name;
 *   4. ranks: a person gets the rank right before it, else the rank of an
 *      earlier mention of the same person.
 *
 * Which types take part in each step is the table of entity types
 * (etype.h): "a person" is a mention of an ETYPE_NAME_PARTS type (PER),
 * "an ORG" the ETYPE_ACRONYM_NEW type, ranks ETYPE_RANK, and so on.
 *
 * Names are compared by fold key (fold.h), and a pair found that way is
 * joined only if every word is a spelling variant of the other's
 * (fold_variant): "Baqeri" joins "Mohammad Bagheri", "Karimi" does not
 * join "Mohammad Karami".  A part spelt otherwise than the whole is only
 * joined to a name of more words than itself, so a lone surname is never
 * respelt onto a person whose other names the document does not give.
 * Nothing is carried from one document to the next: the canonical name
 * of a person no gazetteer knows is the longest form of the name in its
 * own document, whatever else was read before.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "alloc.h"
#include "attr.h"
#include "buf.h"
#include "etype.h"
#include "fold.h"
#include "hash.h"
#include "stage.h"
#include "strmap.h"
#include "utf.h"

/* One mention in the document being linked. */
struct mention {
	size_t i;		/* its first token */
	uint32_t n;		/* tokens */
	uint32_t words;		/* words in its fold key */
	unsigned flags;		/* of its type (etype.h) */
	/* Offsets in the link's pool (pool_str), which grows: of a name
	 * with parts, the fold keys of its words, ' '-joined, and the
	 * match keys of the same words; of others, "". */
	size_t fold, keys;
	const char *rank;	/* "rank=...;nato=..." or NULL */
};

/* A part of a person's name: words [w, w + n) of mention m, which has
 * words words, by the fold key of those words: fold[0..len), a piece of
 * the mention's fold key, at offset at of the pool, whose first bytes
 * are prefix (prefix_of). */
struct part {
	const char *fold;
	uint64_t prefix;
	size_t at, len, m, w, n, words;
};

/* Index no more parts than this for one name: no real name has more
 * words, and a run of hundreds of I-PER tokens must not cost n^2. */
#define PART_MAX_WORDS 8

/* The flags of a type (etype_flags) by the address of its name in the
 * document; see type_flags. */
struct type_memo {
	const char *type;
	unsigned flags;
};

#define TYPE_MEMO 8

/* The fold keys of words met lately, by their match keys: the same words
 * come again and again (names, and the capitalised words looked up as
 * names), and fold_word's key is a function of the match key alone, so
 * the cache need never be emptied.  Direct-mapped, FOLD_CACHE entries;
 * a word longer than FOLD_WORD_MAX bytes is folded each time. */
#define FOLD_CACHE 1024
#define FOLD_WORD_MAX 22

struct fold_entry {
	unsigned char keylen, foldlen;
	char key[FOLD_WORD_MAX], fold[FOLD_WORD_MAX + 1];
};

/* An acronym defined in the document: its type and canonical name. */
struct acronym {
	const char *type, *canon;
};

struct link {
	struct mention *m;
	size_t nm, capm;
	struct part *parts;	/* sorted by fold, longer names first */
	size_t nparts, capparts;
	struct part *newparts;	/* add_made's scratch */
	size_t capnewparts;
	size_t *longer;		/* person mentions of three words or more */
	size_t nlonger, caplonger;
	struct acronym *acr;
	size_t nacr, capacr;
	struct strmap acronyms;	/* acronym -> index in acr */
	struct strmap ranks;	/* canonical name -> last mention with a rank */
	/* The mentions' fold keys and match keys; the parts' pointers
	 * into it are set again by pool_fix whenever it may have moved. */
	struct buf pool;
	struct buf tmp, tmp2;
	/* The first tokens of the mentions link_partials made, for
	 * add_made; and its scratch. */
	size_t *made;
	size_t nmade, capmade;
	size_t *newidx, capnewidx;
	struct fold_entry *folds;	/* FOLD_CACHE of them, or NULL */
	struct type_memo types[TYPE_MEMO];	/* the document's */
	size_t ntypes;
};

/* etype_flags(type) for a type name of the document being linked,
 * which has few: found by its address, not by comparing names with
 * each of the table's.  The document's strings stay put while it is
 * linked; link_run forgets them before the next. */
static unsigned type_flags(struct link *l, const char *type)
{
	unsigned f;

	for (size_t k = 0; k < l->ntypes; k++)
		if (l->types[k].type == type)
			return l->types[k].flags;
	f = etype_flags(type);
	if (l->ntypes < TYPE_MEMO)
		l->types[l->ntypes++] = (struct type_memo){ type, f };
	return f;
}

/* Write the fold key of the match key key[0..n) at o, which has room for
 * n + 1 bytes, as fold_word_to does (a key is never longer than its
 * word), from the cache if it is there; returns its length. */
static size_t fold_cached(struct link *l, char *o, const char *key, size_t n)
{
	struct fold_entry *e;

	if (n > FOLD_WORD_MAX)
		return fold_word_to(o, key, n);
	if (!l->folds)
		l->folds = xcalloc(FOLD_CACHE, sizeof(*l->folds));
	e = &l->folds[hash_fnv1a(key, n, HASH_FNV1A_INIT) & (FOLD_CACHE - 1)];
	if (e->keylen != n || memcmp(e->key, key, n) != 0) {
		memcpy(e->key, key, n);
		e->keylen = (unsigned char)n;
		e->foldlen = (unsigned char)fold_word_to(e->fold, key, n);
	}
	memcpy(o, e->fold, e->foldlen + 1);
	return e->foldlen;
}

/* Fold keys (or, with fold unset, match keys) of tokens [i, i+n),
 * space-joined, connectors left out, in b; returns b's text, valid until
 * b changes. */
static const char *word_keys(struct link *l, const struct doc *d, size_t i,
			     size_t n, int fold, struct buf *b)
{
	buf_reset(b);
	buf_reserve(b, 0);
	b->s[0] = '\0';
	for (size_t k = i; k < i + n; k++) {
		const char *key = tok_key(d, &d->toks[k]);
		size_t kn;
		char *o;

		if (k > i && fold_is_connector(key))
			continue;
		kn = strlen(key);
		buf_reserve(b, 1 + kn);
		o = b->s + b->len;
		if (b->len)
			*o++ = ' ';
		if (fold) {
			o += fold_cached(l, o, key, kn);
		} else {
			memcpy(o, key, kn);
			o += kn;
		}
		*o = '\0';
		b->len = (size_t)(o - b->s);
	}
	return b->s;
}

/* Do the space-joined words a and the words [w, w + n) of b match word
 * for word as spelling variants (fold_name_variant; when the part has
 * the name's first word and more, that given name is not respelt)?  Sets
 * *respelled if any differs. */
static int words_variant(const char *a, const char *b, size_t w, size_t n,
			 int *respelled)
{
	for (size_t k = 0; k < w; k++)
		b += strcspn(b, " ") + 1;
	*respelled = 0;
	for (size_t k = 0; k < n; k++) {
		size_t al = strcspn(a, " "), bl = strcspn(b, " ");

		if (al != bl || memcmp(a, b, al) != 0)
			*respelled = 1;
		if (!fold_name_variant(a, al, b, bl, w == 0 && k == 0 && n > 1))
			return 0;
		a += al + (a[al] == ' ');
		b += bl + (b[bl] == ' ');
	}
	return 1;
}

/* Append the NUL-terminated s to the pool; returns where it is. */
static size_t pool_add(struct link *l, const char *s)
{
	size_t at = l->pool.len;

	buf_put(&l->pool, s, strlen(s) + 1);
	return at;
}

/* The string at offset at of the pool; valid until the pool grows. */
static const char *pool_str(const struct link *l, size_t at)
{
	return l->pool.s + at;
}

/* Point the parts' strings into the pool where it is now. */
static void pool_fix(struct link *l)
{
	for (size_t p = 0; p < l->nparts; p++)
		l->parts[p].fold = pool_str(l, l->parts[p].at);
}

/* Fill m for the mention of n tokens at d->toks[i]. */
static void fill_mention(struct link *l, struct doc *d, struct mention *m,
			 size_t i, size_t n)
{
	m->i = i;
	m->n = n;
	m->flags = type_flags(l, tok_type(d, &d->toks[i]));
	/* Only names with parts are looked up by their fold keys. */
	int parts = (m->flags & ETYPE_NAME_PARTS) != 0;

	m->fold = parts ? pool_add(l, word_keys(l, d, i, n, 1, &l->tmp)) : 0;
	m->keys = parts ? pool_add(l, word_keys(l, d, i, n, 0, &l->tmp)) : 0;
	m->words = 1;
	for (const char *c = pool_str(l, m->fold); *c; c++)
		m->words += *c == ' ';
	m->rank = NULL;
}

static void collect(struct link *l, struct doc *d)
{
	l->nm = 0;
	l->nparts = 0;
	buf_reset(&l->pool);
	pool_add(l, "");
	for (size_t i = 0; i < d->ntoks; i++) {
		size_t n = d->toks[i].pos == TAG_B ? doc_mention_len(d, i) : 0;

		if (!n)
			continue;
		if (l->nm == l->capm) {
			l->capm = l->capm ? l->capm * 2 : 64;
			l->m = xrealloc(l->m, l->capm * sizeof(*l->m));
		}
		fill_mention(l, d, &l->m[l->nm++], i, n);
		i += n - 1;
	}
}

/* The first 8 bytes of s[0..n), 0 for those it does not have, as a
 * big-endian number: the prefixes of two strings without NUL bytes
 * (fold keys) order as memcmp orders the strings, unless they are
 * equal. */
static uint64_t prefix_of(const char *s, size_t n)
{
	unsigned char b[8] = { 0 };

	memcpy(b, s, n < 8 ? n : 8);
	return (uint64_t)b[0] << 56 | (uint64_t)b[1] << 48 |
	       (uint64_t)b[2] << 40 | (uint64_t)b[3] << 32 |
	       (uint64_t)b[4] << 24 | (uint64_t)b[5] << 16 |
	       (uint64_t)b[6] << 8 | b[7];
}

/* Add the part of mention m that is the piece fold[0..len) of its fold
 * key (in the pool). */
static void add_part(struct link *l, const char *fold, size_t len, size_t m,
		     size_t w, size_t n)
{
	if (l->nparts == l->capparts) {
		l->capparts = l->capparts ? l->capparts * 2 : 64;
		l->parts = xrealloc(l->parts, l->capparts * sizeof(*l->parts));
	}
	l->parts[l->nparts++] = (struct part){
		fold, prefix_of(fold, len), (size_t)(fold - l->pool.s), len, m,
		w, n, l->m[m].words
	};
}

/* Compare a[0..an) and b[0..bn) as strcmp compares strings. */
static int cmp_piece(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	if (c)
		return c;
	return an < bn ? -1 : an > bn;
}

/* Compare x[0..xn) and y[0..yn), fold keys or pieces of them whose
 * prefixes (prefix_of) are xp and yp, as cmp_piece does: mostly by the
 * prefixes alone.  Equal prefixes of pieces without NUL bytes, one of
 * them 8 bytes long or less, mean one piece starts the other. */
static inline int cmp_fold(uint64_t xp, const char *x, size_t xn,
			   uint64_t yp, const char *y, size_t yn)
{
	if (xp != yp)
		return xp < yp ? -1 : 1;
	if (xn <= 8 || yn <= 8)
		return xn < yn ? -1 : xn > yn;
	return cmp_piece(x + 8, xn - 8, y + 8, yn - 8);
}

/* Parts of one fold key together; longer names first, then earlier. */
static int cmp_part(const void *a, const void *b)
{
	const struct part *x = a, *y = b;
	int c = cmp_fold(x->prefix, x->fold, x->len, y->prefix, y->fold, y->len);

	if (c)
		return c;
	if (x->words != y->words)
		return x->words > y->words ? -1 : 1;
	return x->m < y->m ? -1 : x->m > y->m;
}

/* Is mention m a Korean or Chinese name written family name first, with
 * a hyphened given name ("Kim Myung-soo", "Tsai Ing-wen")? */
static int family_first(const struct doc *d, const struct mention *m)
{
	size_t g1, g2;

	for (size_t k = m->i + 1; k + 1 < m->i + m->n; k++)
		if (strcmp(tok_text(d, &d->toks[k]), "-") == 0 &&
		    (tok_gap(d, &d->toks[k], &g1), !g1) &&
		    (tok_gap(d, &d->toks[k + 1], &g2), !g2) &&
		    utf_starts_upper(tok_text(d, &d->toks[k + 1])) == 0)
			return 1;
	return 0;
}

/* Index the name parts of every person (every mention of an
 * ETYPE_NAME_PARTS type): the whole name, each ending
 * ("Mirza", "Shamshad Mirza") and each start of two words or more
 * ("Zaheer Ahmad"); and the first word of a name written family name
 * first ("Kim" of "Kim Myung-soo"). */
static void index_mention(struct link *l, struct doc *d, size_t k)
{
	const struct mention *m = &l->m[k];
	const char *f = pool_str(l, m->fold);

	if (!(m->flags & ETYPE_NAME_PARTS))
		return;
	add_part(l, f, strlen(f), k, 0, m->words);
	if (m->words > PART_MAX_WORDS)
		return;
	if (m->words > 1 && family_first(d, m))
		add_part(l, f, strcspn(f, " "), k, 0, 1);
	size_t w = 1;
	for (const char *c = f; (c = strchr(c, ' ')); c++, w++) {
		add_part(l, c + 1, strlen(c + 1), k, w, m->words - w);
		if (w >= 2)
			add_part(l, f, (size_t)(c - f), k, 0, w);
	}
}

static void sort_parts(struct link *l)
{
	if (l->nparts)
		qsort(l->parts, l->nparts, sizeof(*l->parts), cmp_part);
}

/* Sort the parts after the first old ones, then merge them into those,
 * which are sorted: the index is the one sorting all would give, as the
 * sort is stable and no two parts tie that are not of one mention. */
static void merge_parts(struct link *l, size_t old)
{
	size_t nnew = l->nparts - old, i = old, j = nnew, k = l->nparts;

	if (!nnew)
		return;
	l->newparts = xscratch(l->newparts, &l->capnewparts, nnew,
			       sizeof(*l->newparts));
	memcpy(l->newparts, l->parts + old, nnew * sizeof(*l->parts));
	qsort(l->newparts, nnew, sizeof(*l->newparts), cmp_part);
	/* From the end, the greater first: the old ones move up. */
	while (j > 0) {
		if (i > 0 && cmp_part(&l->parts[i - 1], &l->newparts[j - 1]) > 0)
			l->parts[--k] = l->parts[--i];
		else
			l->parts[--k] = l->newparts[--j];
	}
}

static void index_parts(struct link *l, struct doc *d)
{
	l->nparts = 0;
	for (size_t k = 0; k < l->nm; k++)
		index_mention(l, d, k);
	sort_parts(l);
}

/* The first part of the index whose fold key is fold[0..n), whose
 * prefix_of is pre; or l->nparts if none has it. */
static size_t first_part(const struct link *l, uint64_t pre, const char *fold,
			 size_t n)
{
	size_t lo = 0, hi = l->nparts;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct part *p = &l->parts[mid];

		if (cmp_fold(p->prefix, p->fold, p->len, pre, fold, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < l->nparts && cmp_fold(l->parts[lo].prefix, l->parts[lo].fold,
				       l->parts[lo].len, pre, fold, n) == 0)
		return lo;
	return l->nparts;
}

/* The longest person (the earliest of the longest) with a part whose
 * fold key is fold[0..n) (prefix pre), from part first on (first_part),
 * and whose words are variants of keys, the match keys of the words
 * looked for; or NULL.  *respelled: spelt otherwise. */
static const struct mention *person_from(const struct link *l, size_t first,
					 uint64_t pre, const char *fold,
					 size_t n, const char *keys,
					 int *respelled)
{
	const char *seen = NULL;
	size_t seen_w = 0, seen_n = 0;
	int ok = 0, resp = 0;

	for (size_t q = first; q < l->nparts; q++) {
		const struct part *p = &l->parts[q];
		const struct mention *m = &l->m[p->m];
		const char *mkeys = pool_str(l, m->keys);

		if (cmp_fold(p->prefix, p->fold, p->len, pre, fold, n) != 0)
			break;
		/* The mentions of a name come one after another here,
		 * their parts alike: the answer for the one before holds. */
		if (!seen || p->w != seen_w || p->n != seen_n ||
		    strcmp(mkeys, seen) != 0) {
			ok = words_variant(keys, mkeys, p->w, p->n, &resp);
			seen = mkeys;
			seen_w = p->w;
			seen_n = p->n;
		}
		*respelled = resp;
		if (!ok)
			continue;
		/* Respelt, a part must leave words of the name for
		 * evidence: "Karimi" alone is not "Karami". */
		if (resp && p->n >= m->words)
			continue;
		return m;
	}
	return NULL;
}

static const struct mention *person_with(const struct link *l,
					 const char *fold, const char *keys,
					 int *respelled)
{
	size_t n = strlen(fold);
	uint64_t pre = prefix_of(fold, n);

	return person_from(l, first_part(l, pre, fold, n), pre, fold, n, keys,
			   respelled);
}

/* --- 1. acronyms ------------------------------------------------------ */

static int is_acronym(const char *s)
{
	if (!(s[0] >= 'A' && s[0] <= 'Z') && !(s[0] >= '0' && s[0] <= '9'))
		return 0;
	size_t n = strlen(s), upper = 0;

	if (n < 2 || n > 10)
		return 0;
	for (size_t k = 0; k < n; k++) {
		if (s[k] >= 'A' && s[k] <= 'Z')
			upper++;
		else if (!(s[k] >= '0' && s[k] <= '9') && s[k] != '-' && s[k] != '&')
			return 0;
	}
	return upper >= 2;
}

static int is_minor(const char *key)
{
	static const char *const minor[] = { "of", "the", "and", "for", "in",
					     "on", "al", "-", "&", NULL };

	for (int k = 0; minor[k]; k++)
		if (strcmp(key, minor[k]) == 0)
			return 1;
	return 0;
}

/* Do the capitalised words of tokens [i, j) spell acr?  An all-capital
 * word may give all its letters ("US Central Command (USCENTCOM)" is not
 * matched, but "IRGC Navy (IRGCN)" is). */
static int initials_spell(const struct doc *d, size_t i, size_t j, const char *acr)
{
	size_t a = 0;

	for (size_t k = i; k < j; k++) {
		const char *t = tok_text(d, &d->toks[k]);
		size_t n = strlen(t);

		if (is_minor(tok_key(d, &d->toks[k])))
			continue;
		if (!utf_starts_upper(t))
			return 0;
		if (n > 1 && strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == n &&
		    strncmp(acr + a, t, n) == 0) {
			a += n;
			continue;
		}
		if (acr[a] != t[0])
			return 0;
		a++;
	}
	return acr[a] == '\0';
}

/* Remember acr as a name of type with canonical canon. */
static void define_acronym(struct link *l, struct doc *d, const char *acr,
			   const char *type, const char *canon)
{
	size_t k;

	if (strmap_get(&l->acronyms, acr, &k))
		return;
	if (l->nacr == l->capacr) {
		l->capacr = l->capacr ? l->capacr * 2 : 16;
		l->acr = xrealloc(l->acr, l->capacr * sizeof(*l->acr));
	}
	l->acr[l->nacr].type = doc_intern(d, type);
	l->acr[l->nacr].canon = doc_intern(d, canon);
	strmap_put(&l->acronyms, acr, l->nacr++);
}

/* Tag every untagged use of a defined acronym. */
static void tag_acronyms(struct link *l, struct doc *d)
{
	size_t k;

	if (!l->nacr)
		return;
	for (size_t i = 0; i < d->ntoks; i++)
		if (d->toks[i].pos == TAG_O && is_acronym(tok_text(d, &d->toks[i])) &&
		    strmap_get(&l->acronyms, tok_text(d, &d->toks[i]), &k))
			doc_tag(d, i, 1, l->acr[k].type, l->acr[k].canon,
				"link:acronym", "");
}

/* The words before "(" at tokens [.., p) that could be a long name:
 * capitalised or minor, untagged, on the same line.  Returns the start. */
static size_t name_before(const struct doc *d, size_t p, const char *acr)
{
	for (size_t i = p; i-- > 0;) {
		const struct tok *t = &d->toks[i];
		const char *text = tok_text(d, t);

		if (t->pos != TAG_O || (!utf_starts_upper(text) && !is_minor(tok_key(d, t))))
			return p;
		if (utf_starts_upper(text) && initials_spell(d, i, p, acr))
			return i;
		if (t->flags & (TOK_SENT | TOK_LINE))
			return p;
	}
	return p;
}

static void link_acronyms(struct link *l, struct doc *d)
{
	strmap_clear(&l->acronyms);
	l->nacr = 0;
	for (size_t k = 2; k + 1 < d->ntoks; k++) {
		struct tok *a = &d->toks[k];
		const char *atext = tok_text(d, a);

		if (strcmp(tok_text(d, &d->toks[k - 1]), "(") ||
		    strcmp(tok_text(d, &d->toks[k + 1]), ")") || !is_acronym(atext))
			continue;
		size_t p = k - 1;
		if (d->toks[p - 1].pos != TAG_O) {
			size_t s = p - 1;

			while (d->toks[s].pos == TAG_I)
				s--;
			const char *type = tok_type(d, &d->toks[s]);
			/* Only an acronym of the name itself: "(CJCSC)" after
			 * "Joint Chiefs of Staff Committee" names a role. */
			if (!(type_flags(l, type) & ETYPE_ACRONYM) ||
			    !initials_spell(d, s, p, atext))
				continue;
			define_acronym(l, d, atext, type, tok_canon(d, &d->toks[s]));
			/* The definition outweighs a list's guess at the
			 * letters ("News Agency of Nigeria (NAN)", not the
			 * town Nan). */
			if (a->pos == TAG_B && doc_mention_len(d, k) == 1 &&
			    strcmp(tok_type(d, a), type) != 0)
				doc_tag(d, k, 1, type, tok_canon(d, &d->toks[s]),
					"link:acronym", "");
			continue;
		}
		const char *type = etype_with(ETYPE_ACRONYM_NEW);
		size_t s = name_before(d, p, atext);
		if (!type || s == p || a->pos != TAG_O)
			continue;
		doc_span_name(d, s, p - s, &l->tmp);
		char *canon = xstrdup(l->tmp.s);
		doc_tag(d, s, p - s, type, canon, "link:acronym", "");
		define_acronym(l, d, atext, type, canon);
		free(canon);
	}
	tag_acronyms(l, d);
}

/* --- 2. partial names ------------------------------------------------- */

static int is_letters(const char *key)
{
	int32_t cp;

	return *key && utf_decode(key, strlen(key), &cp) > 0 && utf_is_letter(cp);
}

/* The untagged run of capitalised words starting at toks[i]. */
static size_t cap_run(const struct doc *d, size_t i)
{
	size_t n = 0;

	while (i + n < d->ntoks && d->toks[i + n].pos == TAG_O &&
	       utf_starts_upper(tok_text(d, &d->toks[i + n])) &&
	       is_letters(tok_key(d, &d->toks[i + n])) &&
	       (n == 0 || !(d->toks[i + n].flags & (TOK_SENT | TOK_LINE))))
		n++;
	return n;
}

/* The person whose name has tokens [i, i+n) as a part, or NULL.  Most
 * runs looked up are no part: their match keys are not made. */
static const struct mention *person_at(struct link *l, struct doc *d,
				       size_t i, size_t n, int *respelled)
{
	const char *fold = word_keys(l, d, i, n, 1, &l->tmp2);
	size_t len = strlen(fold);
	uint64_t pre = prefix_of(fold, len);
	size_t first = first_part(l, pre, fold, len);

	if (first == l->nparts)
		return NULL;
	return person_from(l, first, pre, fold, len,
			   word_keys(l, d, i, n, 0, &l->tmp), respelled);
}

/* One sense per document: a town named like a person ("Perry",
 * "Clark", "Robertson") is that person where the document names them in
 * full.  Only one-word mentions from the GeoNames place list (source
 * "places"; hand lists are trusted), spelt exactly as a part of the
 * person's name, and not used as a place: after "in", "at", "from" and
 * the like, or before ", State". */
static const char *const locatives[] = {
	"in", "at", "from", "to", "near", "into", "outside", "inside", "via",
	"of", "across", "toward", "towards", "around", NULL,
};

static int used_as_place(struct link *l, const struct doc *d, size_t i)
{
	if (i > 0)
		for (int k = 0; locatives[k]; k++)
			if (strcmp(tok_key(d, &d->toks[i - 1]), locatives[k]) == 0)
				return 1;
	return i + 2 < d->ntoks && strcmp(tok_text(d, &d->toks[i + 1]), ",") == 0 &&
	       d->toks[i + 2].pos == TAG_B &&
	       (type_flags(l, tok_type(d, &d->toks[i + 2])) & ETYPE_PLACE);
}

/* Remember that a mention now starts at token i: a new one, or one of
 * l->m that changed its type. */
static void note_made(struct link *l, size_t i)
{
	if (l->nmade == l->capmade) {
		l->capmade = l->capmade ? 2 * l->capmade : 16;
		l->made = xrealloc(l->made, l->capmade * sizeof(*l->made));
	}
	l->made[l->nmade++] = i;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

static size_t link_place_names(struct link *l, struct doc *d)
{
	size_t made = 0;

	for (size_t i = 0; i < d->ntoks; i++) {
		struct tok *t = &d->toks[i];
		int respelled;

		if (t->pos != TAG_B || !(type_flags(l, tok_type(d, t)) & ETYPE_PLACE) ||
		    strcmp(tok_source(d, t), "places") != 0 || doc_mention_len(d, i) != 1 ||
		    used_as_place(l, d, i))
			continue;
		const struct mention *m = person_at(l, d, i, 1, &respelled);

		if (m && !respelled && m->words > 1) {
			doc_tag(d, i, 1, tok_type(d, &d->toks[m->i]),
				tok_canon(d, &d->toks[m->i]), "link:partial", "");
			note_made(l, i);
			made++;
		}
	}
	return made;
}

/* Returns how many mentions it made (or retyped); their first tokens
 * are in l->made. */
static size_t link_partials(struct link *l, struct doc *d)
{
	size_t made;

	l->nmade = 0;
	made = link_place_names(l, d);

	for (size_t i = 0; i < d->ntoks; i++) {
		size_t n = cap_run(d, i);

		if (!n)
			continue;
		size_t from = i;
		int respelled;
		const struct mention *m = person_at(l, d, i, n, &respelled);

		/* "Later Munir said": the first word of a sentence may be
		 * capitalised only for being first. */
		if (!m && n > 1 && (d->toks[i].flags & TOK_SENT)) {
			from = i + 1;
			m = person_at(l, d, from, n - 1, &respelled);
		}
		if (m) {
			doc_tag(d, from, n - (from - i), tok_type(d, &d->toks[m->i]),
				tok_canon(d, &d->toks[m->i]),
				respelled ? "link:partial~fold" : "link:partial", "");
			note_made(l, from);
			made++;
		}
		i += n - 1;
	}
	return made;
}

/* Bring the mentions and the index of name parts up to date with what
 * link_partials made, in place of collecting and indexing the document
 * again: the new mentions go into l->m in document order, a mention
 * that took another type is filled again, and the parts of both are
 * merged into the index.  The sort is stable (glibc sorts by merging),
 * so the index is the one index_parts would make. */
static void add_made(struct link *l, struct doc *d)
{
	size_t j, q, k, retyped = 0, nparts = l->nparts;

	qsort(l->made, l->nmade, sizeof(*l->made), cmp_size);
	for (j = 0, q = 0; q < l->nmade; q++) {
		while (j < l->nm && l->m[j].i < l->made[q])
			j++;
		retyped += j < l->nm && l->m[j].i == l->made[q];
	}
	k = l->nm + l->nmade - retyped;
	if (k > l->capm) {
		l->capm = k;
		l->m = xrealloc(l->m, l->capm * sizeof(*l->m));
	}
	l->newidx = xscratch(l->newidx, &l->capnewidx, l->nm + 1,
			     sizeof(*l->newidx));
	/* Merged from the end, in place: the old mentions move up to make
	 * room for the new ones. */
	for (j = l->nm, q = l->nmade, l->nm = k; q > 0;) {
		size_t at = l->made[q - 1];

		if (j > 0 && l->m[j - 1].i > at) {
			l->m[--k] = l->m[--j];
			l->newidx[j] = k;
			continue;
		}
		if (j > 0 && l->m[j - 1].i == at)
			l->newidx[--j] = k - 1;	/* retyped, not new */
		fill_mention(l, d, &l->m[--k], at, doc_mention_len(d, at));
		q--;
	}
	while (j > 0) {		/* those before the first new one stay */
		j--;
		l->newidx[j] = j;
	}
	pool_fix(l);
	/* The parts of a retyped mention go: it is indexed again below. */
	l->nparts = 0;
	for (size_t p = 0; p < nparts; p++) {
		struct part pt = l->parts[p];

		pt.m = l->newidx[pt.m];
		if (bsearch(&l->m[pt.m].i, l->made, l->nmade, sizeof(*l->made),
			    cmp_size))
			continue;
		l->parts[l->nparts++] = pt;
	}
	nparts = l->nparts;
	for (q = 0, k = 0; q < l->nmade; q++) {
		while (l->m[k].i != l->made[q])
			k++;
		index_mention(l, d, k);
	}
	merge_parts(l, nparts);
}

/* --- 3. canonical names ----------------------------------------------- */

/* Does the space-joined word list keys have the word w among them? */
static int has_word(const char *keys, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = keys; *p; p += strcspn(p, " "), p += *p == ' ')
		if (strncmp(p, w, n) == 0 && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

/* A one-word person from a gazetteer whose word stands inside a longer
 * name in the same document, not at its start or end ("Ali Bagheri
 * Kani ... Bagheri said"): that name, not the gazetteer's person.  The
 * longest such name, the first of equals. */
static const struct mention *inner_name(const struct link *l,
					const struct doc *d,
					const struct mention *m)
{
	const struct mention *best = NULL;

	const char *src = tok_source(d, &d->toks[m->i]);

	if (m->words != 1 || strncmp(src, "link:", 5) == 0 ||
	    strncmp(src, "rule:", 5) == 0)
		return NULL;
	for (size_t k = 0; k < l->nlonger; k++) {
		const struct mention *o = &l->m[l->longer[k]];

		if ((!best || o->words > best->words) &&
		    has_word(pool_str(l, o->keys), pool_str(l, m->keys)))
			best = o;
	}
	return best;
}

static void link_canon(struct link *l, struct doc *d)
{
	/* The names inner_name() looks in: few, so found once. */
	l->nlonger = 0;
	for (size_t k = 0; k < l->nm; k++) {
		if (l->m[k].words <= 2 || !(l->m[k].flags & ETYPE_NAME_PARTS))
			continue;
		if (l->nlonger == l->caplonger) {
			l->caplonger = l->caplonger ? 2 * l->caplonger : 16;
			l->longer = xrealloc(l->longer, l->caplonger * sizeof(*l->longer));
		}
		l->longer[l->nlonger++] = k;
	}
	for (size_t k = 0; k < l->nm; k++) {
		struct mention *m = &l->m[k];
		int respelled;

		if (!(m->flags & ETYPE_NAME_PARTS))
			continue;
		/* The longest full name in the document this one is part of. */
		const struct mention *best = person_with(l, pool_str(l, m->fold),
							 pool_str(l, m->keys),
							 &respelled);

		if (!best || best == m)
			best = inner_name(l, d, m);
		if (best && best != m)
			doc_set_canon(d, m->i, tok_canon(d, &d->toks[best->i]));
	}
}

/* --- 4. ranks ---------------------------------------------------------- */

static const char *rank_attrs(struct link *l, struct doc *d, const struct tok *r)
{
	const char *p = tok_attrs(d, r), *full = NULL, *nato = NULL;
	size_t fl = 0, nl = 0;
	struct attr a;

	while (attr_next(&p, &a)) {
		if (a.vallen && attr_is(&a, "full"))
			full = a.val, fl = a.vallen;
		else if (a.vallen && attr_is(&a, "nato"))
			nato = a.val, nl = a.vallen;
	}
	buf_reset(&l->tmp);
	buf_puts(&l->tmp, "rank=");
	if (full)
		buf_put(&l->tmp, full, fl);
	else
		buf_puts(&l->tmp, tok_canon(d, r));
	if (nato) {
		buf_puts(&l->tmp, ";nato=");
		buf_put(&l->tmp, nato, nl);
	}
	return doc_intern(d, l->tmp.s);
}

/* Honorifics that may stand between a rank and a name ("Admiral Sir
 * Ben Key", "Lt. Gen. Prince Turki"); nerpipe.rules knows them too. */
static int is_honorific(const char *text)
{
	static const char *const h[] = { "Sir", "Dame", "Lord", "Baron",
					 "Baroness", "Prince", "Sheikh",
					 "Sheik", NULL };

	for (int k = 0; h[k]; k++)
		if (strcmp(text, h[k]) == 0)
			return 1;
	return 0;
}

/* Does a rank ending at token end stand right before a name at token
 * name: next to it, with an honorific between, or with a short bracket
 * such as "(retd)" or "(retd.)" between? */
static int rank_before(const struct doc *d, size_t end, size_t name)
{
	return end == name ||
	       (name == end + 1 && is_honorific(tok_text(d, &d->toks[end]))) ||
	       (name >= end + 3 && name <= end + 4 &&
		strcmp(tok_text(d, &d->toks[end]), "(") == 0 &&
		strcmp(tok_text(d, &d->toks[name - 1]), ")") == 0);
}

/* attrs with its rank= and nato= pairs replaced by those of rank. */
static const char *with_rank(struct link *l, struct doc *d, const char *attrs,
			     const char *rank)
{
	struct attr a;

	buf_reset(&l->tmp);
	buf_puts(&l->tmp, rank);
	while (attr_next(&attrs, &a)) {
		if (!a.val || (!attr_is(&a, "rank") && !attr_is(&a, "nato"))) {
			buf_putc(&l->tmp, ';');
			buf_put(&l->tmp, a.item, a.len);
		}
	}
	return doc_intern(d, l->tmp.s);
}

static void link_ranks(struct link *l, struct doc *d)
{
	strmap_clear(&l->ranks);
	for (size_t k = 0; k < l->nm; k++) {
		struct mention *m = &l->m[k];

		if (!(m->flags & ETYPE_TAKES_RANK))
			continue;
		const char *canon = tok_canon(d, &d->toks[m->i]);
		size_t j;

		if (k > 0 && (l->m[k - 1].flags & ETYPE_RANK) &&
		    rank_before(d, l->m[k - 1].i + l->m[k - 1].n, m->i))
			m->rank = rank_attrs(l, d, &d->toks[l->m[k - 1].i]);
		if (m->rank)
			strmap_put(&l->ranks, canon, k);
		else if (strmap_get(&l->ranks, canon, &j))
			m->rank = l->m[j].rank;
		if (m->rank)
			doc_set_attrs(d, m->i, with_rank(l, d,
							 tok_attrs(d, &d->toks[m->i]),
							 m->rank));
	}
}

static int link_run(void *state, struct doc *d, FILE *out)
{
	struct link *l = state;

	(void)out;
	l->ntypes = 0;		/* the addresses were another document's */
	link_acronyms(l, d);
	collect(l, d);
	index_parts(l, d);
	/* Partial names become mentions of their own. */
	if (link_partials(l, d))
		add_made(l, d);
	link_canon(l, d);
	link_ranks(l, d);
	/* One huge document should not leave its pool behind. */
	if (l->pool.cap > DOC_KEEP_BYTES)
		buf_free(&l->pool);
	return EX_OK;
}

static void link_free(void *state)
{
	struct link *l = state;

	if (!l)
		return;
	free(l->m);
	free(l->made);
	free(l->newidx);
	free(l->folds);
	free(l->parts);
	free(l->newparts);
	free(l->longer);
	free(l->acr);
	strmap_free(&l->acronyms);
	strmap_free(&l->ranks);
	buf_free(&l->pool);
	buf_free(&l->tmp);
	buf_free(&l->tmp2);
	free(l);
}

static int link_init(int argc, char **argv, int *argind, void **state)
{
	int c;

	opt_start();
	if ((c = opt_next(&stage_link.cli, argc, argv)) != -1)
		return stage_opt_status(c);
	*argind = optind;
	*state = xcalloc(1, sizeof(struct link));
	return EX_OK;
}

static const struct opt link_opts[] = {
	{ NULL, 0, NULL, NULL },
};

const struct stage_ops stage_link = {
	.cli = {
		.name = "ner-link",
		.usage = "[options] [STREAM...]",
		.about = "Link partial names and acronyms to full ones, give people\n"
			 "their ranks and one canonical name per entity.\n",
		.opts = link_opts,
		.footer = "See ner-link(1).\n",
		.in_order = 1,
	},
	.init = link_init,
	.run = link_run,
	.free = link_free,
};
