/* gaz.c - load a compiled gazetteer and match token sequences against it. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "fold.h"
#include "gaz.h"
#include "utf.h"

struct gaz {
	char *path;		/* for messages */
	void *map;
	size_t size;
	const struct gaz_header *h;
	const struct gaz_node *nodes;
	const struct gaz_entry *entries;
	const uint32_t *refs;
	const uint32_t *buckets;
	const char *strings;
	int needs_cap;		/* every entry starts with a capital letter */
};

uint32_t gaz_hash(const char *s, size_t n, uint32_t h)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static int corrupt(char *err, size_t errlen, const char *path, const char *why)
{
	snprintf(err, errlen, "%s: not a usable gazetteer: %s", path, why);
	return EX_DATAERR;
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
	size_t n = strlen(s);

	for (size_t i = 0; i < n;) {
		int32_t cp;
		int len = utf_decode(s + i, n - i, &cp);

		if (len < 0 || cp < 0x20 || cp == 0x7f)
			return 0;
		i += (size_t)len;
	}
	return 1;
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

/* Every node: its key inside the string table, its refs inside refs,
 * and its bucket chain going to lower indexes only (ner-gazc links each
 * node to the ones before it), so that every chain ends.  (That an
 * entry has as many tokens as its key is checked by the matcher, which
 * knows the key's length without reading it.) */
static const char *validate_nodes(struct gaz *g)
{
	const struct gaz_header *h = g->h;

	for (uint32_t i = 0; i < h->nnodes; i++) {
		const struct gaz_node *n = &g->nodes[i];

		if (!str_ok(g, n->key) || n->keylen > h->strings_size - n->key ||
		    n->first > h->nrefs || n->count > h->nrefs - n->first)
			return "node out of range";
		if (n->next > i)
			return "hash chain does not end";
	}
	return NULL;
}

/* Was the string at off checked already?  ner-gazc stores a type,
 * source or attrs string once for all its entries, so a small cache of
 * offsets makes checking them cheap.  Marks off as checked: the caller
 * fails the whole load if it is bad. */
#define CHECKED_SLOTS 64
static int seen(uint32_t *checked, uint32_t off)
{
	uint32_t *slot = &checked[off % CHECKED_SLOTS];

	if (*slot == off + 1)
		return 1;
	*slot = off + 1;
	return 0;
}

/* Check every offset, count and chain once at load, in time linear in
 * the nodes and entries, so that matching never runs off the file.
 * Types, sources and attributes are checked to be text; what needs the
 * keys or canonical names read (most of the file: entry token counts,
 * canonical names) is checked when a match finds the entry, to keep
 * loading fast. */
static const char *validate(struct gaz *g)
{
	const struct gaz_header *h = g->h;
	uint32_t checked[CHECKED_SLOTS] = { 0 };
	const char *why;

	if (h->strings_size == 0 || g->strings[h->strings_size - 1] != '\0')
		return "string table not terminated";
	if (h->maxtoks > GAZ_MAXTOKS)
		return "too many tokens per entry";
	for (uint32_t i = 0; i < h->nrefs; i++)
		if (g->refs[i] >= h->nentries)
			return "entry reference out of range";
	if ((why = validate_nodes(g)))
		return why;
	g->needs_cap = 1;
	for (uint32_t i = 0; i < h->nentries; i++) {
		const struct gaz_entry *e = &g->entries[i];

		if (e->casepol == GAZ_CASE_ANY || !(e->capmask & 1))
			g->needs_cap = 0;

		if (!str_ok(g, e->surface) || !str_ok(g, e->type) ||
		    !str_ok(g, e->canon) || !str_ok(g, e->source) ||
		    !str_ok(g, e->attrs) || e->casepol > GAZ_CASE_ANY ||
		    e->ntoks == 0 || e->ntoks > GAZ_MAXTOKS)
			return "entry out of range";
		if (!seen(checked, e->type) && !type_ok(g, e->type))
			return "entry type is not upper-case letters";
		if ((!seen(checked, e->source) && !text_ok(g, e->source)) ||
		    (!seen(checked, e->attrs) && !text_ok(g, e->attrs)))
			return "entry string is not UTF-8 text";
	}
	for (uint32_t i = 0; i < h->nbuckets; i++)
		if (g->buckets[i] > h->nnodes)
			return "bucket out of range";
	return NULL;
}

static int map_file(const char *path, struct gaz *g, char *err, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK);	/* a FIFO must not block */

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return EX_NOINPUT;
	}
	if (fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return EX_NOINPUT;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: %s", path, S_ISDIR(st.st_mode) ?
			 "is a directory" : "not a regular file");
		close(fd);
		return EX_NOINPUT;
	}
	g->size = (size_t)st.st_size;
	if (g->size < sizeof(struct gaz_header)) {
		close(fd);
		return corrupt(err, errlen, path, "too short");
	}
	g->map = mmap(NULL, g->size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (g->map == MAP_FAILED) {
		g->map = NULL;
		snprintf(err, errlen, "%s: mmap: %s", path, strerror(errno));
		return EX_NOINPUT;
	}
	return 0;
}

