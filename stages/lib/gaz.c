/* gaz.c - load a compiled gazetteer and match token sequences against it. */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "err.h"
#include "etype.h"
#include "fold.h"
#include "gaz.h"
#include "hash.h"
#include "utf.h"

struct gaz {
	char *path;		/* for messages */
	void *map;
	size_t size;
	const struct gaz_header *h;
	const struct gaz_slot *slots;
	const struct gaz_entry *entries;
	const char *nodes;
	const char *strings;
	const uint64_t *filter;
	uint64_t nwords;	/* of the filter, a power of two */
	uint32_t mask;		/* nslots - 1 */
	/* Strings a match has found to be good (checked_ok): offset + 1,
	 * in one of CHECKED_SLOTS slots by the offset (see checked_ok).
	 * Entries share their types, sources and attributes, so most hits
	 * need no scan.  Threads share it; a slot holds one offset or
	 * another, each good. */
	_Atomic uint32_t *checked;
};

#define CHECKED_SLOTS 256

uint64_t gaz_checksum(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 14695981039346656037u, w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 1099511628211u;
	}
	w = 0;
	memcpy(&w, s + i, n - i);
	h = (h ^ w) * 1099511628211u;
	return (h ^ n) * 1099511628211u;
}

static int corrupt(struct err *e, const char *path, const char *why)
{
	return err_set(e, EX_DATAERR, "%s: not a usable gazetteer: %s", path, why);
}

static int str_ok(const struct gaz *g, uint32_t off)
{
	return off < g->h->strings_size;
}

/* Is the string at off (NUL-terminated: the table ends in one) valid
 * UTF-8 without control characters, so that it can go into a stream
 * field or a report as it is? */
static int text_ok(const struct gaz *g, uint32_t off)
{
	const char *s = g->strings + off;
	size_t i = 0, n = 0;	/* n: the length, once needed */

	/* Every match hands on four strings: ASCII, most of them, is
	 * checked a byte at a time without decoding. */
	for (;;) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\0')
			return 1;
		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return 0;
			i++;
			continue;
		}
		int32_t cp;

		if (!n)
			n = i + strlen(s + i);
		int len = utf_decode(s + i, n - i, &cp);

		if (len < 0 || cp < 0x20 || cp == 0x7f)
			return 0;
		i += (size_t)len;
	}
}

/* A type goes into the stream unescaped (B-TYPE): upper-case letters. */
static int type_ok(const struct gaz *g, uint32_t off)
{
	const char *s = g->strings + off;

	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < 'A' || *s > 'Z')
			return 0;
	return 1;
}

/* --- checked access ----------------------------------------------------
 *
 * Nothing past the header is trusted: each node and entry is checked
 * against the file where a look-up reaches it, in constant time, and
 * each string a match hands out is checked to be text. */

static const uint32_t *node_entries(const struct gaz_node *nd)
{
	return (const uint32_t *)(nd + 1);
}

static const char *node_key(const struct gaz_node *nd)
{
	return (const char *)(node_entries(nd) + nd->count);
}

/* The node record a slot points to, whole inside the nodes table; NULL
 * and *fault set if it is not. */
static const struct gaz_node *node_at(const struct gaz *g, uint32_t ref,
				      int *fault)
{
	uint64_t off = (uint64_t)(ref - 1) * 4, size = g->h->nodes_size;
	const struct gaz_node *nd;

	if (off + sizeof(*nd) > size) {
		*fault = GAZ_BAD_NODE;
		return NULL;
	}
	nd = (const void *)(g->nodes + off);
	if ((uint64_t)nd->count * 4 + nd->keylen > size - off - sizeof(*nd)) {
		*fault = GAZ_BAD_NODE;
		return NULL;
	}
	return nd;
}

/* Entry k of node nd, its fields inside the file; NULL and *fault set
 * if not. */
static const struct gaz_entry *entry_at(const struct gaz *g,
					const struct gaz_node *nd, uint32_t k,
					int *fault)
{
	uint32_t i = node_entries(nd)[k];
	const struct gaz_entry *e;

	if (i >= g->h->nentries) {
		*fault = GAZ_BAD_ENTRY;
		return NULL;
	}
	e = &g->entries[i];
	if (!str_ok(g, e->surface) || !str_ok(g, e->type) ||
	    !str_ok(g, e->canon) || !str_ok(g, e->source) ||
	    !str_ok(g, e->attrs) || e->casepol > GAZ_CASE_ANY ||
	    e->ntoks == 0 || e->ntoks > GAZ_MAXTOKS) {
		*fault = GAZ_BAD_ENTRY;
		return NULL;
	}
	return e;
}

/* May a key of this hash be in g?  False means it is not. */
static inline int filter_has(const struct gaz *g, uint32_t hash)
{
	uint64_t word, bits = gaz_filter_bits(hash, g->nwords, &word);

	return (g->filter[word] & bits) == bits;
}

/* find, past the filter. */
static const struct gaz_node *find_slot(const struct gaz *g, const char *key,
					size_t n, uint32_t hash, int *fault)
{
	uint32_t i = hash & g->mask;

	for (uint32_t probe = 0; probe < g->h->maxprobe; probe++) {
		const struct gaz_slot *s = &g->slots[i];

		if (!s->node)
			return NULL;
		if (s->hash == hash) {
			const struct gaz_node *nd = node_at(g, s->node, fault);

			if (!nd)
				return NULL;
			if (nd->keylen == n && memcmp(node_key(nd), key, n) == 0)
				return nd;
		}
		i = (i + 1) & g->mask;
	}
	return NULL;
}

/* The node of key[0..n) (hash: its hash_fnv1a), or NULL: not there, or
 * *fault set.  The filter answers most keys that are not there, here
 * without a call; at most maxprobe slots are looked at, so that a full
 * index cannot make the search go round for ever. */
