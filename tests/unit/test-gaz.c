/* test-gaz.c - compiling, loading and matching gazetteers. */
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <sysexits.h>
#include <unistd.h>

#include "check.h"
#include "doc.h"
#include "gaz.h"
#include "tokenize.h"


/* gaz_open, its status as an exit code (0, or e.code) and its message
 * kept in errmsg. */
static char errmsg[512];
static int open_st(const char *p, unsigned flags, struct gaz **g)
{
	struct err e;

	*g = NULL;
	if (gaz_open(p, flags, g, &e) == 0)
		return 0;
	snprintf(errmsg, sizeof(errmsg), "%s", e.msg);
	return e.code;
}

static char path[] = "/tmp/nerpipe-test-gaz-XXXXXX";
static struct doc *d;

static void tokens(const char *s)
{
	struct tokenize_state st;

	doc_clear(d);
	tokenize_begin(&st);
	tokenize_text(d, &st, s, strlen(s));
}

static struct gaz_memo *memo;	/* of the g match() is given, or NULL */
static int memo_differs;	/* how often it answered otherwise */

/* Do two answers of a match agree? */
static int same_hit(int m1, const struct gaz_hit *h1, int m2,
		    const struct gaz_hit *h2)
{
	return m1 == m2 && (m1 <= 0 || (h1->len == h2->len &&
		h1->type == h2->type && h1->canon == h2->canon &&
		h1->source == h2->source && h1->attrs == h2->attrs &&
		h1->folded == h2->folded));
}

/* Length of the match at token i, 0 for none; type in *type.  Where
 * there is a memo, gaz_memo_match must answer the same, before and
 * after it keeps the answers. */
static size_t match(const struct gaz *g, size_t i, const char **type)
{
	struct gaz_hit hit, mhit;
	int m = gaz_match(g, d, i, 0, &hit);

	for (int k = 0; memo && k < 2; k++)
		memo_differs += !same_hit(m, &hit,
					  gaz_memo_match(memo, d, i, 0, &mhit),
					  &mhit);
	if (m <= 0)
		return 0;
	*type = hit.type;
	return hit.len;
}

static void build(void)
{
	struct gaz_builder *b = gaz_builder_new();
	struct err e;
	static const char *rows[][4] = {
		{ "Pakistan", "LOC", "", "" },
		{ "Pakistan Army", "ORG", "", "" },
		{ "Major General", "RANK", "", "full=Major General;nato=OF-7" },
		{ "General", "RANK", "", "full=General;nato=OF-9" },
		{ "IRNA", "ORG", "", "case=exact" },
		{ "Sistan-Baluchestan", "LOC", "Sistan and Baluchestan", "" },
		{ "Jaish al-Adl", "ORG", "", "" },
		{ "Georgia", "LOC", "", "prio=1" },
		{ "Georgia", "PER", "", "" },
		{ "Mohammad Bagheri", "PER", "", "" },
		{ "Tasnim", "ORG", "", "" },
		{ "Pakistan Army Corps", "ORG", "", "" },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++)
		gaz_builder_add(b, rows[i][0], rows[i][1], rows[i][2], rows[i][3],
				"test", &e);
	CHECK("empty surface is refused",
	      gaz_builder_add(b, "  ", "LOC", "", "", "test", &e) < 0);
	CHECK("unknown case policy is refused",
	      gaz_builder_add(b, "X", "LOC", "", "case=loud", "test", &e) < 0);
	CHECK("writes", gaz_builder_write(b, path) == 0);
	gaz_builder_free(b);
}

/* Copy the file to path.bad with a change (n bytes at off, then cut to
 * cut bytes if cut >= 0); returns the new file's name. */
static const char *damage(size_t off, const void *bytes, size_t n, long cut)
{
	static char damaged[64];
	char cmd[256];
	FILE *fp;

	snprintf(damaged, sizeof(damaged), "%s.bad", path);
	snprintf(cmd, sizeof(cmd), "cp %s %s", path, damaged);
	if (system(cmd) != 0)
		return NULL;
	if (n) {
		fp = fopen(damaged, "r+b");
		fseek(fp, (long)off, SEEK_SET);
		fwrite(bytes, 1, n, fp);
		fclose(fp);
	}
	if (cut >= 0 && truncate(damaged, cut) != 0)
		return NULL;
	return damaged;
}