int gaz_open(const char *path, struct gaz **out, char *err, size_t errlen)
{
	struct gaz *g = xcalloc(1, sizeof(*g));
	const struct gaz_header *h;
	const char *why;
	int st = map_file(path, g, err, errlen);

	*out = NULL;
	g->path = xstrdup(path);
	if (st)
		goto out_free;
	h = g->h = g->map;
	st = EX_DATAERR;
	if (memcmp(h->magic, GAZ_MAGIC, 8) != 0) {
		corrupt(err, errlen, path, "bad magic number");
		goto out_free;
	}
	if (h->bom != GAZ_BOM || h->version != GAZ_VERSION) {
		snprintf(err, errlen, "%s: gazetteer format version %u, this "
			 "program reads %d: recompile it with ner-gazc",
			 path, h->bom == GAZ_BOM ? h->version : 0, GAZ_VERSION);
		goto out_free;
	}
	uint64_t need = sizeof(*h) + (uint64_t)h->nnodes * sizeof(struct gaz_node) +
			(uint64_t)h->nentries * sizeof(struct gaz_entry) +
			(uint64_t)h->nrefs * 4 + (uint64_t)h->nbuckets * 4 +
			h->strings_size;
	if (h->file_size != g->size || need != g->size || h->nbuckets == 0) {
		corrupt(err, errlen, path, "size does not match its header (truncated?)");
		goto out_free;
	}
	g->nodes = (const void *)(h + 1);
	g->entries = (const void *)(g->nodes + h->nnodes);
	g->refs = (const void *)(g->entries + h->nentries);
	g->buckets = g->refs + h->nrefs;
	g->strings = (const char *)(g->buckets + h->nbuckets);
	if ((why = validate(g))) {
		corrupt(err, errlen, path, why);
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
	free(g->path);
	free(g);
}

const char *gaz_strfault(int fault)
{
	return fault == GAZ_BAD_NTOKS ? "entry's token count does not match its key"
				      : "canonical name is not UTF-8 text";
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
	return g->needs_cap;
}

static const struct gaz_node *find(const struct gaz *g, const char *key,
				   size_t n, uint32_t hash)
{
	uint32_t i = g->buckets[hash % g->h->nbuckets];

	while (i) {
		const struct gaz_node *nd = &g->nodes[i - 1];

		if (nd->hash == hash && nd->keylen == n &&
		    memcmp(g->strings + nd->key, key, n) == 0)
			return nd;
		i = nd->next;
	}
	return NULL;
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
			    !utf_starts_upper(tok_text(d, &toks[k])))
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

/* Fill hit from e; -1 if e's canonical name is not text (the file is
 * corrupt: validate() leaves that check to the first use). */
static int fill_hit(const struct gaz *g, const struct gaz_entry *e,
		    size_t len, struct gaz_hit *hit)
{
	if (!text_ok(g, e->canon))
		return -1;
	hit->len = len;
	hit->type = g->strings + e->type;
	hit->canon = g->strings + e->canon;
	hit->source = g->strings + e->source;
	hit->attrs = g->strings + e->attrs;
	hit->prio = e->prio;
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
	w->hash = GAZ_HASH_INIT;
}

/* Append a separator if sep, then room for n bytes; returns where they
 * go, or NULL if the key would get too long.  walk_end() takes them. */
static char *walk_room(struct walk *w, size_t n, int sep)
{
	if (w->len + n + 2 >= sizeof(w->key))
		return NULL;
	if (sep) {
		w->key[w->len++] = GAZ_SEP;
		w->hash = gaz_hash(&w->key[w->len - 1], 1, w->hash);
	}
	return w->key + w->len;
}

static void walk_end(struct walk *w, size_t n)
{
	w->hash = gaz_hash(w->key + w->len, n, w->hash);
	w->len += n;
}

static int walk_add(struct walk *w, const char *s, size_t n, int sep)
{
	char *p = walk_room(w, n, sep);

	if (!p)
		return 0;
	memcpy(p, s, n);
	walk_end(w, n);
	return 1;
}

/* Longest exact-key match at d's token i. */
static int match_exact(const struct gaz *g, const struct doc *d, size_t i,
		       int overwrite, struct gaz_hit *hit)
{
	const struct tok *toks = d->toks;
	size_t ntoks = d->ntoks;
	struct walk w;
	int found = 0;

	walk_begin(&w);
	for (size_t n = 0; i + n < ntoks && n < g->h->maxtoks; n++) {
		const struct tok *t = &toks[i + n];
		const char *key;

		if (!can_extend(t, n, overwrite))
			break;
		key = tok_key(d, t);
		if (!walk_add(&w, key, strlen(key), n > 0))
			break;
		const struct gaz_node *nd = find(g, w.key, w.len, w.hash);
		if (!nd)
			break;
		for (uint32_t k = 0; k < nd->count; k++) {
			const struct gaz_entry *e = &g->entries[g->refs[nd->first + k]];

			/* case_ok reads ntoks tokens from toks[i]. */
			if (e->ntoks != n + 1)
				return GAZ_BAD_NTOKS;
			if (case_ok(g, e, d, i)) {
				if (fill_hit(g, e, n + 1, hit) < 0)
					return GAZ_BAD_CANON;
				found = 1;
				break;
			}
		}
	}
	return found;
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
	int ok = 1, per = strcmp(g->strings + e->type, "PER") == 0;

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
		ok = fold_name_variant(t, tl, key.s, key.len, k == 1 && per);
	}
	buf_free(&key);
	return ok && k == n;
}