static inline const struct gaz_node *find(const struct gaz *g,
					  const char *key, size_t n,
					  uint32_t hash, int *fault)
{
	if (!filter_has(g, hash))
		return NULL;
	return find_slot(g, key, n, hash, fault);
}

/* The node that ref, a slot's node field, names (0: NULL), where
 * node_at has found it whole before; and back, the ref of nd. */
static const struct gaz_node *node_of(const struct gaz *g, uint32_t ref)
{
	return ref ? (const void *)(g->nodes + (uint64_t)(ref - 1) * 4) : NULL;
}

static uint32_t ref_of(const struct gaz *g, const struct gaz_node *nd)
{
	return nd ? (uint32_t)(((const char *)nd - g->nodes) / 4 + 1) : 0;
}

/* --- opening ------------------------------------------------------------ */

static int map_file(const char *path, struct gaz *g, struct err *e)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK);	/* a FIFO must not block */

	if (fd < 0)
		return err_set(e, EX_NOINPUT, "%s:", path);
	if (fstat(fd, &st) < 0) {
		err_set(e, EX_NOINPUT, "%s:", path);
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		err_set(e, EX_NOINPUT, "%s: %s", path, S_ISDIR(st.st_mode) ?
			"is a directory" : "not a regular file");
		close(fd);
		return -1;
	}
	g->size = (size_t)st.st_size;
	if (g->size < sizeof(struct gaz_header)) {
		close(fd);
		return corrupt(e, path, "too short");
	}
	g->map = mmap(NULL, g->size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (g->map == MAP_FAILED) {
		g->map = NULL;
		return err_set(e, EX_NOINPUT, "%s: mmap:", path);
	}
	return 0;
}

/* Where the filter starts: after the strings, at a multiple of 8. */
static uint64_t filter_at(const struct gaz_header *h)
{
	uint64_t end = sizeof(*h) +
		       (uint64_t)h->nslots * sizeof(struct gaz_slot) +
		       (uint64_t)h->nentries * sizeof(struct gaz_entry) +
		       h->nodes_size + h->strings_size;

	return (end + 7) / 8 * 8;
}

/* What is wrong with the header's sizes and counts, or NULL; before
 * any pointer into the file is made. */
static const char *check_header(const struct gaz_header *h, size_t size)
{
	uint64_t nwords = h->filter_size / 8;

	if (h->file_size != size || h->nodes_size > size ||
	    h->strings_size > size || h->filter_size > size ||
	    filter_at(h) + h->filter_size != size)
		return "size does not match its header (truncated?)";
	if (h->filter_size % 8 != 0 || nwords == 0 ||
	    (nwords & (nwords - 1)) != 0)
		return "filter size out of range";
	if (h->nslots == 0 || (h->nslots & (h->nslots - 1)) != 0 ||
	    h->nnodes > h->nslots || h->maxprobe == 0 ||
	    h->maxprobe > h->nslots || h->nodes_size % 4 != 0)
		return "index out of range";
	if (h->maxtoks > GAZ_MAXTOKS)
		return "too many tokens per entry";
	if (h->flags & ~GAZ_NEEDS_CAP)
		return "unknown flags";
	if (h->strings_size == 0)
		return "string table not terminated";
	return NULL;
}

static const char *verify(const struct gaz *g);

unsigned gaz_env_flags(void)
{
	const char *env = getenv("NERPIPE_GAZ_VERIFY");

	return env && *env && strcmp(env, "0") != 0 ? GAZ_VERIFY : 0;
}

int gaz_open(const char *path, unsigned flags, struct gaz **out,
	     struct err *e)
{
	struct gaz *g = xcalloc(1, sizeof(*g));
	const struct gaz_header *h;
	const char *why;
	int st = map_file(path, g, e);

	g->checked = xcalloc(CHECKED_SLOTS, sizeof(*g->checked));

	*out = NULL;
	g->path = xstrdup(path);
	if (st)
		goto out_free;
	h = g->h = g->map;
	st = -1;
	if (memcmp(h->magic, GAZ_MAGIC, 8) != 0) {
		corrupt(e, path, "bad magic number");
		goto out_free;
	}
	if (h->bom != GAZ_BOM || h->version != GAZ_VERSION) {
		err_set(e, EX_DATAERR, "%s: gazetteer format version %u, this "
			"program reads %d: recompile it with ner-gazc",
			path, h->bom == GAZ_BOM ? h->version : 0, GAZ_VERSION);
		goto out_free;
	}
	if ((why = check_header(h, g->size))) {
		corrupt(e, path, why);
		goto out_free;
	}
	g->slots = (const void *)(h + 1);
	g->entries = (const void *)(g->slots + h->nslots);
	g->nodes = (const char *)(g->entries + h->nentries);
	g->strings = g->nodes + h->nodes_size;
	g->filter = (const void *)((const char *)g->map + filter_at(h));
	g->nwords = h->filter_size / 8;
	g->mask = h->nslots - 1;
	if (g->strings[h->strings_size - 1] != '\0')
		why = "string table not terminated";
	else if (flags & GAZ_VERIFY)
		why = verify(g);
	if (why) {
		corrupt(e, path, why);
		goto out_free;
	}
	*out = g;
	return 0;
out_free:
	gaz_close(g);
	return st;
}

void gaz_close(struct gaz *g)
{
	if (!g)
		return;
	if (g->map)
		munmap(g->map, g->size);
	free((void *)g->checked);
	free(g->path);
	free(g);
}

const char *gaz_strfault(int fault)
{
	switch (fault) {
	case GAZ_BAD_NTOKS: return "entry's token count does not match its key";
	case GAZ_BAD_NODE: return "node out of range";
	case GAZ_BAD_ENTRY: return "entry out of range";
	case GAZ_BAD_TYPE: return "entry type is not upper-case letters";
	case GAZ_BAD_TEXT: return "entry string is not UTF-8 text";
	default: return "canonical name is not UTF-8 text";
	}
}