/* Where the file's string table ends (the filter follows, aligned). */
static size_t strings_end(void)
{
	struct gaz_header h;
	FILE *fp = fopen(path, "rb");

	if (!fp || fread(&h, sizeof(h), 1, fp) != 1)
		abort();
	fclose(fp);
	return sizeof(h) + h.nslots * sizeof(struct gaz_slot) +
	       h.nentries * sizeof(struct gaz_entry) + h.nodes_size +
	       h.strings_size;
}

/* Copy the file with a change, then try to open it (with flags). */
static int open_damaged(size_t off, const void *bytes, size_t n, long cut,
			unsigned flags)
{
	const char *damaged = damage(off, bytes, n, cut);
	struct gaz *g;
	int st;

	if (!damaged)
		return -1;
	st = open_st(damaged, flags, &g);
	gaz_close(g);
	unlink(damaged);
	return st;
}

/* Make every slot that holds a node point outside the nodes. */
static void edit_slots(FILE *fp, const struct gaz_header *h)
{
	for (uint32_t k = 0; k < h->nslots; k++) {
		long at = (long)(sizeof(*h) + k * sizeof(struct gaz_slot));
		struct gaz_slot s;

		fseek(fp, at, SEEK_SET);
		if (fread(&s, sizeof(s), 1, fp) != 1)
			abort();
		if (s.node) {
			s.node = 0xFFFFFF;
			fseek(fp, at, SEEK_SET);
			fwrite(&s, sizeof(s), 1, fp);
		}
	}
}

/* Clear the filter, the file's last filter_size bytes. */
static void edit_filter(FILE *fp, const struct gaz_header *h)
{
	fseek(fp, (long)(h->file_size - h->filter_size), SEEK_SET);
	for (uint64_t k = 0; k < h->filter_size; k++)
		putc(0, fp);
}

/* A copy of the file changed by edit, and the checksum made right
 * again (so that only the structure is wrong); returns its name. */
static const char *damage_fixed(void (*edit)(FILE *, const struct gaz_header *))
{
	static char damaged[64];
	struct gaz_header h;
	FILE *fp;

	snprintf(damaged, sizeof(damaged), "%s.bad", path);
	if (!damage(0, NULL, 0, -1) || !(fp = fopen(damaged, "r+b")) ||
	    fread(&h, sizeof(h), 1, fp) != 1)
		abort();
	edit(fp, &h);
	fseek(fp, 0, SEEK_END);
	size_t n = (size_t)ftell(fp) - sizeof(h);
	char *body = malloc(n);

	fseek(fp, sizeof(h), SEEK_SET);
	if (!body || fread(body, 1, n, fp) != n)
		abort();
	h.checksum = gaz_checksum(body, n);
	free(body);
	fseek(fp, 0, SEEK_SET);
	fwrite(&h, sizeof(h), 1, fp);
	fclose(fp);
	return damaged;
}

