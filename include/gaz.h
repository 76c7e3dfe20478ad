/* gaz.h - compiled gazetteers: the binary format, loading and matching. */
#ifndef NERPIPE_GAZ_H
#define NERPIPE_GAZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "doc.h"
#include "err.h"

/*
 * File layout (ner-gazc(1) writes it, native byte order, version 4):
 *
 *   struct gaz_header
 *   struct gaz_slot    slots[nslots]      the index: open addressing,
 *                                         nslots a power of two
 *   struct gaz_entry   entries[nentries]
 *   char               nodes[nodes_size]  node records, 4-byte aligned
 *   char               strings[strings_size]
 *   char               pad[]              NULs, to a multiple of 8 bytes
 *   uint64_t           filter[filter_size / 8]
 *                                         a power of two of words
 *
 * A key is the match keys of an entry's tokens joined by GAZ_SEP.  Every
 * proper prefix of a key is a node too (with no entries), so the matcher
 * extends a match one token at a time and stops at the first miss.
 *
 * A node record is struct gaz_node, then the indexes of its entries
 * (count of them, best entry first), then the key's bytes (keylen of
 * them), padded with NULs to a multiple of 4.  The slot of a key is
 * found from its hash (hash_fnv1a, hash.h): slots[hash & (nslots - 1)], then the
 * slots after it, at most maxprobe of them, until one holds the key's
 * hash and a node with that key, or is empty (node 0).  The hash is in
 * the slot, so a key that is not there costs one cache line, and the
 * entries are in the node, so a key that is costs one more.
 *
 * Most keys looked up are not there (rare words, the second word of a
 * walk), and the index is megabytes, so each such look-up would miss
 * the cache.  The filter, a few hundred KiB at most, answers most of
 * them first: a blocked Bloom filter of 64-bit words, where the hash of
 * every key has the bits gaz_filter_bits gives set in its word.  A key
 * whose bits are not all set is not in the file; one whose bits are may
 * be (a few in a hundred are not), and the index says.
 *
 * Each entry of two words or more is also reachable by its fold key
 * (fold.h): GAZ_FOLD_MARK followed by the fold keys of its tokens,
 * connectors left out.  The matcher uses it when the exact key gives a
 * shorter match or none, and takes a hit only where every word is a
 * spelling variant of the entry's (fold_variant), so "Muhammad Baqeri"
 * finds "Mohammad Bagheri" but "Hamid Karimi" never finds "Hamid
 * Karami".  Entries with case=exact, or of a type with ETYPE_EXACT_KEYS
 * (etype.h), have no fold key, and neither has a one-word entry: a lone
 * word folds too easily onto another name or an ordinary word
 * ("Pashtun" onto "Pashteen", "Quite" onto "Quetta"); a lone surname
 * is joined to a person only by ner-link(1), where the person's other
 * names are in the same document.
 *
 * checksum is gaz_checksum() of every byte after the header.  It is
 * verified, with every structure of the file, only when asked
 * (GAZ_VERIFY): see gaz_open.
 */
#define GAZ_MAGIC "NERGAZ\r\n"
#define GAZ_VERSION 4
#define GAZ_FOLD_MARK '\x1e'
#define GAZ_BOM 0x01020304u
#define GAZ_SEP '\x1f'
#define GAZ_MAXTOKS 32

/* flags */
#define GAZ_NEEDS_CAP 0x1u	/* every entry's first token is capitalised
				   and has a case policy that asks for it */

enum gaz_case { GAZ_CASE_TITLE, GAZ_CASE_EXACT, GAZ_CASE_ANY };

struct gaz_header {
	char magic[8];
	uint32_t version, bom;
	uint32_t nslots, nentries, nnodes, maxtoks;
	uint32_t maxprobe;	/* the most slots any key's search looks at */
	uint32_t flags;
	uint64_t nodes_size, strings_size, file_size;
	uint64_t checksum;
	uint64_t filter_size;	/* bytes, at the end of the file */
};

struct gaz_slot {
	uint32_t hash;
	uint32_t node;		/* byte offset of the node record / 4 + 1;
				   0: an empty slot */
};

struct gaz_node {
	uint32_t keylen;	/* bytes */
	uint32_t count;		/* entries */
};