const char *gaz_path(const struct gaz *g)
{
	return g->path;
}

size_t gaz_entries(const struct gaz *g)
{
	return g->h->nentries;
}

int gaz_needs_cap(const struct gaz *g)
{
	return (g->h->flags & GAZ_NEEDS_CAP) != 0;
}

/* --- the whole file, on request ------------------------------------------ */

/* Does an entry of exact key key[0..n) have as many tokens as the key? */
static int ntoks_ok(const struct gaz_entry *e, const char *key, size_t n)
{
	size_t seps = 0;

	for (size_t i = 0; i < n; i++)
		seps += key[i] == GAZ_SEP;
	return e->ntoks == seps + 1;
}

/* What a look-up could meet at slot i, or NULL: its node inside the
 * file, hashed as its key, found within maxprobe slots of its home, with
 * entries inside the file and, for an exact key, of its token count. */
static const char *verify_slot(const struct gaz *g, uint32_t i)
{
	const struct gaz_slot *s = &g->slots[i];
	const struct gaz_node *nd;
	int fault = 0;

	if (!s->node)
		return NULL;
	if (!(nd = node_at(g, s->node, &fault)))
		return gaz_strfault(fault);
	if (hash_fnv1a(node_key(nd), nd->keylen, HASH_FNV1A_INIT) != s->hash)
		return "a key is not where its hash puts it";
	if (!filter_has(g, s->hash))
		return "a key is missing from the filter";
	uint32_t dist = (i - s->hash) & g->mask;

	if (dist >= g->h->maxprobe)
		return "a key is beyond the probe limit";
	for (uint32_t k = 1; k <= dist; k++)
		if (!g->slots[(i - k) & g->mask].node)
			return "a key is not where its hash puts it";
	for (uint32_t k = 0; k < nd->count; k++) {
		const struct gaz_entry *e = entry_at(g, nd, k, &fault);

		if (!e)
			return gaz_strfault(fault);
		if ((nd->keylen == 0 || node_key(nd)[0] != GAZ_FOLD_MARK) &&
		    !ntoks_ok(e, node_key(nd), nd->keylen))
			return gaz_strfault(GAZ_BAD_NTOKS);
	}
	return NULL;
}

/* Check the checksum, then everything a look-up or a match could read,
 * in time linear in the file. */
static const char *verify(const struct gaz *g)
{
	const struct gaz_header *h = g->h;
	const char *why;
	uint32_t used = 0;
	int caps = 1;

	if (gaz_checksum(h + 1, g->size - sizeof(*h)) != h->checksum)
		return "checksum does not match (the file changed after "
		       "ner-gazc wrote it)";
	for (uint32_t i = 0; i < h->nslots; i++) {
		if ((why = verify_slot(g, i)))
			return why;
		used += g->slots[i].node != 0;
	}
	if (used != h->nnodes)
		return "index out of range";
	for (uint32_t i = 0; i < h->nentries; i++) {
		const struct gaz_entry *e = &g->entries[i];

		if (!str_ok(g, e->surface) || !str_ok(g, e->type) ||
		    !str_ok(g, e->canon) || !str_ok(g, e->source) ||
		    !str_ok(g, e->attrs) || e->casepol > GAZ_CASE_ANY ||
		    e->ntoks == 0 || e->ntoks > GAZ_MAXTOKS)
			return gaz_strfault(GAZ_BAD_ENTRY);
		if (!type_ok(g, e->type))
			return gaz_strfault(GAZ_BAD_TYPE);
		if (!text_ok(g, e->source) || !text_ok(g, e->attrs))
			return gaz_strfault(GAZ_BAD_TEXT);
		if (!text_ok(g, e->canon))
			return gaz_strfault(GAZ_BAD_CANON);
		if (e->casepol == GAZ_CASE_ANY || !(e->capmask & 1))
			caps = 0;
	}
	if ((h->flags & GAZ_NEEDS_CAP) && !caps)
		return "an entry does not start with a capital letter, as the "
		       "header says all do";
	return NULL;
}

/* --- matching ------------------------------------------------------------ */

/* utf_starts_upper(s), without a call for the ASCII letter most tokens
 * start with: a match asks it of each token two or three times. */
static inline int starts_upper(const char *s)
{
	unsigned char c = (unsigned char)s[0];

	return c < 0x80 ? c >= 'A' && c <= 'Z' : utf_starts_upper(s);
}

/* Does the text of d's tokens from i on satisfy e's case policy? */
static int case_ok(const struct gaz *g, const struct gaz_entry *e,
		   const struct doc *d, size_t i)
{
	const struct tok *toks = d->toks + i;

	if (e->casepol == GAZ_CASE_ANY)
		return 1;
	if (e->casepol == GAZ_CASE_TITLE) {
		for (unsigned k = 0; k < e->ntoks; k++)
			if (((e->capmask >> k) & 1) &&
			    !starts_upper(tok_text(d, &toks[k])))
				return 0;
		return 1;
	}
	const char *s = g->strings + e->surface;

	for (unsigned k = 0; k < e->ntoks; k++) {
		const char *text = tok_text(d, &toks[k]);
		size_t n = strlen(text);

		if (strncmp(s, text, n) != 0 ||
		    (s[n] != GAZ_SEP && s[n] != '\0'))
			return 0;
		s += n + (s[n] == GAZ_SEP);
	}
	return 1;
}

/* Is the string at off good, by ok (type_ok or text_ok)?  Remembered
 * in g->checked: a type is upper-case letters, so a string found good
 * as a type is good text too, but not the other way round, and types
 * are kept apart (slot + 1 past the half). */
