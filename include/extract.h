/* extract.h - main text and metadata of an HTML page (libxml2), decoded to UTF-8. */
#ifndef NERPIPE_EXTRACT_H
#define NERPIPE_EXTRACT_H

#include <stddef.h>

#include "buf.h"

/* What extract_page learned about a page.  Every string is owned by the
 * struct, NUL-terminated, valid UTF-8, and NULL when the page did not say;
 * extract_free releases them.  text holds the main text: paragraphs
 * separated by a blank line, ending in one newline, or empty. */
struct extract_page {
	struct buf text;
	char *title;
	char *date;		/* ISO 8601 as the page gave it */
	char *site;
	char *canonical;	/* absolute when a base URL was known */
	const char *charset;	/* the encoding the bytes were read as */
	int charset_guessed;	/* no declaration: guessed from the bytes */
	size_t nbad;		/* bytes that became U+FFFD */
};

void extract_init(struct extract_page *p);
void extract_free(struct extract_page *p);	/* accepts NULL */

/* Decode raw bytes s[0..n) to clean UTF-8 in out (appended), choosing the
 * encoding from, in order: a byte-order mark, the charset parameter of
 * content_type (may be NULL), a <meta charset> or http-equiv declaration
 * in the first 4 KiB, else UTF-8 when the bytes are valid UTF-8 and
 * windows-1252 when not.  ISO-8859-1 and US-ASCII are read as
 * windows-1252, as browsers do.  Bytes the encoding cannot map become
 * U+FFFD.  Returns the number of such replacements; *charset (may be
 * NULL) gets a static name of the encoding used and *guessed whether it
 * was a guess. */
size_t extract_decode(struct buf *out, const char *s, size_t n,
		      const char *content_type, const char **charset,
		      int *guessed);

/* Decode and parse the page in s[0..n) and fill p (which extract_init
 * prepared).  base_url (may be NULL) resolves a relative canonical link.
 * Returns 0, or -1 when libxml2 could not build a tree at all (p then
 * holds no text).  A page without an article body is not an error: its
 * text is empty or short. */
int extract_page(struct extract_page *p, const char *s, size_t n,
		 const char *content_type, const char *base_url);

#endif
