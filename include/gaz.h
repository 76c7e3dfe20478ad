/* gaz.h - compiled gazetteers: the binary format, loading and matching. */
#ifndef NERPIPE_GAZ_H
#define NERPIPE_GAZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "doc.h"

/*
 * File layout (ner-gazc(1) writes it, native byte order):
 *
 *   struct gaz_header
 *   struct gaz_node    nodes[nnodes]      one per distinct key or key prefix
 *   struct gaz_entry   entries[nentries]
 *   uint32_t           refs[nrefs]        entry indexes, grouped by node,
 *                                         best entry first
 *   uint32_t           buckets[nbuckets]  node index + 1, 0 for none
 *   char               strings[strings_size]
 *
 * A key is the match keys of an entry's tokens joined by GAZ_SEP.  Every
 * proper prefix of a key is a node too (with no entries), so the matcher
 * extends a match one token at a time and stops at the first miss.
 *
 * Each entry of two words or more is also reachable by its fold key
 * (fold.h): GAZ_FOLD_MARK followed by the fold keys of its tokens,
 * connectors left out.  The matcher uses it when the exact key gives a
 * shorter match or none, and takes a hit only where every word is a
 * spelling variant of the entry's (fold_variant), so "Muhammad Baqeri"
 * finds "Mohammad Bagheri" but "Hamid Karimi" never finds "Hamid
 * Karami".  Entries with case=exact have no fold key, and neither has a
 * one-word entry: a lone word folds too easily onto another name or an
 * ordinary word ("Pashtun" onto "Pashteen", "Quite" onto "Quetta"); a
 * lone surname is joined to a person only by ner-link(1), where the
 * person's other names are in the same document.
 */
#define GAZ_MAGIC "NERGAZ\r\n"
#define GAZ_VERSION 2
#define GAZ_FOLD_MARK '\x1e'
#define GAZ_BOM 0x01020304u
#define GAZ_SEP '\x1f'
#define GAZ_MAXTOKS 32

enum gaz_case { GAZ_CASE_TITLE, GAZ_CASE_EXACT, GAZ_CASE_ANY };

struct gaz_header {
	char magic[8];
	uint32_t version, bom;
	uint32_t nnodes, nentries, nrefs, nbuckets, maxtoks, pad;
	uint64_t strings_size, file_size;
};

struct gaz_node {
	uint32_t key, keylen, hash, next;	/* next: node index + 1 */
	uint32_t first, count;			/* its refs */
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

uint32_t gaz_hash(const char *s, size_t n, uint32_t h);
#define GAZ_HASH_INIT 2166136261u

struct gaz;

/* Load a compiled gazetteer.  Returns 0 and sets *out (free with
 * gaz_close), or EX_NOINPUT (cannot read, not a regular file) /
 * EX_DATAERR (not a gazetteer, wrong version, corrupt) with a message in
 * err.  Every offset, count and hash chain is checked here, in time
 * linear in the nodes and entries, so that no file can make matching
 * loop or read outside the file; types, sources and attributes are
 * checked to be text too.  What would need the keys or the canonical
 * names read (most of the file) is checked by gaz_match when a match
 * finds the entry, so that loading stays fast. */
int gaz_open(const char *path, struct gaz **out, char *err, size_t errlen);
void gaz_close(struct gaz *g);	/* accepts NULL */

size_t gaz_entries(const struct gaz *g);

/* What a negative gaz_match result means, for messages. */
const char *gaz_strfault(int fault);

/* The path g was opened with, for messages; lives as long as g. */
const char *gaz_path(const struct gaz *g);

/* True if every entry of g must start with a capital letter, so that no
 * match can start at a token that does not. */
int gaz_needs_cap(const struct gaz *g);

/* What a match found; strings point into the gazetteer. */
struct gaz_hit {
	size_t len;		/* tokens */
	const char *type, *canon, *source, *attrs;
	int prio;
	int folded;		/* found by fold key, some word spelt otherwise */
};

/* Find the longest entry whose key matches d's tokens from i on and
 * whose case policy accepts the text.  A match never runs into a token
 * that starts a sentence or a line, nor, unless overwrite is set, into a
 * token that is already tagged.  Returns 1 and fills hit, 0, or a fault of the
 * file found on the way (a corrupt file; gaz_strfault says what):
 * GAZ_BAD_NTOKS, an entry whose token count is not its key's, or
 * GAZ_BAD_CANON, a canonical name that is not UTF-8 text. */
#define GAZ_BAD_NTOKS (-2)
#define GAZ_BAD_CANON (-1)
int gaz_match(const struct gaz *g, const struct doc *d, size_t i,
	      int overwrite, struct gaz_hit *hit);

/* False if no match can start at a token with this match key: neither
 * the key nor its fold key begins any entry. */
int gaz_may_start(const struct gaz *g, const char *key);

/* True if the single key s[0..n) is an entry (of type, unless NULL). */
int gaz_has(const struct gaz *g, const char *s, size_t n, const char *type);

/* The same for several types at once, with one look-up: bit k of the
 * result is set if s[0..n) is an entry of types[k] (of any type where
 * types[k] is NULL); ntypes is at most 32. */
uint32_t gaz_has_types(const struct gaz *g, const char *s, size_t n,
		       const char *const *types, size_t ntypes);

/* --- building (ner-gazc) ---------------------------------------------- */

struct gaz_builder;

struct gaz_builder *gaz_builder_new(void);
void gaz_builder_free(struct gaz_builder *b);	/* accepts NULL */

/* Add one entry.  canon "" means the surface.  attrs may carry case=
 * and prio=, which are taken out.  Returns 0, or -1 with a reason in err
 * (empty surface, bad case policy, too many tokens). */
int gaz_builder_add(struct gaz_builder *b, const char *surface,
		    const char *type, const char *canon, const char *attrs,
		    const char *source, char *err, size_t errlen);

/* Write the compiled file to path (O_NOFOLLOW: a symbolic link there
 * is an error, ELOOP); the final close is checked.  Returns 0, or -1
 * with errno set. */
int gaz_builder_write(struct gaz_builder *b, const char *path);

size_t gaz_builder_count(const struct gaz_builder *b);

/* Add every entry of a gazetteer source (gazetteers/README: surface TAB
 * type TAB canonical TAB attrs; # comments and blank lines skipped).  The
 * source name of the entries is path's base name without .tsv.  Returns
 * 0, or -1 with "path:line: why" in err. */
int gaz_builder_load_tsv(struct gaz_builder *b, FILE *fp, const char *path,
			 char *err, size_t errlen);

#endif