static int checked_ok(const struct gaz *g, uint32_t off,
		      int (*ok)(const struct gaz *, uint32_t))
{
	uint32_t k = off % (CHECKED_SLOTS / 2) +
		     (ok == type_ok ? CHECKED_SLOTS / 2 : 0);

	if (off == UINT32_MAX)	/* off + 1 would be an empty slot */
		return ok(g, off);
	if (atomic_load_explicit(&g->checked[k], memory_order_relaxed) ==
	    off + 1)
		return 1;
	if (!ok(g, off))
		return 0;
	atomic_store_explicit(&g->checked[k], off + 1, memory_order_relaxed);
	return 1;
}

/* --- the memo ------------------------------------------------------------
 *
 * Most tokens are common words, and the first look-up of a match at one
 * fails or succeeds the same way every time: a few cache misses in a
 * file of megabytes each time, and a fold key to make for a capitalised
 * word.  A thread's memo (gaz_memo_new) keeps those answers for the keys
 * it met last, in up to MEMO_SLOTS slots, two for each hash of a key,
 * the one met last first.  Each slot has its whole key: an answer is only taken
 * for the same key, and is what a look-up would find, since the file
 * does not change.  A look-up that met a fault is not kept, so that the
 * next one meets it again.
 *
 * Each later step of a fold walk, from the node of the fold key so far
 * with the next word, is kept the same way, in up to STEP_SLOTS slots,
 * by the node (whose key is the key so far) and the word's whole key, so
 * that the word's fold key is not made again.  (A later step of an exact
 * walk is not kept: its key is hashed either way, and the filter
 * answers as cheaply as a memo would.)
 *
 * The memo also marks the entries whose fields and strings a match has
 * found good (entry_at, fill_hit), so that a hit on one is not checked
 * again: a bit per entry, bounded by the file. */

#define MEMO_SLOTS 4096		/* a power of two */
#define STEP_SLOTS 8192		/* a power of two */
/* Both tables start at this many slots and double, up to the above,
 * each time as many keys as they have slots came in since the last
 * doubling: a run over one short article does not touch the pages of
 * the whole memo. */
#define MEMO_SLOTS_START 256
#define MEMO_KEY 15		/* the longest key kept, bytes */
#define MEMO_UNKNOWN UINT32_MAX	/* no answer yet; a node that a slot
				   names so is looked up every time */

/* Two to a cache line, the two of a hash.  An empty slot has the key ""
 * and the hash 0, which is not the hash of "". */
struct memo_slot {
	uint32_t hash;		/* hash_fnv1a of the key */
	uint32_t exact;		/* the key's node, as a slot names it; 0: none */
	uint32_t fold;		/* the node of its fold key; 0: none */
	uint32_t foldhash;	/* hash_fnv1a of the fold key, once fold is known */
	char key[MEMO_KEY + 1];	/* padded with NULs, then its length */
};

/* A step of a fold walk: from the node from with a word, the two of a
 * hash in a cache line.  An empty slot has from 0, which names no node. */
struct step_slot {
	uint32_t from;		/* the node walked from, as a slot names it */
	uint32_t node;		/* the node walked to; 0: none */
	uint32_t hash;		/* hash_fnv1a of its key, once node is known */
	uint32_t unused;
	char key[MEMO_KEY + 1];	/* the word's key, as a memo_slot's */
};

struct gaz_memo {
	const struct gaz *g;
	void *mem, *stepmem;		/* slots and steps, as allocated */
	struct memo_slot *slots;	/* nslots of them, from a cache
					   line's start */
	struct step_slot *steps;	/* nsteps of them, likewise */
	size_t nslots, nsteps;		/* powers of two */
	size_t slots_added, steps_added;	/* keys since the last doubling */
	uint8_t *good;			/* bit i: entry i is good; NULL: none */
};

/* n zeroed slots of size bytes each, from a cache line's start, in
 * *mem as allocated. */
static void *memo_table(void **mem, size_t n, size_t size)
{
	*mem = xcalloc(n + 2, size);
	return (void *)(((uintptr_t)*mem + 63) & ~(uintptr_t)63);
}

static int memo_slot_empty(const struct memo_slot *ms)
{
	return ms->hash == 0 && ms->key[0] == '\0';
}

/* Double the key slots, keeping the keys (the later of two that meet
 * in a pair of the new table is dropped: a memo may forget). */
static void memo_grow(struct gaz_memo *m)
{
	void *oldmem = m->mem;
	struct memo_slot *old = m->slots;
	size_t oldn = m->nslots;

	m->nslots *= 2;
	m->slots = memo_table(&m->mem, m->nslots, sizeof(*m->slots));
	for (size_t k = 0; k < oldn; k++) {
		struct memo_slot *ms;

		if (memo_slot_empty(&old[k]))
			continue;
		ms = &m->slots[(old[k].hash & (m->nslots / 2 - 1)) * 2];
		if (memo_slot_empty(&ms[0]))
			ms[0] = old[k];
		else if (memo_slot_empty(&ms[1]))
			ms[1] = old[k];
	}
	free(oldmem);
	m->slots_added = 0;
}

/* Double the step slots.  A step is filed under a hash of its word and
 * node that its slot does not keep, so the steps known are dropped (a
 * memo may forget). */
static void steps_grow(struct gaz_memo *m)
{
	free(m->stepmem);
	m->nsteps *= 2;
	m->steps = memo_table(&m->stepmem, m->nsteps, sizeof(*m->steps));
	m->steps_added = 0;
}

struct gaz_memo *gaz_memo_new(const struct gaz *g)
{
	struct gaz_memo *m = xcalloc(1, sizeof(*m));

	m->g = g;
	m->nslots = m->nsteps = MEMO_SLOTS_START;
	m->slots = memo_table(&m->mem, m->nslots, sizeof(*m->slots));
	m->steps = memo_table(&m->stepmem, m->nsteps, sizeof(*m->steps));
	return m;
}

