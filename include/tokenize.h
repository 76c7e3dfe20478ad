/* tokenize.h - split text into tokens with sentence flags and match keys. */
#ifndef NERPIPE_TOKENIZE_H
#define NERPIPE_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

#include "doc.h"

/* Where the previous text left off, so that text can be split in pieces
 * with the same result as in one go. */
struct tokenize_state {
	uint64_t offset;	/* code points before the next character */
	int line_start;		/* the next token is the first on its line */
	int sent_start;		/* the next token starts a sentence */
	int after_final;	/* last token ended a sentence (. ! ?) */
};

/* Start of a document: offset 0, line and sentence start. */
void tokenize_begin(struct tokenize_state *st);

/* Split valid UTF-8 text[0..n) into tokens appended to d, each with its
 * gap, key and flags (ner-stream(5)).  Whitespace after the last token is
 * not attached to any token: its length in bytes is returned, and the
 * caller keeps it as text.  st is updated to the end of text.  Returns
 * SIZE_MAX if d cannot hold the tokens (doc_add_tok). */
size_t tokenize_text(struct doc *d, struct tokenize_state *st,
		     const char *text, size_t n);

/* True if the lower-case word s[0..n) (no final period) is a known
 * abbreviation that keeps its period ("gen" for "Gen."). */
int tokenize_is_abbrev(const char *s, size_t n);

/* Is the line of tokens [a, b) of d a heading: not ended by a full stop,
 * and with no lower-case letter at all (PAKISTAN, IRAN AGREE ...) or
 * every word of four letters or more capitalised (Army Chief Visits
 * Troops Along The Line)?  In a heading capital letters say nothing of
 * names. */
int tokenize_is_heading(const struct doc *d, size_t a, size_t b);

/* Can text be cut at byte at, a token boundary of text[0..n) whose
 * tokens end the same when the text ends there (a "No." before " 5"
 * does not)?  text starts at a token boundary after white space or at
 * the start of a document, and at is best on white space.  Returns 1 if
 * the tokens before at end a sentence (the next token after a gap is
 * flagged S), 0 if not, -1 if at is no such boundary.  scratch is a
 * document to tokenise into, left empty.  For ner-norm, which cuts a
 * long document into parts (ner-stream(5)). */
int tokenize_cut_at(struct doc *scratch, const char *text, size_t n,
		    size_t at);

/* The width of line[0..n), a line without its newline, as the joining
 * of wrapped lines sees it: the code points from its first to its last
 * non-space character.  TOKENIZE_NARROW and TOKENIZE_WIDE lines are
 * never joined to the next one, nor a TOKENIZE_WIDE line to the one
 * before; lines in between may be (tokenize_text). */
enum { TOKENIZE_NARROW, TOKENIZE_WRAPPABLE, TOKENIZE_WIDE };
int tokenize_line_width(const char *line, size_t n);

#endif