struct gaz_entry {
	uint32_t surface;	/* the entry's token texts joined by GAZ_SEP */
	uint32_t type, canon, source, attrs;
	uint32_t capmask;	/* bit k: token k starts with a capital */
	int32_t prio;
	uint16_t ntoks;
	uint8_t casepol;	/* enum gaz_case */
	uint8_t pad;
};

/* The word of a filter of nwords words (a power of two) that holds a
 * key of this hash (hash_fnv1a), in *word, and the bits (three, or
 * fewer where two fall together) that must be set in it.  ner-gazc sets
 * them; a look-up tests them.  A file stores the result: it may never
 * change. */
static inline uint64_t gaz_filter_bits(uint32_t hash, uint64_t nwords,
				       uint64_t *word)
{
	/* Fibonacci hashing: the high half of the product depends on
	 * every bit of the hash, and chooses the word; the bits come from
	 * the half below it. */
	uint64_t x = (uint64_t)hash * 0x9e3779b97f4a7c15u;

	*word = (x >> 32) & (nwords - 1);
	return (uint64_t)1 << ((x >> 14) & 63) |
	       (uint64_t)1 << ((x >> 20) & 63) |
	       (uint64_t)1 << ((x >> 26) & 63);
}

/* The file checksum: FNV-1a's step over 64-bit words in the machine's
 * byte order instead of bytes (the last word padded with zeros), then
 * the length; every change of a single word changes it.  Keys are
 * hashed with hash_fnv1a (hash.h). */
uint64_t gaz_checksum(const void *p, size_t n);

struct gaz;

/* Open a compiled gazetteer: map it read-only and check its header,
 * sizes and counts, in constant time.  Returns 0 and sets *out (free
 * with gaz_close), or -1 with e saying why: EX_NOINPUT (cannot read,
 * not a regular file) or EX_DATAERR (not a gazetteer, wrong version,
 * sizes that do not add up), the message starting "path: ".
 *
 * The rest of the file is checked where it is read: every offset, count
 * and probe a look-up follows is checked against the file before it is
 * used, and every string a match hands out is checked to be text, so
 * that no file can make matching loop, read outside the file or write
 * a bad field; what is wrong is returned as a fault (GAZ_BAD_*, below).
 * A fault found where no match reads is not found.
 *
 * With GAZ_VERIFY in flags, the whole file is checked at once as well,
 * in time linear in its size: the checksum ner-gazc wrote (the file has
 * not changed since), then every slot, node and entry as a look-up
 * would.  EX_DATAERR then says the first thing wrong. */
#define GAZ_VERIFY 0x1u

/* The flags to open gazetteers with: GAZ_VERIFY when NERPIPE_GAZ_VERIFY
 * is set in the environment to anything but "" or "0", so that every
 * gazetteer is checked whole before use; else 0. */
unsigned gaz_env_flags(void);

int gaz_open(const char *path, unsigned flags, struct gaz **out,
	     struct err *e);
void gaz_close(struct gaz *g);	/* accepts NULL */

size_t gaz_entries(const struct gaz *g);

/* What a fault (a negative result of gaz_match or gaz_has_types)
 * means, for messages. */
const char *gaz_strfault(int fault);

/* The path g was opened with, for messages; lives as long as g. */
const char *gaz_path(const struct gaz *g);

/* True if every entry of g must start with a capital letter, so that no
 * match can start at a token that does not (GAZ_NEEDS_CAP, which
 * ner-gazc works out). */
int gaz_needs_cap(const struct gaz *g);

/* What a match found; strings point into the gazetteer. */
struct gaz_hit {
	size_t len;		/* tokens */
	const char *type, *canon, *source, *attrs;
	int folded;		/* found by fold key, some word spelt otherwise */
};

/* Faults of a file found by a match or a look-up (gaz_strfault says
 * what each means, for messages). */
#define GAZ_BAD_CANON (-1)	/* a canonical name is not UTF-8 text */
#define GAZ_BAD_NTOKS (-2)	/* an entry's token count is not its key's */
#define GAZ_BAD_NODE (-3)	/* a node out of the file */
#define GAZ_BAD_ENTRY (-4)	/* an entry index or field out of range */
#define GAZ_BAD_TYPE (-5)	/* a type that is not upper-case letters */
#define GAZ_BAD_TEXT (-6)	/* a surface, source or attributes that are
				   not UTF-8 text */