void gaz_memo_free(struct gaz_memo *m)
{
	if (!m)
		return;
	free(m->mem);
	free(m->stepmem);
	free(m->good);
	free(m);
}

/* The NUL-terminated key as a memo keeps it, in pad (padded with NULs,
 * then its length), and its hash_fnv1a, in one pass; 0 if the key is
 * too long to keep. */
static inline int memo_key(const char *key, char pad[MEMO_KEY + 1],
			    uint32_t *hash)
{
	uint32_t h = HASH_FNV1A_INIT;
	size_t n;

	memset(pad, 0, MEMO_KEY + 1);
	for (n = 0; key[n]; n++) {
		if (n == MEMO_KEY)
			return 0;
		pad[n] = key[n];
		h = hash_fnv1a(key + n, 1, h);
	}
	pad[MEMO_KEY] = (char)n;
	*hash = h;
	return 1;
}

/* The slot of the NUL-terminated key, emptied for it if another key
 * held it; NULL if the key is too long to keep.  The key is compared as
 * a whole. */
static struct memo_slot *memo_slot(struct gaz_memo *m, const char *key)
{
	char pad[MEMO_KEY + 1];
	uint32_t hash;
	struct memo_slot *ms;

	if (!memo_key(key, pad, &hash))
		return NULL;
	ms = &m->slots[(hash & (m->nslots / 2 - 1)) * 2];
	if (ms[0].hash == hash && memcmp(ms[0].key, pad, sizeof(pad)) == 0)
		return &ms[0];
	if (ms[1].hash == hash && memcmp(ms[1].key, pad, sizeof(pad)) == 0) {
		struct memo_slot hit = ms[1];

		ms[1] = ms[0];
		ms[0] = hit;
		return &ms[0];
	}
	if (m->nslots < MEMO_SLOTS && ++m->slots_added > m->nslots) {
		memo_grow(m);
		ms = &m->slots[(hash & (m->nslots / 2 - 1)) * 2];
	}
	ms[1] = ms[0];
	ms[0].hash = hash;
	ms[0].exact = ms[0].fold = MEMO_UNKNOWN;
	memcpy(ms[0].key, pad, sizeof(pad));
	return &ms[0];
}

/* The slot of the step from the node ref from with the word pad (as
 * memo_key pads it), of this hash, emptied for it if another step held
 * it. */
static struct step_slot *step_slot(struct gaz_memo *m, uint32_t from,
				   const char pad[MEMO_KEY + 1], uint32_t hash)
{
	struct step_slot *ss = &m->steps[(hash & (m->nsteps / 2 - 1)) * 2];

	if (ss[0].from == from && memcmp(ss[0].key, pad, MEMO_KEY + 1) == 0)
		return &ss[0];
	if (ss[1].from == from && memcmp(ss[1].key, pad, MEMO_KEY + 1) == 0) {
		struct step_slot hit = ss[1];

		ss[1] = ss[0];
		ss[0] = hit;
		return &ss[0];
	}
	if (m->nsteps < STEP_SLOTS && ++m->steps_added > m->nsteps) {
		steps_grow(m);
		ss = &m->steps[(hash & (m->nsteps / 2 - 1)) * 2];
	}
	ss[1] = ss[0];
	ss[0].from = from;
	ss[0].node = MEMO_UNKNOWN;
	memcpy(ss[0].key, pad, MEMO_KEY + 1);
	return &ss[0];
}

/* Has a match found entry i good (NULL m: none is known)? */
static int entry_good(const struct gaz_memo *m, uint32_t i)
{
	return m && m->good && ((m->good[i / 8] >> (i % 8)) & 1);
}

static void mark_good(struct gaz_memo *m, uint32_t i)
{
	if (!m)
		return;
	if (!m->good)
		m->good = xcalloc(m->g->h->nentries / 8 + 1, 1);
	m->good[i / 8] |= (uint8_t)(1u << (i % 8));
}

/* Entry k of node nd as entry_at gives it, and its index in *idx;
 * without the checks for an entry found good before. */
static const struct gaz_entry *entry_get(const struct gaz *g,
					 const struct gaz_memo *m,
					 const struct gaz_node *nd, uint32_t k,
					 uint32_t *idx, int *fault)
{
	*idx = node_entries(nd)[k];
	if (*idx < g->h->nentries && entry_good(m, *idx))
		return &g->entries[*idx];
	return entry_at(g, nd, k, fault);
}

/* --- matching, continued ------------------------------------------------- */

/* The fault of a string of e that is not what it should be, for it goes
 * into a stream field; 0 if none is. */
static int strings_fault(const struct gaz *g, const struct gaz_entry *e)
{
	if (!checked_ok(g, e->type, type_ok))
		return GAZ_BAD_TYPE;
	if (!checked_ok(g, e->source, text_ok) ||
	    !checked_ok(g, e->attrs, text_ok))
		return GAZ_BAD_TEXT;
	if (!text_ok(g, e->canon))
		return GAZ_BAD_CANON;
	return 0;
}

/* strings_fault(g, e) for entry idx, e, which entry_get gave, unless m
 * knows it good; one found good is marked so in m. */
static int entry_fault(const struct gaz *g, struct gaz_memo *m,
		       const struct gaz_entry *e, uint32_t idx)
{
	int fault;

	if (entry_good(m, idx))
		return 0;
	if ((fault = strings_fault(g, e)))
		return fault;
	mark_good(m, idx);
	return 0;
}

/* Are all the entries of nd good, so that taking any of them can meet
 * no fault?  Those not known good are checked here (and marked in m). */
static int node_good(const struct gaz *g, struct gaz_memo *m,
		     const struct gaz_node *nd)
{
	for (uint32_t k = 0; k < nd->count; k++) {
		uint32_t idx;
		int fault = 0;
		const struct gaz_entry *e = entry_get(g, m, nd, k, &idx, &fault);

		if (!e || entry_fault(g, m, e, idx))
			return 0;
	}
	return 1;
}

