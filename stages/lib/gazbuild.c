/* gazbuild.c - compile gazetteer entries into the format gaz.c loads. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "alloc.h"
#include "attr.h"
#include "buf.h"
#include "err.h"
#include "etype.h"
#include "fold.h"
#include "gaz.h"
#include "hash.h"
#include "strmap.h"
#include "tokenize.h"
#include "utf.h"

/* A node's claim on an entry: by exact key or by fold key. */
struct bref {
	uint32_t node, entry;
};

/* A key, exact or fold, or a prefix of one. */
struct bnode {
	uint32_t key, keylen, hash;	/* key: offset in keys */
	uint32_t first, count;		/* its refs, once sorted */
};

struct gaz_builder {
	struct buf strings;
	struct buf keys;
	struct bnode *nodes;
	size_t nnodes, capnodes;
	uint32_t *table;	/* open addressing over nodes: index + 1 */
	size_t tabsize;
	struct gaz_entry *entries;	/* string fields: offsets into strings */
	size_t nentries, capentries;
	struct bref *refs;
	size_t nrefs, caprefs;
	uint32_t maxtoks;
	size_t left_out;	/* rows their fold guard left out */
	struct doc *scratch;
	struct buf tmp;
	struct strmap shared;	/* type, source, attrs: string -> offset */
	struct strmap guarded;	/* keys a fold= guard let in */
};

struct gaz_builder *gaz_builder_new(void)
{
	struct gaz_builder *b = xcalloc(1, sizeof(*b));

	buf_putc(&b->strings, '\0');	/* offset 0 is the empty string */
	b->tabsize = 1 << 16;
	b->table = xcalloc(b->tabsize, sizeof(*b->table));
	b->scratch = doc_new();
	return b;
}

void gaz_builder_free(struct gaz_builder *b)
{
	if (!b)
		return;
	buf_free(&b->strings);
	buf_free(&b->keys);
	buf_free(&b->tmp);
	free(b->nodes);
	free(b->table);
	free(b->entries);
	free(b->refs);
	doc_free(b->scratch);
	strmap_free(&b->shared);
	strmap_free(&b->guarded);
	free(b);
}

size_t gaz_builder_count(const struct gaz_builder *b)
{
	return b->nentries;
}

size_t gaz_builder_left_out(const struct gaz_builder *b)
{
	return b->left_out;
}

static uint32_t add_string(struct gaz_builder *b, const char *s, size_t n)
{
	uint32_t off;

	if (n == 0)
		return 0;
	off = (uint32_t)b->strings.len;
	buf_put(&b->strings, s, n);
	buf_putc(&b->strings, '\0');
	return off;
}

/* A string many entries share (type, source, attrs) is stored once. */
static uint32_t add_shared(struct gaz_builder *b, const char *s)
{
	size_t off;

	if (!strmap_get(&b->shared, s, &off)) {
		off = add_string(b, s, strlen(s));
		strmap_put(&b->shared, s, off);
	}
	return (uint32_t)off;
}

static void rehash(struct gaz_builder *b)
{
	free(b->table);
	b->tabsize *= 2;
	b->table = xcalloc(b->tabsize, sizeof(*b->table));
	for (size_t i = 0; i < b->nnodes; i++) {
		size_t slot = b->nodes[i].hash & (b->tabsize - 1);

		while (b->table[slot])
			slot = (slot + 1) & (b->tabsize - 1);
		b->table[slot] = (uint32_t)i + 1;
	}
}

/* Index of the node for key, created if new. */
static uint32_t node_for(struct gaz_builder *b, const char *key, size_t n)
{
	uint32_t h = hash_fnv1a(key, n, HASH_FNV1A_INIT);
	size_t slot = h & (b->tabsize - 1);

	while (b->table[slot]) {
		struct bnode *nd = &b->nodes[b->table[slot] - 1];

		if (nd->hash == h && nd->keylen == n &&
		    memcmp(b->keys.s + nd->key, key, n) == 0)
			return b->table[slot] - 1;
		slot = (slot + 1) & (b->tabsize - 1);
	}
	if (b->nnodes == b->capnodes) {
		b->capnodes = b->capnodes ? b->capnodes * 2 : 4096;
		b->nodes = xrealloc(b->nodes, b->capnodes * sizeof(*b->nodes));
	}
	struct bnode *nd = &b->nodes[b->nnodes];

	memset(nd, 0, sizeof(*nd));
	nd->key = (uint32_t)b->keys.len;
	buf_put(&b->keys, key, n);
	nd->keylen = (uint32_t)n;
	nd->hash = h;
	b->table[slot] = (uint32_t)++b->nnodes;
	if (b->nnodes * 2 > b->tabsize)
		rehash(b);
	return (uint32_t)b->nnodes - 1;
}

