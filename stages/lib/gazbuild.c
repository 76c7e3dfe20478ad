/* gazbuild.c - compile gazetteer entries into the format gaz.c loads. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "fold.h"
#include "gaz.h"
#include "strmap.h"
#include "tokenize.h"
#include "utf.h"

/* A node's claim on an entry: by exact key or by fold key. */
struct bref {
	uint32_t node, entry;
};

struct gaz_builder {
	struct buf strings;
	struct gaz_node *nodes;
	size_t nnodes, capnodes;
	uint32_t *table;	/* open addressing over nodes: index + 1 */
	size_t tabsize;
	struct gaz_entry *entries;	/* string fields: offsets into strings */
	size_t nentries, capentries;
	struct bref *refs;
	size_t nrefs, caprefs;
	uint32_t maxtoks;
	struct doc *scratch;
	struct buf tmp;
	struct strmap shared;	/* type, source, attrs: string -> offset */
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
	buf_free(&b->tmp);
	free(b->nodes);
	free(b->table);
	free(b->entries);
	free(b->refs);
	doc_free(b->scratch);
	strmap_free(&b->shared);
	free(b);
}

size_t gaz_builder_count(const struct gaz_builder *b)
{
	return b->nentries;
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

/* A string many entries share (type, source, attrs) is stored once, so
 * that the loader checks each once. */
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
	uint32_t h = gaz_hash(key, n, GAZ_HASH_INIT);
	size_t slot = h & (b->tabsize - 1);

	while (b->table[slot]) {
		struct gaz_node *nd = &b->nodes[b->table[slot] - 1];

		if (nd->hash == h && nd->keylen == n &&
		    memcmp(b->strings.s + nd->key, key, n) == 0)
			return b->table[slot] - 1;
		slot = (slot + 1) & (b->tabsize - 1);
	}
	if (b->nnodes == b->capnodes) {
		b->capnodes = b->capnodes ? b->capnodes * 2 : 4096;
		b->nodes = xrealloc(b->nodes, b->capnodes * sizeof(*b->nodes));
	}
	struct gaz_node *nd = &b->nodes[b->nnodes];

	memset(nd, 0, sizeof(*nd));
	nd->key = add_string(b, key, n);
	nd->keylen = (uint32_t)n;
	nd->hash = h;
	b->table[slot] = (uint32_t)++b->nnodes;
	if (b->nnodes * 2 > b->tabsize)
		rehash(b);
	return (uint32_t)b->nnodes - 1;
}