/* Fill hit from entry idx, e, which entry_get gave; 0, or the fault of a
 * string of e that is not what it should be (it goes into a stream
 * field).  An entry found good is marked so in m. */
static int fill_hit(const struct gaz *g, struct gaz_memo *m,
		    const struct gaz_entry *e, uint32_t idx, size_t len,
		    struct gaz_hit *hit)
{
	int fault = entry_fault(g, m, e, idx);

	if (fault)
		return fault;
	hit->len = len;
	hit->type = g->strings + e->type;
	hit->canon = g->strings + e->canon;
	hit->source = g->strings + e->source;
	hit->attrs = g->strings + e->attrs;
	hit->folded = 0;
	return 0;
}

/* May toks[i + n] extend a match that started at toks[i]? */
static int can_extend(const struct tok *t, size_t n, int overwrite)
{
	if (n > 0 && (t->flags & (TOK_SENT | TOK_LINE)))
		return 0;
	return overwrite || t->pos == TAG_O;
}

/* A key being built one token at a time, with its running hash.  Its
 * buffer is not cleared: only key[0..len) is ever read. */
struct walk {
	char key[1024];
	size_t len;
	uint32_t hash;
};

static void walk_begin(struct walk *w)
{
	w->len = 0;
	w->hash = HASH_FNV1A_INIT;
}

/* Append a separator if sep, then room for n bytes; returns where they
 * go, or NULL if the key would get too long.  walk_end() takes them. */
static char *walk_room(struct walk *w, size_t n, int sep)
{
	if (w->len + n + 2 >= sizeof(w->key))
		return NULL;
	if (sep) {
		w->key[w->len++] = GAZ_SEP;
		w->hash = hash_fnv1a(&w->key[w->len - 1], 1, w->hash);
	}
	return w->key + w->len;
}

static void walk_end(struct walk *w, size_t n)
{
	w->hash = hash_fnv1a(w->key + w->len, n, w->hash);
	w->len += n;
}

/* Append a separator if sep, then the NUL-terminated s, copied and
 * hashed in one pass; 0 if the key would get too long (as walk_room),
 * when the walk is spoilt. */
static int walk_add(struct walk *w, const char *s, int sep)
{
	char *p = w->key + w->len, *end;	/* end: past the room for s */
	uint32_t hash = w->hash;

	if (w->len + 3 > sizeof(w->key))
		return 0;
	end = w->key + sizeof(w->key) - 3 + (sep != 0);
	if (sep) {
		*p = GAZ_SEP;
		hash = hash_fnv1a(p++, 1, hash);
	}
	for (; *s; s++) {
		if (p == end)
			return 0;
		*p = *s;
		hash = hash_fnv1a(p++, 1, hash);
	}
	w->len = (size_t)(p - w->key);
	w->hash = hash;
	return 1;
}

/* Append a separator if sep, then the fold key of the NUL-terminated
 * word key; 0 if the key would get too long, or the fold key is empty,
 * when the walk is spoilt.  Inline: a fold walk takes it for each word. */
static inline int walk_add_fold(struct walk *w, const char *key, int sep)
{
	size_t len = strlen(key);
	char *p = walk_room(w, len, sep);

	if (!p || !(len = fold_word_to(p, key, len)))
		return 0;
	walk_end(w, len);
	return 1;
}

/* The node of the key of from, the node the fold walk w is at, followed
 * by the fold key of the word key, as walk_add_fold and find give it,
 * and w at it: from the memo where it knows it, by the word's hash, and
 * then without making the fold key.  So only the length and the hash of
 * w stay right: its bytes are copied from the node when needed. */
static const struct gaz_node *step_fold(const struct gaz *g,
					struct gaz_memo *m,
					const struct gaz_node *from,
					struct walk *w, const char *key,
					int *fault)
{
	uint32_t ref = ref_of(g, from), hash;
	char pad[MEMO_KEY + 1];
	struct step_slot *ss = NULL;
	const struct gaz_node *nd;

	if (memo_key(key, pad, &hash)) {
		ss = step_slot(m, ref, pad, hash ^ ref * 0x9e3779b1u);
		if (ss->node != MEMO_UNKNOWN) {
			if (!(nd = node_of(g, ss->node)))
				return NULL;
			w->len = nd->keylen;
			w->hash = ss->hash;
			return nd;
		}
	}
	memcpy(w->key, node_key(from), from->keylen);
	w->len = from->keylen;
	nd = NULL;
	if (walk_add_fold(w, key, 1))
		nd = find(g, w->key, w->len, w->hash, fault);
	if (ss && !*fault) {
		ss->node = ref_of(g, nd);
		ss->hash = w->hash;
	}
	return nd;
}

/* Put the key of ms in the empty walk w, as walk_add would: ms knows
 * its hash. */
static void walk_memo(struct walk *w, const struct memo_slot *ms)
{
	memcpy(w->key, ms->key, MEMO_KEY);
	w->len = (size_t)ms->key[MEMO_KEY];
	w->hash = ms->hash;
}

/* The node of the first key of an exact match, the key of ms, put in
 * the empty walk w: as find gives it, from ms where it knows it. */
static const struct gaz_node *first_exact(const struct gaz *g,
					  struct memo_slot *ms, struct walk *w,
					  int *fault)
{
	const struct gaz_node *nd;

	if (ms->exact == 0)
		return NULL;
	walk_memo(w, ms);
	if (ms->exact != MEMO_UNKNOWN)
		return node_of(g, ms->exact);
	nd = find(g, w->key, w->len, w->hash, fault);
	if (!*fault)
		ms->exact = ref_of(g, nd);
	return nd;
}

/* The first entry of nd, the node of d's tokens [i, i + n], whose case
 * policy accepts the text: 1 and hit filled, 0 for none, or a fault. */