/* Find the longest entry whose key matches d's tokens from i on and
 * whose case policy accepts the text.  A match never runs into a token
 * that starts a sentence or a line, nor, unless overwrite is set, into a
 * token that is already tagged.  Returns 1 and fills hit, 0, or a fault
 * of the file found on the way (GAZ_BAD_*). */
int gaz_match(const struct gaz *g, const struct doc *d, size_t i,
	      int overwrite, struct gaz_hit *hit);

/* A memo of look-ups in g, for one thread: gaz_memo_match answers as
 * gaz_match does, and keeps what it finds for the first token of a
 * match and for the later words of a match by fold key (by their whole
 * match keys), and which entries are good, so that the common words
 * cost no look-up in the file the next time, in this document or a
 * later one.  Its memory is bounded: about 384 KiB, and a bit per entry
 * of g.  It must not outlive g, and may only be used by one thread at a
 * time.  gaz_memo_free accepts NULL. */
struct gaz_memo;

struct gaz_memo *gaz_memo_new(const struct gaz *g);
void gaz_memo_free(struct gaz_memo *m);

/* gaz_match(g, d, i, overwrite, hit) for the g of m, with its memo. */
int gaz_memo_match(struct gaz_memo *m, const struct doc *d, size_t i,
		   int overwrite, struct gaz_hit *hit);

/* False if no match can start at a token with this match key: neither
 * the key nor its fold key begins any entry.  A fault on the way counts
 * as true: the match there will meet it. */
int gaz_may_start(const struct gaz *g, const char *key);

/* True if the single key s[0..n) is an entry (of type, unless NULL);
 * false also where a fault is found. */
int gaz_has(const struct gaz *g, const char *s, size_t n, const char *type);

/* The same for several types at once, with one look-up: sets bit k of
 * *mask if s[0..n) is an entry of types[k] (of any type where types[k]
 * is NULL); ntypes is at most 32.  Returns 0, or a fault (GAZ_BAD_*). */
int gaz_has_types(const struct gaz *g, const char *s, size_t n,
		  const char *const *types, size_t ntypes, uint32_t *mask);

/* --- building (ner-gazc) ---------------------------------------------- */

struct gaz_builder;

struct gaz_builder *gaz_builder_new(void);
void gaz_builder_free(struct gaz_builder *b);	/* accepts NULL */

/* Add one entry.  canon "" means the surface.  attrs may carry case=,
 * prio= and fold=, which are taken out.  fold=SPELLING is a guard: the
 * entry is left out (and counted, gaz_builder_left_out) unless SPELLING
 * has the fold key (fold.h) of the canonical name and no entry with a
 * fold= guard came in with the same key before, so that a generator can
 * offer the respellings of names and leave the test to the one fold key
 * there is.  Returns 0, 1 for an entry left out, or -1 with e saying why
 * (EX_DATAERR: empty surface, bad case policy, too many tokens). */
int gaz_builder_add(struct gaz_builder *b, const char *surface,
		    const char *type, const char *canon, const char *attrs,
		    const char *source, struct err *e);

/* Write the compiled file to path (O_NOFOLLOW: a symbolic link there
 * is an error, ELOOP); the final close is checked.  Returns 0, or -1
 * with errno set. */
int gaz_builder_write(struct gaz_builder *b, const char *path);

size_t gaz_builder_count(const struct gaz_builder *b);

/* How many entries their fold= guard left out. */
size_t gaz_builder_left_out(const struct gaz_builder *b);

/* Add every entry of a gazetteer source (gazetteers/README: surface TAB
 * type TAB canonical TAB attrs; # comments and blank lines skipped).  An
 * entry with a co-operate or co-ordinate word is added in both spellings
 * (Cooperation, Co-operation), the other one with the entry's canonical
 * name.  The source name of the entries is path's base name without
 * .tsv.  Returns 0, or -1 with e saying why (EX_DATAERR, "path:line:
 * why", also for a read error). */
int gaz_builder_load_tsv(struct gaz_builder *b, FILE *fp, const char *path,
			 struct err *e);

#endif