/* Take case=, prio= and fold= out of attrs, copying the rest into out;
 * fold gets fold='s value (empty without one). */
static int split_attrs(const char *attrs, struct buf *out, int *casepol,
		       int *prio, struct buf *fold, struct err *e)
{
	struct attr a;

	*casepol = GAZ_CASE_TITLE;
	*prio = 0;
	buf_reset(out);
	buf_reset(fold);
	while (attr_next(&attrs, &a)) {
		if (a.vallen && attr_is(&a, "case")) {
			if (a.vallen == 5 && memcmp(a.val, "title", 5) == 0)
				*casepol = GAZ_CASE_TITLE;
			else if (a.vallen == 5 && memcmp(a.val, "exact", 5) == 0)
				*casepol = GAZ_CASE_EXACT;
			else if (a.vallen == 3 && memcmp(a.val, "any", 3) == 0)
				*casepol = GAZ_CASE_ANY;
			else {
				return err_set(e, EX_DATAERR, "unknown case policy "
					       "'%.*s' (title, exact or any)",
					       (int)a.vallen, a.val);
			}
		} else if (a.vallen && attr_is(&a, "prio")) {
			*prio = atoi(a.val);
		} else if (a.vallen && attr_is(&a, "fold")) {
			buf_reset(fold);
			buf_put(fold, a.val, a.vallen);
		} else {
			if (out->len)
				buf_putc(out, ';');
			buf_put(out, a.item, a.len);
		}
	}
	return 0;
}

static void add_ref(struct gaz_builder *b, uint32_t node, uint32_t entry)
{
	if (b->nrefs == b->caprefs) {
		b->caprefs = b->caprefs ? b->caprefs * 2 : 4096;
		b->refs = xrealloc(b->refs, b->caprefs * sizeof(*b->refs));
	}
	b->refs[b->nrefs].node = node;
	b->refs[b->nrefs++].entry = entry;
}

/* Make the entry reachable by its fold key too (gaz.h says which
 * entries get one; a type may want none, etype.h).  key is scratch
 * space. */
static void add_fold_key(struct gaz_builder *b, const struct doc *d,
			 const char *type, int casepol, uint32_t entry,
			 struct buf *key)
{
	size_t words = 0;
	uint32_t node = 0;

	if (casepol == GAZ_CASE_EXACT || (etype_flags(type) & ETYPE_EXACT_KEYS))
		return;
	for (size_t k = 0; k < d->ntoks; k++)
		words += k == 0 || !fold_is_connector(tok_key(d, &d->toks[k]));
	if (words < 2)
		return;
	buf_reset(key);
	buf_putc(key, GAZ_FOLD_MARK);
	words = 0;
	for (size_t k = 0; k < d->ntoks; k++) {
		const char *tk = tok_key(d, &d->toks[k]);

		if (k > 0 && fold_is_connector(tk))
			continue;
		if (words++)
			buf_putc(key, GAZ_SEP);
		fold_word(key, tk, strlen(tk));
		node = node_for(b, key->s, key->len);
	}
	add_ref(b, node, entry);
}

/* The fold key of s (fold.h) in out: fold_word of its match key. */
static void fold_key(struct buf *out, const char *s, size_t n, struct buf *tmp)
{
	buf_reset(tmp);
	utf_key(tmp, s, n);
	buf_reset(out);
	buf_put(out, "", 0);
	fold_word(out, tmp->s ? tmp->s : "", tmp->len);
}

/* The fold guard of an entry with key key (gazetteers/README, "fold="):
 * does the spelling s fold as its name does, and is it the first entry
 * so guarded to pass with that key?  If so the key is taken. */
static int guard_holds(struct gaz_builder *b, const char *s, size_t n,
		       const char *name, const char *key)
{
	struct buf fs = BUF_INIT, fn = BUF_INIT, tmp = BUF_INIT;
	size_t seen;
	int holds;

	fold_key(&fs, s, n, &tmp);
	fold_key(&fn, name, strlen(name), &tmp);
	holds = fs.len == fn.len && memcmp(fs.s, fn.s, fs.len) == 0 &&
		!strmap_get(&b->guarded, key, &seen);
	if (holds)
		strmap_put(&b->guarded, key, 1);
	buf_free(&fs);
	buf_free(&fn);
	buf_free(&tmp);
	return holds;
}

