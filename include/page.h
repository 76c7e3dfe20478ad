/* page.h - an HTML page read for its main text and metadata, decoded to UTF-8. */
#ifndef NERPIPE_PAGE_H
#define NERPIPE_PAGE_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

/* What page_read learned about a page.  Every string is owned by the
 * struct, NUL-terminated, valid UTF-8, and NULL when the page did not say;
 * page_free releases them.  text holds the main text: paragraphs
 * separated by a blank line, ending in one newline, or empty. */
struct page {
	/* The article body: the main text, paragraphs one a line, without
	 * the headline (as schema.org's articleBody, and as extraction
	 * benchmarks count it). */
	struct buf text;
	char *headline;		/* the page's headline, or NULL */
	char *title;
	char *date;		/* ISO 8601 as the page gave it */
	char *site;
	char *canonical;	/* absolute when a base URL was known */
};

/* Make p empty (every pointer NULL), ready for page_read. */
void page_init(struct page *p);

/* Free what p holds and make it empty again.  Accepts NULL. */
void page_free(struct page *p);

/* Decode raw bytes s[0..n) to clean UTF-8 in out (appended), choosing the
 * encoding from, in order: a byte-order mark, the charset parameter of
 * content_type (may be NULL), a <meta charset> or http-equiv declaration
 * in the first 4 KiB, else UTF-8 when the bytes are valid UTF-8 and
 * windows-1252 when not.  ISO-8859-1 and US-ASCII are read as
 * windows-1252, as browsers do (the WHATWG Encoding Standard's labels).
 * Bytes the encoding cannot map become U+FFFD.  Returns the number of
 * such replacements; *charset (may be NULL) gets a static name of the
 * encoding used and *guessed (may be NULL) whether it was a guess. */
size_t page_decode(struct buf *out, const char *s, size_t n,
		   const char *content_type, const char **charset,
		   int *guessed);

/* Decode the page in s[0..n) (n in bytes), parse it once and fill p
 * (which page_init prepared): metadata from <meta>, <link>, JSON-LD and
 * microdata, the headline, and the article body (any copy of the
 * headline in it taken out).  base_url (may be NULL) resolves a
 * relative canonical link.  Returns 0, or -1 with e saying why
 * (EX_DATAERR; p then holds no text) when libxml2 could not build a
 * tree at all or the page nests elements deeper than 2048 levels.  A page without an
 * article body is not an error: its text is empty or short. */
int page_read(struct page *p, const char *s, size_t n,
	      const char *content_type, const char *base_url, struct err *e);

#endif
