/* fuzz-gaz.c - the gazetteer loader and matcher: any bytes as a .gaz
 * file; if it loads, every look-up over a fixed document must stay
 * inside the file and the document.  The header's file size and
 * checksum are set to the input's, so that mutations get past the
 * first checks.  A file that passes the whole check (GAZ_VERIFY) must
 * give no fault at all. */
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "fuzz.h"
#include "gaz.h"
#include "tokenize.h"

static const char text[] =
	"He met Khan. Gen Ahmad Khan Abbasi of the Pakistan Army met "
	"Muhammad Baqeri, Maj Gen Bagheri and IRNA in Tehran on Monday.\n"
	"KHAN Khan khan Kim Myung-soo";

static struct doc *doc;

static void make_doc(void)
{
	struct tokenize_state st;

	doc = doc_new();
	doc_set_id(doc, "fuzz");
	tokenize_begin(&st);
	tokenize_text(doc, &st, text, sizeof(text) - 1);
	/* One tagged token, so that overwrite makes a difference. */
	doc_tag(doc, 1, 1, "PER", "met", "fuzz", "");
}

static void done(void)
{
	doc_free(doc);
}

/* Every look-up over the document, each match with a memo as well
 * (twice: it must answer as gaz_match does, before and after it keeps
 * the answers); returns how many met a fault. */
static int look_up_all(const struct gaz *g)
{
	static const char *const types[] = { "PER", NULL, "LOC" };
	struct gaz_memo *memo = gaz_memo_new(g);
	int faults = 0;

	for (size_t i = 0; i < doc->ntoks; i++) {
		struct gaz_hit hit;
		const char *key = tok_key(doc, &doc->toks[i]);
		uint32_t mask;

		for (int ow = 0; ow < 2; ow++) {
			int m = gaz_match(g, doc, i, ow, &hit);

			if (m > 0 && (hit.len == 0 || i + hit.len > doc->ntoks))
				abort();
			faults += m < 0;
			for (int k = 0; k < 2; k++) {
				struct gaz_hit mh;
				int mm = gaz_memo_match(memo, doc, i, ow, &mh);

				if (mm != m || (m > 0 && (mh.len != hit.len ||
				    mh.type != hit.type || mh.canon != hit.canon ||
				    mh.source != hit.source ||
				    mh.attrs != hit.attrs ||
				    mh.folded != hit.folded)))
					abort();
			}
		}
		(void)gaz_may_start(g, key);
		faults += gaz_has_types(g, key, strlen(key), types, 3, &mask) < 0;
	}
	gaz_memo_free(memo);
	return faults;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	struct gaz *g;
	struct err e;

	if (!doc) {
		make_doc();
		atexit(done);
	}
	memcpy(copy, data, size);
	if (size >= sizeof(struct gaz_header)) {
		uint64_t n = size, sum;

		memcpy(copy + offsetof(struct gaz_header, file_size), &n, sizeof(n));
		sum = gaz_checksum(copy + sizeof(struct gaz_header),
				   size - sizeof(struct gaz_header));
		memcpy(copy + offsetof(struct gaz_header, checksum), &sum,
		       sizeof(sum));
	}
	const char *path = fuzz_file(copy, size);

	if (gaz_open(path, 0, &g, &e) == 0) {
		(void)gaz_entries(g);
		(void)gaz_needs_cap(g);
		(void)look_up_all(g);
		gaz_close(g);
	}
	if (gaz_open(path, GAZ_VERIFY, &g, &e) == 0) {
		if (look_up_all(g) != 0)
			abort();
		gaz_close(g);
	}
	free(copy);
	return 0;
}