int gaz_builder_add(struct gaz_builder *b, const char *surface,
		    const char *type, const char *canon, const char *attrs,
		    const char *source, struct err *err)
{
	struct tokenize_state st;
	struct doc *d = b->scratch;
	struct buf rest = BUF_INIT, key = BUF_INIT, surf = BUF_INIT;
	struct buf fold = BUF_INIT;
	int casepol, prio, ret = -1;

	doc_clear(d);
	tokenize_begin(&st);
	tokenize_text(d, &st, surface, strlen(surface));
	if (d->ntoks == 0) {
		err_set(err, EX_DATAERR, "empty surface");
		goto out;
	}
	if (d->ntoks > GAZ_MAXTOKS) {
		err_set(err, EX_DATAERR, "more than %d tokens", GAZ_MAXTOKS);
		goto out;
	}
	if (!*type) {
		err_set(err, EX_DATAERR, "empty type");
		goto out;
	}
	if (split_attrs(attrs, &rest, &casepol, &prio, &fold, err) < 0)
		goto out;
	uint32_t capmask = 0, node = 0;
	size_t prefix[GAZ_MAXTOKS];

	for (size_t k = 0; k < d->ntoks; k++) {
		if (k) {
			buf_putc(&key, GAZ_SEP);
			buf_putc(&surf, GAZ_SEP);
		}
		buf_puts(&key, tok_key(d, &d->toks[k]));
		buf_puts(&surf, tok_text(d, &d->toks[k]));
		if (utf_starts_upper(tok_text(d, &d->toks[k])))
			capmask |= 1u << k;
		prefix[k] = key.len;
	}
	if (fold.len && !guard_holds(b, fold.s, fold.len, *canon ? canon : surface,
				     key.s)) {
		b->left_out++;
		ret = 1;
		goto out;
	}
	for (size_t k = 0; k < d->ntoks; k++)
		node = node_for(b, key.s, prefix[k]);	/* prefixes too */
	if (b->nentries == b->capentries) {
		b->capentries = b->capentries ? b->capentries * 2 : 4096;
		b->entries = xrealloc(b->entries, b->capentries * sizeof(*b->entries));
	}
	uint32_t idx = (uint32_t)b->nentries++;
	struct gaz_entry *e = &b->entries[idx];

	memset(e, 0, sizeof(*e));
	e->surface = add_string(b, surf.s, surf.len);
	e->type = add_shared(b, type);
	e->canon = *canon ? add_string(b, canon, strlen(canon))
			  : add_string(b, surface, strlen(surface));
	e->source = add_shared(b, source);
	e->attrs = add_shared(b, rest.s ? rest.s : "");
	e->capmask = capmask;
	e->prio = prio;
	e->ntoks = (uint16_t)d->ntoks;
	e->casepol = (uint8_t)casepol;
	add_ref(b, node, idx);
	add_fold_key(b, d, type, casepol, idx, &key);
	if (d->ntoks > b->maxtoks)
		b->maxtoks = (uint32_t)d->ntoks;
	ret = 0;
out:
	buf_free(&rest);
	buf_free(&key);
	buf_free(&surf);
	buf_free(&fold);
	return ret;
}

/* Refs of one node together; within a node, the most demanding case
 * policy first (so an exact entry wins over a looser one), then higher
 * priority, then the order the entries were added. */
static const struct gaz_entry *sort_entries;

static int cmp_ref(const void *pa, const void *pb)
{
	const struct bref *a = pa, *b = pb;
	const struct gaz_entry *ea = &sort_entries[a->entry];
	const struct gaz_entry *eb = &sort_entries[b->entry];
	static const int rank[] = { 1, 0, 2 };	/* exact, title, any */

	if (a->node != b->node)
		return a->node < b->node ? -1 : 1;
	if (ea->casepol != eb->casepol)
		return rank[ea->casepol] - rank[eb->casepol];
	if (ea->prio != eb->prio)
		return ea->prio > eb->prio ? -1 : 1;
	return a->entry < b->entry ? -1 : a->entry > b->entry;
}

static int write_all(FILE *fp, const void *p, size_t n)
{
	return fwrite(p, 1, n, fp) == n ? 0 : -1;
}

/* Group the refs by node, best entry first (cmp_ref). */
static void sort_refs(struct gaz_builder *b)
{
	sort_entries = b->entries;
	qsort(b->refs, b->nrefs, sizeof(*b->refs), cmp_ref);
	for (size_t i = 0; i < b->nnodes; i++)
		b->nodes[i].first = b->nodes[i].count = 0;
	for (size_t i = 0; i < b->nrefs; i++) {
		struct bnode *nd = &b->nodes[b->refs[i].node];

		if (nd->count++ == 0)
			nd->first = (uint32_t)i;
	}
}

