/* stream.h - read and write the document stream described in ner-stream(5). */
#ifndef NERPIPE_STREAM_H
#define NERPIPE_STREAM_H

#include <stdio.h>

#include "buf.h"
#include "doc.h"
#include "err.h"

/* Reads documents one at a time.  name is used in messages. */
struct stream_reader {
	FILE *fp;
	const char *name;
	size_t lineno;
	struct buf line;
	struct buf field;
	struct err err;		/* set when stream_read returns -1: EX_DATAERR,
				 * or EX_IOERR for a read error */
	int truncated;		/* the last document had no #end */
	int pending;		/* line already holds the next line */
	int torn;		/* the last line read had no newline */
	/* Pass invalid UTF-8 on for the stage to repair, rather than
	 * stop with an error (ner-norm, ner-html).  0 after init. */
	int repair_utf8;
};

void stream_reader_init(struct stream_reader *r, FILE *fp, const char *name);
void stream_reader_free(struct stream_reader *r);

/* Read the next document into d (cleared first).  Returns 1 with a
 * document, 0 at a clean end of stream, -1 on a malformed line or read
 * error with r->err saying what and where.  A stream that ends inside a
 * document returns 1 with what was read and sets r->truncated; the
 * following call returns -1.  So does one that ends in the middle of a
 * line (no newline at the end): the torn line is dropped, unless it is
 * the document's whole #end. */
int stream_read(struct stream_reader *r, struct doc *d);

/* Give back a line (newline included) that the caller read from r->fp
 * itself, so that the next stream_read starts with it. */
void stream_reader_unread(struct stream_reader *r, const char *s, size_t n);

/* Write d in stream form.  Returns 0, or -1 with errno on a write error. */
int stream_write(FILE *fp, const struct doc *d);

/* Write s[0..n) with \\ \t \n \r escaped (ner-stream(5) "Escaping"). */
void stream_put_escaped(FILE *fp, const char *s, size_t n);
void stream_puts_escaped(FILE *fp, const char *s);
/* The same written at o, which has room for 2 * n bytes; returns the
 * end of what it wrote (no NUL). */
char *stream_escape(char *o, const char *s, size_t n);

/* Write v in decimal (no printf: a row has two of them). */
void stream_put_u64(FILE *fp, uint64_t v);
/* The same written at o, which has room for STREAM_U64_DIGITS bytes;
 * returns the end of what it wrote (no NUL). */
#define STREAM_U64_DIGITS 20
char *stream_u64(char *o, uint64_t v);

/* Write the BIO tag (stream field 7) of t, a token of d: O, B-TYPE or
 * I-TYPE. */
void stream_put_tag(FILE *fp, const struct doc *d, const struct tok *t);

/* Undo the escaping of s[0..n) into out.  Returns 0, or -1 on a bad
 * escape or a NUL byte. */
int stream_unescape(struct buf *out, const char *s, size_t n);

/* Concatenate the document text (ner-stream(5) "The text invariant"). */
void doc_text(const struct doc *d, struct buf *out);

#endif