int main(void)
{
	struct gaz *g;
	const char *type = NULL;
	int fd = mkstemp(path);

	close(fd);
	d = doc_new();
	build();
	CHECK("opens", open_st(path, 0, &g) == 0);
	CHECK("entry count", gaz_entries(g) == 12);
	memo = gaz_memo_new(g);

	tokens("The Pakistan Army and Pakistan.");
	CHECK("longest match wins", match(g, 1, &type) == 2 && strcmp(type, "ORG") == 0);
	CHECK("shorter entry alone", match(g, 4, &type) == 1 && strcmp(type, "LOC") == 0);
	CHECK("no match on a common word", match(g, 0, &type) == 0);

	tokens("Major General Baqeri and the general");
	CHECK("two-token rank", match(g, 0, &type) == 2 && strcmp(type, "RANK") == 0);
	CHECK("title case refuses lower case", match(g, 5, &type) == 0);
	tokens("MAJOR GENERAL BAQERI");
	CHECK("title case accepts capitals", match(g, 0, &type) == 2);

	tokens("IRNA, Irna and irna");
	CHECK("exact case accepts the listed form", match(g, 0, &type) == 1);
	CHECK("exact case refuses another form", match(g, 2, &type) == 0);

	tokens("Sistan\xe2\x80\x93" "Baluchestan and Jaish Al-Adl");
	CHECK("an en dash matches a hyphen", match(g, 0, &type) == 3);
	CHECK("lower-case entry word matches any case", match(g, 4, &type) == 4);

	tokens("Pakistan\nArmy");
	CHECK("a match stops at a line start", match(g, 0, &type) == 1);

	tokens("Mohammad Baqeri met Sistan and Baluchistan police");
	CHECK("a spelling variant matches by fold key", match(g, 0, &type) == 2 &&
	      strcmp(type, "PER") == 0);
	CHECK("connectors fold away", match(g, 3, &type) == 3 &&
	      strcmp(type, "LOC") == 0);
	tokens("Mohammad Bagheri");
	struct gaz_hit same;
	CHECK("a fold match no longer than the exact one is not taken",
	      gaz_match(g, d, 0, 0, &same) == 1 && same.len == 2 &&
	      !same.folded && match(g, 0, &type) == 2);
	tokens("Pakestan Army Band");
	CHECK("a respelt name by fold key", match(g, 0, &type) == 2);
	tokens("Pakestan Army Corps");
	CHECK("... and a longer one, past the steps the memo knows",
	      match(g, 0, &type) == 3);
	tokens("Muhammad Bagheri, Mohammad Karami");
	CHECK("a given name is never respelt", match(g, 0, &type) == 0);
	tokens("Muhammad baqeri; Tasneem");
	CHECK("a fold match needs capitals", match(g, 0, &type) == 0);
	CHECK("one-word ORG entries get no fold key", match(g, 3, &type) == 0);

	tokens("Pakistanpakistanpakistan Pakistan Army");
	CHECK("a key too long for the memo", match(g, 0, &type) == 0 &&
	      match(g, 1, &type) == 2);
	char longtext[1200] = "Pakistan ";

	memset(longtext + 9, 'x', sizeof(longtext) - 10);
	tokens(longtext);
	CHECK("a key longer than a walk holds ends the match",
	      match(g, 0, &type) == 1);
	tokens("Georgia");
	CHECK("higher priority wins", match(g, 0, &type) == 1 && strcmp(type, "LOC") == 0);
	/* Enough distinct words, each after a word whose fold key starts
	 * entries, for both of the memo's tables to double to their
	 * largest, with the answers it had before asked again after. */
	struct buf many = BUF_INIT;

	for (int k = 0; k < 20000; k++)
		buf_printf(&many, "Pakestan Qw%d Pakestan Army Band ", k);
	tokens(many.s);
	size_t hits = 0;

	for (size_t i = 0; i < d->ntoks; i++)
		hits += match(g, i, &type) > 0;
	buf_free(&many);
	CHECK("the memo answers the same while it grows",
	      hits == 20000 && memo_differs == 0);
	tokens("Mohammad Baqeri met Sistan and Baluchistan police");
	CHECK("... and after", match(g, 0, &type) == 2 &&
	      match(g, 3, &type) == 3);
	CHECK("the memo answers as gaz_match does, kept across documents",
	      memo_differs == 0);
	gaz_memo_free(memo);
	memo = NULL;
	CHECK("gaz_has", gaz_has(g, "pakistan", 8, "LOC") && !gaz_has(g, "pakistan", 8, "PER"));
	const char *types[] = { "PER", "LOC", NULL };
	uint32_t mask = 0, none = 1;
	CHECK("gaz_has_types: one look-up, a bit per type asked",
	      gaz_has_types(g, "pakistan", 8, types, 3, &mask) == 0 && mask == 6 &&
	      gaz_has_types(g, "nowhere", 7, types, 3, &none) == 0 && none == 0);
	gaz_close(g);

	CHECK("a sound file passes the whole check",
	      open_st(path, GAZ_VERIFY, &g) == 0);
	gaz_close(g);
	CHECK("missing file is EX_NOINPUT",
	      open_st("/nonexistent/x.gaz", 0, &g) == EX_NOINPUT);
	CHECK("bad magic is EX_DATAERR", open_damaged(0, "XXXX", 4, -1, 0) == EX_DATAERR);
	uint32_t v = 99;
	CHECK("other version is EX_DATAERR", open_damaged(8, &v, 4, -1, 0) == EX_DATAERR);
	CHECK("truncated file is EX_DATAERR", open_damaged(0, NULL, 0, 100, 0) == EX_DATAERR);
	CHECK("empty file is EX_DATAERR", open_damaged(0, NULL, 0, 0, 0) == EX_DATAERR);
	uint32_t three = 3;
	CHECK("an index size that is no power of two is EX_DATAERR at once",
	      open_damaged(offsetof(struct gaz_header, nslots), &three, 4, -1, 0) ==
	      EX_DATAERR);
	uint32_t huge = 0xFFFFFF;
	CHECK("a probe limit beyond the index is EX_DATAERR at once",
	      open_damaged(offsetof(struct gaz_header, maxprobe), &huge, 4, -1, 0) ==
	      EX_DATAERR);

	/* Slots pointing out of the nodes: opened, since nothing past the
	 * header is read at open, but a look-up that meets one says so;
	 * the whole check refuses the file at once. */
	const char *bad = damage_fixed(edit_slots);
	struct gaz *bg = NULL;

	CHECK("nodes out of range open",
	      open_st(bad, 0, &bg) == 0);
	CHECK("... and a look-up that meets one is a fault", bg &&
	      gaz_has_types(bg, "pakistan", 8, types, 3, &mask) == GAZ_BAD_NODE &&
	      gaz_match(bg, d, 0, 0, &(struct gaz_hit){ 0 }) ==
	      GAZ_BAD_NODE);
	if (bg) {
		struct gaz_memo *bm = gaz_memo_new(bg);

		CHECK("... every time, with a memo too",
		      gaz_memo_match(bm, d, 0, 0, &(struct gaz_hit){ 0 }) ==
		      GAZ_BAD_NODE &&
		      gaz_memo_match(bm, d, 0, 0, &(struct gaz_hit){ 0 }) ==
		      GAZ_BAD_NODE);
		gaz_memo_free(bm);
	}
	gaz_close(bg);
	CHECK("... which the whole check finds at open",
	      open_st(bad, GAZ_VERIFY, &bg) == EX_DATAERR &&
	      strstr(errmsg, "node out of range") != NULL);
	unlink(bad);

	/* A filter without the keys: they are not found, and only the
	 * whole check tells why. */
	bad = damage_fixed(edit_filter);
	CHECK("an empty filter opens", open_st(bad, 0, &bg) == 0);
	CHECK("... and finds nothing", bg && !gaz_has(bg, "pakistan", 8, NULL) &&
	      match(bg, 0, &type) == 0);
	gaz_close(bg);
	CHECK("... which the whole check finds at open",
	      open_st(bad, GAZ_VERIFY, &bg) == EX_DATAERR &&
	      strstr(errmsg, "a key is missing from the filter") != NULL);
	unlink(bad);

	/* One byte of a canonical name (the string table's last but one)
	 * changed: nothing to see but the checksum. */
	bad = damage(strings_end() - 3, "Z", 1, -1);
	CHECK("a changed byte opens", bad && open_st(bad, 0, &bg) == 0);
	gaz_close(bg);
	CHECK("... but not with the whole check, which names the checksum",
	      open_st(bad, GAZ_VERIFY, &bg) == EX_DATAERR &&
	      strstr(errmsg, "checksum does not match") != NULL);
	unlink(bad);

	unlink(path);
	doc_free(d);
	return CHECK_DONE();
}