static int take_exact(const struct gaz *g, struct gaz_memo *m,
		      const struct gaz_node *nd, const struct doc *d,
		      size_t i, size_t n, struct gaz_hit *hit)
{
	for (uint32_t k = 0; k < nd->count; k++) {
		uint32_t idx;
		int fault = 0;
		const struct gaz_entry *e = entry_get(g, m, nd, k, &idx, &fault);

		if (!e)
			return fault;
		/* case_ok reads ntoks tokens from toks[i]. */
		if (e->ntoks != n + 1)
			return GAZ_BAD_NTOKS;
		if (case_ok(g, e, d, i))
			return (fault = fill_hit(g, m, e, idx, n + 1, hit)) ? fault : 1;
	}
	return 0;
}

/* Longest exact-key match at d's token i; ms, where not NULL, is the
 * memo slot of its key. */
static int match_exact(const struct gaz *g, struct gaz_memo *m,
		       struct memo_slot *ms, const struct doc *d, size_t i,
		       int overwrite, struct gaz_hit *hit)
{
	const struct tok *toks = d->toks;
	size_t ntoks = d->ntoks;
	struct walk w;
	int found = 0, fault = 0;

	walk_begin(&w);
	for (size_t n = 0; i + n < ntoks && n < g->h->maxtoks; n++) {
		const struct tok *t = &toks[i + n];
		const struct gaz_node *nd;

		if (!can_extend(t, n, overwrite))
			break;
		if (n == 0 && ms) {
			nd = first_exact(g, ms, &w, &fault);
		} else {
			if (!walk_add(&w, tok_key(d, t), n > 0))
				break;
			nd = find(g, w.key, w.len, w.hash, &fault);
		}
		if (!nd)
			break;
		int st = take_exact(g, m, nd, d, i, n, hit);

		if (st < 0)
			return st;
		found |= st;
	}
	return fault ? fault : found;
}

/* Are the words of d's tokens [i, i + n) (connectors after the first
 * left out) spelling variants of the entry's words, word by word
 * (fold.h)?  Sets *respelled when some word is spelt differently.  Only
 * fold-key hits, which are rare, come here, so the entry's keys are made
 * on the spot. */
static int variant_of(const struct gaz *g, const struct gaz_entry *e,
		      const struct doc *d, size_t i, size_t n, int *respelled)
{
	const struct tok *toks = d->toks + i;
	const char *s = g->strings + e->surface;
	struct buf key = BUF_INIT;
	size_t k = 0, words = 0;
	int ok = 1, given = (etype_flags(g->strings + e->type) & ETYPE_GIVEN_FIRST) != 0;

	*respelled = 0;
	while (ok && *s) {
		size_t len = strcspn(s, "\x1f");

		buf_reset(&key);
		utf_key(&key, s, len);
		s += len + (s[len] == GAZ_SEP);
		if (words++ > 0 && fold_is_connector(key.s))
			continue;
		while (k < n && k > 0 && fold_is_connector(tok_key(d, &toks[k])))
			k++;
		if (k == n) {
			ok = 0;
			break;
		}
		const char *t = tok_key(d, &toks[k++]);
		size_t tl = strlen(t);

		if (tl != key.len || memcmp(t, key.s, tl) != 0)
			*respelled = 1;
		ok = fold_name_variant(t, tl, key.s, key.len, k == 1 && given);
	}
	buf_free(&key);
	return ok && k == n;
}

/* The node of the fold key of the first word of a fold match, the key
 * of ms, put after the mark in w: as find gives it, from ms where it
 * knows it. */
static const struct gaz_node *first_fold(const struct gaz *g,
					 struct memo_slot *ms, struct walk *w,
					 int *fault)
{
	const struct gaz_node *nd;
	size_t len = (size_t)ms->key[MEMO_KEY];

	if (ms->fold != MEMO_UNKNOWN) {
		if (!(nd = node_of(g, ms->fold)))
			return NULL;
		memcpy(w->key, node_key(nd), nd->keylen);
		w->len = nd->keylen;
		w->hash = ms->foldhash;
		return nd;
	}
	/* The walk has room: a memo key is short. */
	len = fold_word_to(walk_room(w, len, 0), ms->key, len);
	nd = NULL;
	if (len) {
		walk_end(w, len);
		nd = find(g, w->key, w->len, w->hash, fault);
	}
	if (!*fault) {
		ms->fold = ref_of(g, nd);
		ms->foldhash = w->hash;
	}
	return nd;
}

/* The first entry of nd, the node of the fold key of d's tokens
 * [i, i + n], whose words are spelling variants of d's: 1 and hit
 * filled, 0 for none, or a fault.  A hit of beat tokens or fewer would
 * not be taken (match_at): where taking it could meet no fault, the
 * words, which cost the most, are not compared, and the answer is 0. */
static int take_fold(const struct gaz *g, struct gaz_memo *m,
		     const struct gaz_node *nd, const struct doc *d,
		     size_t i, size_t n, size_t beat, struct gaz_hit *hit)
{
	if (n + 1 <= beat && node_good(g, m, nd))
		return 0;
	for (uint32_t k = 0; k < nd->count; k++) {
		uint32_t idx;
		int fault = 0, respelled;
		const struct gaz_entry *e = entry_get(g, m, nd, k, &idx, &fault);

		if (!e)
			return fault;
		if (variant_of(g, e, d, i, n + 1, &respelled)) {
			if ((fault = fill_hit(g, m, e, idx, n + 1, hit)))
				return fault;
			hit->folded = respelled;
			return 1;
		}
	}
	return 0;
}

/* Longest fold-key match at d's token i of two words or more whose
 * words are spelling variants of the entry's.  Connectors inside are
 * skipped; the first and last words must be capitalised, whatever the
 * entry's case policy (match_at checks the first before the call).  ms,
 * where not NULL, is the memo slot of the first token's key.  A match of
 * beat tokens or fewer may be missed (take_fold). */
