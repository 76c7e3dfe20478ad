/* test-gaz.c - compiling, loading and matching gazetteers. */
#include <stdlib.h>
#include <sysexits.h>
#include <unistd.h>

#include "check.h"
#include "doc.h"
#include "gaz.h"
#include "tokenize.h"

static char path[] = "/tmp/nerpipe-test-gaz-XXXXXX";
static struct doc *d;

static void tokens(const char *s)
{
	struct tokenize_state st;

	doc_clear(d);
	tokenize_begin(&st);
	tokenize_text(d, &st, s, strlen(s));
}

/* Length of the match at token i, 0 for none; type in *type. */
static size_t match(const struct gaz *g, size_t i, const char **type)
{
	struct gaz_hit hit;

	if (!gaz_match(g, d, i, 0, &hit))
		return 0;
	*type = hit.type;
	return hit.len;
}

static void build(void)
{
	struct gaz_builder *b = gaz_builder_new();
	char err[128];
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
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++)
		gaz_builder_add(b, rows[i][0], rows[i][1], rows[i][2], rows[i][3],
				"test", err, sizeof(err));
	CHECK("empty surface is refused",
	      gaz_builder_add(b, "  ", "LOC", "", "", "test", err, sizeof(err)) < 0);
	CHECK("unknown case policy is refused",
	      gaz_builder_add(b, "X", "LOC", "", "case=loud", "test", err, sizeof(err)) < 0);
	CHECK("writes", gaz_builder_write(b, path) == 0);
	gaz_builder_free(b);
}

/* Copy the file with a change, then try to open it. */
static int open_damaged(size_t off, const void *bytes, size_t n, long cut)
{
	char cmd[256], damaged[64];
	struct gaz *g;
	char err[256];
	FILE *fp;
	int st;

	snprintf(damaged, sizeof(damaged), "%s.bad", path);
	snprintf(cmd, sizeof(cmd), "cp %s %s", path, damaged);
	if (system(cmd) != 0)
		return -1;
	if (n) {
		fp = fopen(damaged, "r+b");
		fseek(fp, (long)off, SEEK_SET);
		fwrite(bytes, 1, n, fp);
		fclose(fp);
	}
	if (cut >= 0 && truncate(damaged, cut) != 0)
		return -1;
	st = gaz_open(damaged, &g, err, sizeof(err));
	gaz_close(g);
	unlink(damaged);
	return st;
}

int main(void)
{
	struct gaz *g;
	char err[256];
	const char *type = NULL;
	int fd = mkstemp(path);

	close(fd);
	d = doc_new();
	build();
	CHECK("opens", gaz_open(path, &g, err, sizeof(err)) == 0);
	CHECK("entry count", gaz_entries(g) == 11);

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
	tokens("Muhammad Bagheri, Mohammad Karami");
	CHECK("a given name is never respelt", match(g, 0, &type) == 0);
	tokens("Muhammad baqeri; Tasneem");
	CHECK("a fold match needs capitals", match(g, 0, &type) == 0);
	CHECK("one-word ORG entries get no fold key", match(g, 3, &type) == 0);

	tokens("Georgia");
	CHECK("higher priority wins", match(g, 0, &type) == 1 && strcmp(type, "LOC") == 0);
	CHECK("gaz_has", gaz_has(g, "pakistan", 8, "LOC") && !gaz_has(g, "pakistan", 8, "PER"));
	const char *types[] = { "PER", "LOC", NULL };
	CHECK("gaz_has_types: one look-up, a bit per type asked",
	      gaz_has_types(g, "pakistan", 8, types, 3) == 6 &&
	      gaz_has_types(g, "nowhere", 7, types, 3) == 0);
	gaz_close(g);

	CHECK("missing file is EX_NOINPUT",
	      gaz_open("/nonexistent/x.gaz", &g, err, sizeof(err)) == EX_NOINPUT);
	CHECK("bad magic is EX_DATAERR", open_damaged(0, "XXXX", 4, -1) == EX_DATAERR);
	uint32_t v = 99;
	CHECK("other version is EX_DATAERR", open_damaged(8, &v, 4, -1) == EX_DATAERR);
	CHECK("truncated file is EX_DATAERR", open_damaged(0, NULL, 0, 100) == EX_DATAERR);
	uint32_t huge = 0xFFFFFF;
	CHECK("offset out of range is EX_DATAERR",
	      open_damaged(sizeof(struct gaz_header), &huge, 4, -1) == EX_DATAERR);
	CHECK("empty file is EX_DATAERR", open_damaged(0, NULL, 0, 0) == EX_DATAERR);

	unlink(path);
	doc_free(d);
	return CHECK_DONE();
}
