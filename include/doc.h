/* doc.h - one document in memory: metadata, untokenised text, tokens. */
#ifndef NERPIPE_DOC_H
#define NERPIPE_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Token flags (stream field 6). */
#define TOK_SENT 0x1 /* S: first token of a sentence */
#define TOK_LINE 0x2 /* L: first token on its line */

/* Position of a token in a mention (stream field 7). */
enum tag_pos { TAG_O, TAG_B, TAG_I };

/* A token.  Every string points into the owning doc's arena and lives as
 * long as the doc (until doc_clear or doc_free).  Empty strings, never
 * NULL.  type is "" when pos is TAG_O. */
struct tok {
	uint64_t start, end;	/* code points, end-exclusive */
	const char *text, *gap, *key;
	unsigned flags;
	enum tag_pos pos;
	const char *type, *canon, *source, *attrs;
	const char *extra;	/* fields after the tenth, TABs kept, or "" */
};

/* A directive line, kept in stream order: it stands before toks[before]. */
enum dline_kind { DL_META, DL_TEXT, DL_OTHER };

struct dline {
	size_t before;
	enum dline_kind kind;
	union {
		const char *key;	/* DL_META */
		const char *text;	/* DL_TEXT: the chunk */
		const char *raw;	/* DL_OTHER: the line as read */
	};
	const char *value;	/* DL_META: the key's value; otherwise "" */
};

struct arena_block;

struct doc {
	char *id;
	struct tok *toks;
	size_t ntoks, captoks;
	struct dline *lines;
	size_t nlines, caplines;
	struct arena_block *arena;
};

/* Returns a new empty document owned by the caller (doc_free). */
struct doc *doc_new(void);
/* Forget everything in d but keep its memory for the next document. */
void doc_clear(struct doc *d);
void doc_free(struct doc *d);	/* accepts NULL */

void doc_set_id(struct doc *d, const char *id);

/* Exchange the whole contents of a and b (tokens, lines, arena), in
 * constant time: hands a document to another owner without copying. */
void doc_swap(struct doc *a, struct doc *b);

/* Copy s[0..n) into d's arena, NUL-terminated. */
const char *doc_strndup(struct doc *d, const char *s, size_t n);
const char *doc_strdup(struct doc *d, const char *s);

/* Append a zeroed token (strings "" and pos TAG_O) and return it.  The
 * pointer is valid until the next doc_add_tok. */
struct tok *doc_add_tok(struct doc *d);

/* Append directives after the current last token.  Strings are copied. */
void doc_add_meta(struct doc *d, const char *key, const char *val);
void doc_add_text(struct doc *d, const char *s, size_t n);
void doc_add_other(struct doc *d, const char *raw);

/* Append a directive line whose strings already live in d's arena (a
 * stage rebuilding d keeps its lines this way, without copying them);
 * it stands after the current last token. */
void doc_keep_line(struct doc *d, const struct dline *l);

/* Value of the first #meta with this key, or NULL. */
const char *doc_meta(const struct doc *d, const char *key);

/* Set tokens [i, i+n) to one mention: B- then I- tags of type; canon,
 * source and attrs go on the first token and are copied. */
void doc_tag(struct doc *d, size_t i, size_t n, const char *type,
	     const char *canon, const char *source, const char *attrs);

/* Before tokens [i, end) are retagged or untagged, drop the whole of
 * any mention they cut into, so that no I- token is left without its
 * B- and no mention is cut short. */
void doc_untag_cut(struct doc *d, size_t i, size_t end);

/* Make t untagged. */
void doc_untag(struct tok *t);

/* Replace out's contents with the text of tokens [i, i + n) as the
 * document has it: their texts joined by the gaps between them (bytes,
 * UTF-8).  out->s is a string (maybe empty) afterwards. */
void doc_span_text(const struct doc *d, size_t i, size_t n, struct buf *out);

/* The same as a name: each gap between the tokens, whatever white space
 * the text has there (a line break, two spaces, a no-break space), is
 * one space; glued tokens stay glued.  For canonical names, which must
 * not depend on where a line was broken. */
void doc_span_name(const struct doc *d, size_t i, size_t n, struct buf *out);

/* Length in tokens of the mention starting at toks[i] (0 if toks[i] does
 * not start one). */
size_t doc_mention_len(const struct doc *d, size_t i);

#endif
