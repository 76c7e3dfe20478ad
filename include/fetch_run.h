/* fetch_run.h - ner-fetch's work: inputs (URLs or saved pages) in, ner-stream documents out, in order. */
#ifndef NERPIPE_FETCH_RUN_H
#define NERPIPE_FETCH_RUN_H

#include <stddef.h>
#include <stdio.h>

#include "fetch.h"

struct fetch_run_opts {
	const char *save_dir;	/* keep raw bodies and headers here, or NULL */
	const char *text_dir;	/* write each article body here as ID.txt,
				 * or NULL */
	int no_headline;	/* the text is the body alone */
};

/* Turn each input into one ner-stream(5) document written to out, in
 * input order whatever order transfers finish in.  An input is a URL
 * (scheme://...), fetched with o, or the name of a saved page.  The
 * inputs are inputs[0..n), or when inputs is NULL the lines of in (blank
 * lines and lines starting with # skipped).  The directories of ro must
 * exist.  Pages are read with page_read (page.h); a document's text is
 * the page's headline, a blank line and its article body.  Every failure is
 * reported on stderr and still gives a document with an error key.
 * Returns the exit status (sysexits.h): EX_OK, else the worst of
 * EX_DATAERR (a page could not be read), EX_UNAVAILABLE (a URL failed),
 * EX_NOINPUT (a file could not be read), EX_IOERR (reading in, or
 * writing a file of ro, failed), EX_SOFTWARE (libcurl could not be set
 * up).  Work stops at the first failed write to out, which is not
 * closed: the caller checks it. */
int fetch_run(const struct fetch_opts *o, const struct fetch_run_opts *ro,
	      char *const *inputs, size_t n, FILE *in, FILE *out);

#endif