static int all_capitalised(const struct gaz_builder *b)
{
	for (size_t i = 0; i < b->nentries; i++)
		if (b->entries[i].casepol == GAZ_CASE_ANY ||
		    !(b->entries[i].capmask & 1))
			return 0;
	return 1;
}

/* Append node i's record (gaz.h) to out; returns its slot value. */
static uint32_t put_node(const struct gaz_builder *b, size_t i, struct buf *out)
{
	const struct bnode *bn = &b->nodes[i];
	struct gaz_node nd = { bn->keylen, bn->count };
	uint32_t ref = (uint32_t)(out->len / 4 + 1);

	buf_put(out, &nd, sizeof(nd));
	for (uint32_t k = 0; k < bn->count; k++)
		buf_put(out, &b->refs[bn->first + k].entry, 4);
	buf_put(out, b->keys.s + bn->key, bn->keylen);
	while (out->len % 4)
		buf_putc(out, '\0');
	return ref;
}

/* The filter of the nodes (gaz.h): about 8 to 16 bits a key, a power
 * of two of words; returns it (the caller frees it), its size in
 * *nwords. */
static uint64_t *make_filter(const struct gaz_builder *b, uint64_t *nwords)
{
	uint64_t n = 1, *filter;

	while (n * 64 < 8 * (uint64_t)b->nnodes)
		n *= 2;
	filter = xcalloc(n, sizeof(*filter));
	for (size_t i = 0; i < b->nnodes; i++) {
		uint64_t word, bits = gaz_filter_bits(b->nodes[i].hash, n, &word);

		filter[word] |= bits;
	}
	*nwords = n;
	return filter;
}

/* The whole file after the header, in body; fills in h. */
static void lay_out(struct gaz_builder *b, struct gaz_header *h,
		    struct buf *body)
{
	size_t nslots = 1;
	struct buf nodes = BUF_INIT;
	struct gaz_slot *slots;
	uint32_t maxprobe = 1;
	uint64_t nwords, *filter = make_filter(b, &nwords);

	while (nslots < 2 * b->nnodes)
		nslots *= 2;
	slots = xcalloc(nslots, sizeof(*slots));
	sort_refs(b);
	for (size_t i = 0; i < b->nnodes; i++) {
		size_t home = b->nodes[i].hash & (nslots - 1), at = home;

		while (slots[at].node)
			at = (at + 1) & (nslots - 1);
		slots[at].hash = b->nodes[i].hash;
		slots[at].node = put_node(b, i, &nodes);
		if (((at - home) & (nslots - 1)) + 1 > maxprobe)
			maxprobe = (uint32_t)(((at - home) & (nslots - 1)) + 1);
	}
	memset(h, 0, sizeof(*h));
	memcpy(h->magic, GAZ_MAGIC, 8);
	h->version = GAZ_VERSION;
	h->bom = GAZ_BOM;
	h->nslots = (uint32_t)nslots;
	h->nentries = (uint32_t)b->nentries;
	h->nnodes = (uint32_t)b->nnodes;
	h->maxtoks = b->maxtoks;
	h->maxprobe = maxprobe;
	h->flags = all_capitalised(b) ? GAZ_NEEDS_CAP : 0;
	h->nodes_size = nodes.len;
	h->strings_size = b->strings.len;
	buf_put(body, slots, nslots * sizeof(*slots));
	buf_put(body, b->entries, b->nentries * sizeof(*b->entries));
	buf_put(body, nodes.s, nodes.len);
	buf_put(body, b->strings.s, b->strings.len);
	while ((sizeof(*h) + body->len) % 8)
		buf_putc(body, '\0');
	h->filter_size = nwords * sizeof(*filter);
	buf_put(body, filter, h->filter_size);
	h->file_size = sizeof(*h) + body->len;
	h->checksum = gaz_checksum(body->s, body->len);
	buf_free(&nodes);
	free(slots);
	free(filter);
}

int gaz_builder_write(struct gaz_builder *b, const char *path)
{
	struct gaz_header h;
	struct buf body = BUF_INIT;
	FILE *fp;
	int ret = -1;

	lay_out(b, &h, &body);
	/* Never a symbolic link's target. */
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		      0666);

	if (fd < 0)
		goto out_free;
	if (!(fp = fdopen(fd, "wb"))) {
		close(fd);
		goto out_free;
	}
	if (write_all(fp, &h, sizeof(h)) == 0 &&
	    write_all(fp, body.s, body.len) == 0)
		ret = 0;
	if (fclose(fp) != 0)
		ret = -1;