/* Take case= and prio= out of attrs, copying the rest into out. */
static int split_attrs(const char *attrs, struct buf *out, int *casepol,
		       int *prio, char *err, size_t errlen)
{
	const char *p = attrs;

	*casepol = GAZ_CASE_TITLE;
	*prio = 0;
	buf_reset(out);
	while (*p) {
		size_t n = strcspn(p, ";");

		if (n > 5 && strncmp(p, "case=", 5) == 0) {
			if (n == 10 && strncmp(p + 5, "title", 5) == 0)
				*casepol = GAZ_CASE_TITLE;
			else if (n == 10 && strncmp(p + 5, "exact", 5) == 0)
				*casepol = GAZ_CASE_EXACT;
			else if (n == 8 && strncmp(p + 5, "any", 3) == 0)
				*casepol = GAZ_CASE_ANY;
			else {
				snprintf(err, errlen, "unknown case policy '%.*s' "
					 "(title, exact or any)", (int)n - 5, p + 5);
				return -1;
			}
		} else if (n > 5 && strncmp(p, "prio=", 5) == 0) {
			*prio = atoi(p + 5);
		} else if (n > 0) {
			if (out->len)
				buf_putc(out, ';');
			buf_put(out, p, n);
		}
		p += n + (p[n] == ';');
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
 * entries get one).  key is scratch space. */
static void add_fold_key(struct gaz_builder *b, const struct doc *d,
			 int casepol, uint32_t entry, struct buf *key)
{
	size_t words = 0;
	uint32_t node = 0;

	if (casepol == GAZ_CASE_EXACT)
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

int gaz_builder_add(struct gaz_builder *b, const char *surface,
		    const char *type, const char *canon, const char *attrs,
		    const char *source, char *err, size_t errlen)
{
	struct tokenize_state st;
	struct doc *d = b->scratch;
	struct buf rest = BUF_INIT, key = BUF_INIT, surf = BUF_INIT;
	int casepol, prio, ret = -1;

	doc_clear(d);
	tokenize_begin(&st);
	tokenize_text(d, &st, surface, strlen(surface));
	if (d->ntoks == 0) {
		snprintf(err, errlen, "empty surface");
		goto out;
	}
	if (d->ntoks > GAZ_MAXTOKS) {
		snprintf(err, errlen, "more than %d tokens", GAZ_MAXTOKS);
		goto out;
	}
	if (!*type) {
		snprintf(err, errlen, "empty type");
		goto out;
	}
	if (split_attrs(attrs, &rest, &casepol, &prio, err, errlen) < 0)
		goto out;
	uint32_t capmask = 0, node = 0;

	for (size_t k = 0; k < d->ntoks; k++) {
		if (k) {
			buf_putc(&key, GAZ_SEP);
			buf_putc(&surf, GAZ_SEP);
		}
		buf_puts(&key, tok_key(d, &d->toks[k]));
		buf_puts(&surf, tok_text(d, &d->toks[k]));
		if (utf_starts_upper(tok_text(d, &d->toks[k])))
			capmask |= 1u << k;
		node = node_for(b, key.s, key.len);	/* prefixes too */
	}
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
	add_fold_key(b, d, casepol, idx, &key);
	if (d->ntoks > b->maxtoks)
		b->maxtoks = (uint32_t)d->ntoks;
	ret = 0;
out:
	buf_free(&rest);
	buf_free(&key);
	buf_free(&surf);
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

int gaz_builder_write(struct gaz_builder *b, const char *path)
{
	struct gaz_header h;
	size_t nbuckets = b->nnodes ? b->nnodes : 1;
	uint32_t *buckets = xcalloc(nbuckets, sizeof(*buckets));
	uint32_t *refs = xcalloc(b->nrefs ? b->nrefs : 1, sizeof(*refs));
	FILE *fp;
	int ret = -1;

	sort_entries = b->entries;
	qsort(b->refs, b->nrefs, sizeof(*b->refs), cmp_ref);
	for (size_t i = 0; i < b->nnodes; i++)
		b->nodes[i].first = b->nodes[i].count = 0;
	for (size_t i = 0; i < b->nrefs; i++) {
		struct gaz_node *nd = &b->nodes[b->refs[i].node];

		if (nd->count++ == 0)
			nd->first = (uint32_t)i;
		refs[i] = b->refs[i].entry;
	}
	for (size_t i = 0; i < b->nnodes; i++) {
		size_t slot = b->nodes[i].hash % nbuckets;

		b->nodes[i].next = buckets[slot];
		buckets[slot] = (uint32_t)i + 1;
	}
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, GAZ_MAGIC, 8);
	h.version = GAZ_VERSION;
	h.bom = GAZ_BOM;
	h.nnodes = (uint32_t)b->nnodes;
	h.nentries = (uint32_t)b->nentries;
	h.nrefs = (uint32_t)b->nrefs;
	h.nbuckets = (uint32_t)nbuckets;
	h.maxtoks = b->maxtoks;
	h.strings_size = b->strings.len;
	h.file_size = sizeof(h) + b->nnodes * sizeof(struct gaz_node) +
		      b->nentries * sizeof(struct gaz_entry) +
		      b->nrefs * 4 + nbuckets * 4 + b->strings.len;
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
	    write_all(fp, b->nodes, b->nnodes * sizeof(*b->nodes)) == 0 &&
	    write_all(fp, b->entries, b->nentries * sizeof(*b->entries)) == 0 &&
	    write_all(fp, refs, b->nrefs * 4) == 0 &&
	    write_all(fp, buckets, nbuckets * 4) == 0 &&
	    write_all(fp, b->strings.s, b->strings.len) == 0)
		ret = 0;
	if (fclose(fp) != 0)
		ret = -1;
out_free:
	free(buckets);
	free(refs);
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

int gaz_builder_load_tsv(struct gaz_builder *b, FILE *fp, const char *path,
			 char *err, size_t errlen)
{
	struct buf line = BUF_INIT, clean = BUF_INIT;
	char *source = source_name(path), *f[4];
	char why[256];
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
			snprintf(err, errlen, "%s:%zu: invalid UTF-8 or NUL byte",
				 path, lineno);
			ret = -1;
			break;
		}
		size_t k = split_fields(clean.s, f, 4);
		if (k != 4) {
			snprintf(err, errlen, "%s:%zu: want 4 TAB-separated fields "
				 "(surface, type, canonical, attrs)", path, lineno);
			ret = -1;
		} else if (!valid_type(f[1])) {
			snprintf(err, errlen, "%s:%zu: type '%s' is not upper-case "
				 "letters", path, lineno, f[1]);
			ret = -1;
		} else if (gaz_builder_add(b, f[0], f[1], f[2], f[3], source, why,
					   sizeof(why)) < 0) {
			snprintf(err, errlen, "%s:%zu: %s", path, lineno, why);
			ret = -1;
		}
	}
	if (ret == 0 && n < 0) {
		snprintf(err, errlen, "%s: read error", path);
		ret = -1;
	}
	free(source);
	buf_free(&line);
	buf_free(&clean);
	return ret;
}