static int match_fold(const struct gaz *g, struct gaz_memo *m,
		      struct memo_slot *ms, const struct doc *d, size_t i,
		      int overwrite, size_t beat, struct gaz_hit *hit)
{
	const struct tok *toks = d->toks;
	size_t ntoks = d->ntoks;
	struct walk w;
	const struct gaz_node *nd = NULL;
	size_t words = 0;
	int found = 0, fault = 0;

	walk_begin(&w);
	w.key[0] = GAZ_FOLD_MARK;
	walk_end(&w, 1);
	for (size_t n = 0; i + n < ntoks && n < 2 * g->h->maxtoks; n++) {
		const struct tok *t = &toks[i + n];
		const char *key;

		if (!can_extend(t, n, overwrite))
			break;
		if (n == 0 && ms) {
			words++;
			nd = first_fold(g, ms, &w, &fault);
		} else if (n > 0 && fold_is_connector(key = tok_key(d, t))) {
			continue;
		} else if (n > 0 && m) {
			/* A later word: words > 0, a separator before it. */
			words++;
			nd = step_fold(g, m, nd, &w, key, &fault);
		} else {
			if (!walk_add_fold(&w, tok_key(d, t), words++ > 0))
				break;
			nd = find(g, w.key, w.len, w.hash, &fault);
		}
		if (!nd)
			break;
		if (words < 2 || !starts_upper(tok_text(d, t)))
			continue;
		int st = take_fold(g, m, nd, d, i, n, beat, hit);

		if (st < 0)
			return st;
		found |= st;
	}
	return fault ? fault : found;
}

/* May a fold-key match start at d's token i?  Every fold match starts
 * with a capital (case=any entries aside, which are rare), and has two
 * words at least: most tokens start none, and need no folding. */
static int fold_may_start(const struct doc *d, size_t i, int overwrite)
{
	return starts_upper(tok_text(d, &d->toks[i])) &&
	       i + 1 < d->ntoks && can_extend(&d->toks[i + 1], 1, overwrite);
}

/* Longest match at d's token i, exact or by fold key, as gaz_match;
 * m and ms, where not NULL, the memo and the slot of the token's key
 * (whose fold key, where the memo knows it begins no entry, is not
 * walked). */
static int match_at(const struct gaz *g, struct gaz_memo *m,
		    struct memo_slot *ms, const struct doc *d, size_t i,
		    int overwrite, struct gaz_hit *hit)
{
	struct gaz_hit folded;
	int exact = match_exact(g, m, ms, d, i, overwrite, hit);
	int fold = exact < 0 ? exact :
		   (ms && ms->fold == 0) || !fold_may_start(d, i, overwrite) ? 0 :
		   match_fold(g, m, ms, d, i, overwrite, exact ? hit->len : 0,
			      &folded);

	if (fold < 0)
		return fold;
	if (fold && (!exact || folded.len > hit->len)) {
		*hit = folded;
		return 1;
	}
	return exact;
}

int gaz_match(const struct gaz *g, const struct doc *d, size_t i,
	      int overwrite, struct gaz_hit *hit)
{
	/* A list of capitalised names (titles, given names) cannot match
	 * here: skip the look-ups. */
	if (gaz_needs_cap(g) && !starts_upper(tok_text(d, &d->toks[i])))
		return 0;
	return match_at(g, NULL, NULL, d, i, overwrite, hit);
}

int gaz_memo_match(struct gaz_memo *m, const struct doc *d, size_t i,
		   int overwrite, struct gaz_hit *hit)
{
	const struct gaz *g = m->g;
	struct memo_slot *ms;

	if (gaz_needs_cap(g) && !starts_upper(tok_text(d, &d->toks[i])))
		return 0;
	ms = memo_slot(m, tok_key(d, &d->toks[i]));
	/* Most words begin no entry, or only one by fold key, which must
	 * start with a capital (match_fold). */
	if (ms && !ms->exact && (!ms->fold ||
	    !starts_upper(tok_text(d, &d->toks[i]))))
		return 0;
	return match_at(g, m, ms, d, i, overwrite, hit);
}

int gaz_may_start(const struct gaz *g, const char *key)
{
	size_t n = strlen(key);
	struct walk w;
	char *p;
	int fault = 0;

	if (find(g, key, n, hash_fnv1a(key, n, HASH_FNV1A_INIT), &fault) || fault)
		return 1;
	walk_begin(&w);
	w.key[0] = GAZ_FOLD_MARK;
	walk_end(&w, 1);
	if (!(p = walk_room(&w, n, 0)))
		return 1;	/* too long to tell: say it may */
	walk_end(&w, fold_word_to(p, key, n));
	return find(g, w.key, w.len, w.hash, &fault) != NULL || fault;
}

int gaz_has(const struct gaz *g, const char *s, size_t n, const char *type)
{
	uint32_t mask = 0;

	return gaz_has_types(g, s, n, &type, 1, &mask) == 0 && mask != 0;
}

int gaz_has_types(const struct gaz *g, const char *s, size_t n,
		  const char *const *types, size_t ntypes, uint32_t *mask)
{
	int fault = 0;
	const struct gaz_node *nd = find(g, s, n, hash_fnv1a(s, n, HASH_FNV1A_INIT),
					 &fault);

	*mask = 0;
	if (!nd)
		return fault;
	for (uint32_t k = 0; k < nd->count; k++) {
		const struct gaz_entry *e = entry_at(g, nd, k, &fault);

		if (!e)
			return fault;
		const char *type = g->strings + e->type;

		for (size_t t = 0; t < ntypes; t++)
			if (!types[t] || strcmp(type, types[t]) == 0)
				*mask |= (uint32_t)1 << t;
	}
	return 0;
}