out_free:
	buf_free(&body);
	return ret;
}

static char *source_name(const char *path)
{
	const char *base = strrchr(path, '/');
	char *s = xstrdup(base ? base + 1 : path);
	size_t n = strlen(s);

	if (n > 4 && strcmp(s + n - 4, ".tsv") == 0)
		s[n - 4] = '\0';
	return s;
}

/* Cut s at TABs into at most max fields; returns how many there are
 * (max + 1 if there are too many). */
static size_t split_fields(char *s, char **f, size_t max)
{
	size_t k = 0;

	for (;;) {
		char *tab = strchr(s, '\t');

		if (k == max)
			return max + 1;
		f[k++] = s;
		if (!tab)
			return k;
		*tab = '\0';
		s = tab + 1;
	}
}

static int valid_type(const char *t)
{
	if (!*t)
		return 0;
	for (; *t; t++)
		if (*t < 'A' || *t > 'Z')
			return 0;
	return 1;
}

/* Into out (replaced), surface with the other spelling of each
 * co-operate and co-ordinate word (Cooperation <-> Co-operation,
 * coordinating <-> co-ordinating: the Oxford spelling keeps the hyphen),
 * so that one list entry finds both; ASCII case is kept.  Returns 1 when
 * surface has such a word, else 0 (out is then empty).  Only these two
 * stems: "co" before a vowel is no prefix in coast or coalition. */
static int co_variant(const char *surface, struct buf *out)
{
	static const char *const stems[] = { "operat", "ordinat" };
	int found = 0;

	buf_reset(out);
	for (const char *s = surface; *s;) {
		int word_start = s == surface || !isalpha((unsigned char)s[-1]);
		int done = 0;

		if (word_start && strncasecmp(s, "co", 2) == 0)
			for (size_t k = 0; k < 2 && !done; k++) {
				size_t n = strlen(stems[k]);
				int hy = s[2] == '-';

				if (strncasecmp(s + 2 + hy, stems[k], n) == 0) {
					buf_put(out, s, 2);
					if (!hy)
						buf_putc(out, '-');
					s += 2 + hy;
					done = found = 1;
				}
			}
		if (!done)
			buf_putc(out, *s++);
	}
	if (!found)
		buf_reset(out);
	return found;
}

int gaz_builder_load_tsv(struct gaz_builder *b, FILE *fp, const char *path,
			 struct err *e)
{
	struct buf line = BUF_INIT, clean = BUF_INIT, variant = BUF_INIT;
	char *source = source_name(path), *f[4];
	struct err why;
	size_t lineno = 0;
	ssize_t n;
	int ret = 0;

	while (ret == 0 && (n = buf_getline(&line, fp)) > 0) {
		lineno++;
		while (line.len && (line.s[line.len - 1] == '\n' ||
				    line.s[line.len - 1] == '\r'))
			line.s[--line.len] = '\0';
		if (line.len == 0 || line.s[0] == '#')
			continue;
		buf_reset(&clean);
		if (utf_repair(&clean, line.s, line.len, lineno == 1, NULL, NULL)) {
			ret = err_set(e, EX_DATAERR, "%s:%zu: invalid UTF-8 or NUL "
				      "byte", path, lineno);
			break;
		}
		size_t k = split_fields(clean.s, f, 4);
		if (k != 4) {
			ret = err_set(e, EX_DATAERR, "%s:%zu: want 4 TAB-separated "
				      "fields (surface, type, canonical, attrs)",
				      path, lineno);
		} else if (!valid_type(f[1])) {
			ret = err_set(e, EX_DATAERR, "%s:%zu: type '%s' is not "
				      "upper-case letters", path, lineno, f[1]);
		} else if (gaz_builder_add(b, f[0], f[1], f[2], f[3], source,
					   &why) < 0 ||
			   (co_variant(f[0], &variant) &&
			    gaz_builder_add(b, variant.s, f[1], *f[2] ? f[2] : f[0],
					    f[3], source, &why) < 0)) {
			ret = err_set(e, why.code, "%s:%zu: %s", path, lineno,
				      why.msg);
		}
	}
	if (ret == 0 && n < 0) {
		ret = err_set(e, EX_DATAERR, "%s: read error", path);
	}
	free(source);
	buf_free(&line);
	buf_free(&clean);
	buf_free(&variant);
	return ret;
}