/* Longest fold-key match at d's token i of two words or more whose
 * words are spelling variants of the entry's.  Connectors inside are
 * skipped; the first and last words must be capitalised, whatever the
 * entry's case policy. */
static int match_fold(const struct gaz *g, const struct doc *d, size_t i,
		      int overwrite, struct gaz_hit *hit)
{
	const struct tok *toks = d->toks;
	size_t ntoks = d->ntoks;
	struct walk w;
	size_t words = 0;
	int found = 0;

	/* Every fold match starts with a capital (case=any entries aside,
	 * which are rare); most tokens do not, so this saves the folding. */
	if (!utf_starts_upper(tok_text(d, &toks[i])))
		return 0;
	/* Two words at least: a token that cannot be extended starts none. */
	if (i + 1 >= ntoks || !can_extend(&toks[i + 1], 1, overwrite))
		return 0;

	walk_begin(&w);
	w.key[0] = GAZ_FOLD_MARK;
	walk_end(&w, 1);
	for (size_t n = 0; i + n < ntoks && n < 2 * g->h->maxtoks; n++) {
		const struct tok *t = &toks[i + n];
		const char *key = tok_key(d, t);
		size_t len = strlen(key);
		char *p;

		if (!can_extend(t, n, overwrite))
			break;
		if (n > 0 && fold_is_connector(key))
			continue;
		if (!(p = walk_room(&w, len, words++ > 0)))
			break;
		len = fold_word_to(p, key, len);
		if (!len)
			break;
		walk_end(&w, len);
		const struct gaz_node *nd = find(g, w.key, w.len, w.hash);
		if (!nd)
			break;
		if (words < 2 || !utf_starts_upper(tok_text(d, t)))
			continue;
		for (uint32_t k = 0; k < nd->count; k++) {
			const struct gaz_entry *e = &g->entries[g->refs[nd->first + k]];
			int respelled;

			if (variant_of(g, e, d, i, n + 1, &respelled)) {
				if (fill_hit(g, e, n + 1, hit) < 0)
					return GAZ_BAD_CANON;
				hit->folded = respelled;
				found = 1;
				break;
			}
		}
	}
	return found;
}

int gaz_match(const struct gaz *g, const struct doc *d, size_t i,
	      int overwrite, struct gaz_hit *hit)
{
	struct gaz_hit folded;

	/* A list of capitalised names (titles, given names) cannot match
	 * here: skip the look-ups. */
	if (g->needs_cap && !utf_starts_upper(tok_text(d, &d->toks[i])))
		return 0;
	int exact = match_exact(g, d, i, overwrite, hit);
	int fold = exact < 0 ? exact : match_fold(g, d, i, overwrite, &folded);

	if (fold < 0)
		return fold;
	if (fold && (!exact || folded.len > hit->len)) {
		*hit = folded;
		return 1;
	}
	return exact;
}

int gaz_may_start(const struct gaz *g, const char *key)
{
	size_t n = strlen(key);
	struct walk w;
	char *p;

	if (find(g, key, n, gaz_hash(key, n, GAZ_HASH_INIT)))
		return 1;
	walk_begin(&w);
	w.key[0] = GAZ_FOLD_MARK;
	walk_end(&w, 1);
	if (!(p = walk_room(&w, n, 0)))
		return 1;	/* too long to tell: say it may */
	walk_end(&w, fold_word_to(p, key, n));
	return find(g, w.key, w.len, w.hash) != NULL;
}

int gaz_has(const struct gaz *g, const char *s, size_t n, const char *type)
{
	return gaz_has_types(g, s, n, &type, 1) != 0;
}

uint32_t gaz_has_types(const struct gaz *g, const char *s, size_t n,
		       const char *const *types, size_t ntypes)
{
	const struct gaz_node *nd = find(g, s, n, gaz_hash(s, n, GAZ_HASH_INIT));
	uint32_t mask = 0;

	if (!nd)
		return 0;
	for (uint32_t k = 0; k < nd->count; k++) {
		const char *type = g->strings + g->entries[g->refs[nd->first + k]].type;

		for (size_t t = 0; t < ntypes; t++)
			if (!types[t] || strcmp(type, types[t]) == 0)
				mask |= (uint32_t)1 << t;
	}
	return mask;
}
