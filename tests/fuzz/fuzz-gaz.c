/* fuzz-gaz.c - the gazetteer loader and matcher: any bytes as a .gaz
 * file; if it loads, every look-up over a fixed document must stay
 * inside the file and the document.  The header's file size is set to
 * the input's, so that mutations get past the first check. */
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const types[] = { "PER", NULL, "LOC" };
	uint8_t *copy = malloc(size ? size : 1);
	struct gaz *g;
	char err[512];

	if (!doc) {
		make_doc();
		atexit(done);
	}
	memcpy(copy, data, size);
	if (size >= sizeof(struct gaz_header)) {
		uint64_t n = size;

		memcpy(copy + offsetof(struct gaz_header, file_size), &n, sizeof(n));
	}
	if (gaz_open(fuzz_file(copy, size), &g, err, sizeof(err)) == 0) {
		(void)gaz_entries(g);
		(void)gaz_needs_cap(g);
		for (size_t i = 0; i < doc->ntoks; i++) {
			struct gaz_hit hit;
			const char *key = tok_key(doc, &doc->toks[i]);

			for (int ow = 0; ow < 2; ow++)
				if (gaz_match(g, doc, i, ow, &hit) > 0 &&
				    (hit.len == 0 || i + hit.len > doc->ntoks))
					abort();
			(void)gaz_may_start(g, key);
			(void)gaz_has_types(g, key, strlen(key), types, 3);
		}
		gaz_close(g);
	}
	free(copy);
	return 0;
}
