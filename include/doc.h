/* doc.h - one document in memory: metadata, untokenised text, tokens. */
#ifndef NERPIPE_DOC_H
#define NERPIPE_DOC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"

/* Token flags (stream field 6). */
#define TOK_SENT 0x1 /* S: first token of a sentence */
#define TOK_LINE 0x2 /* L: first token on its line */

/* Position of a token in a mention (stream field 7). */
enum tag_pos { TAG_O, TAG_B, TAG_I };

/*
 * A token, 12 bytes: a document holds millions of them.  Its strings
 * live in the document's text store (struct doc): the gap, then the
 * text and a NUL, then the match key and a NUL when it differs from the
 * text.  Read them with the tok_ functions below.  Offsets and lengths
 * too large for the fields here (a gap of 64 KiB or more, a token of 255
 * code points or more) are kept in the document's table of long tokens.
 * The fields marked private are doc.c's.
 */
struct tok {
	uint32_t text;		/* private: offset of the text in the store */
	uint32_t start;		/* code points from the document's start */
	uint16_t gap;		/* private: gap bytes, unless long */
	uint8_t cps;		/* private: end - start, unless long */
	uint8_t flags : 2;	/* TOK_SENT, TOK_LINE */
	uint8_t pos : 2;	/* enum tag_pos */
	uint8_t ownkey : 1;	/* private: the key follows the text */
	uint8_t islong : 1;	/* private: gap and end are in longs */
	uint8_t cpsbytes : 1;	/* private: the text is cps bytes long */
};

/* A document holds at most this many bytes of token strings and #text
 * (offsets in it are 32-bit), so also at most 4 Gi code points. */
#define DOC_MAX_BYTES UINT32_MAX

/* What a new token is made of: its gap, text and match key (bytes,
 * UTF-8, not NUL-terminated, copied; key may be text itself when they
 * are the same), its offsets (code points) and its TOK_ flags. */
struct tok_fields {
	const char *gap, *text, *key;
	size_t gaplen, textlen, keylen;
	uint64_t start, end;
	unsigned flags;
};

/* A directive line, kept in stream order: it stands before toks[before].
 * Read its strings with the doc_line_ functions. */
enum dline_kind { DL_META, DL_TEXT, DL_OTHER };

struct dline {
	uint32_t before;
	uint32_t kind;		/* enum dline_kind */
	union {
		const char *s;	/* META: key, NUL, value; OTHER: the line */
		struct {
			uint32_t off, len;
		} text;		/* TEXT: the chunk's bytes in the store */
	} u;			/* private */
};

/* Private to doc.c and the inline functions below.  A token's tag type
 * and fields 8 to 10: an entry is a value, never changed, shared by all
 * the tokens that have it (the I- tokens of a type, mentions of one
 * entity).  The fields after the tenth, which few streams have, are
 * kept apart, by entry, in a list sorted by entry; an entry that has
 * them is its token's alone. */
struct tok_ann {
	const char *type, *canon, *source, *attrs;
};

struct tok_extra {
	uint32_t ann;		/* entry index */
	const char *s;
};

/* Private: the gap and end of a token too long for struct tok. */
struct tok_long {
	uint32_t text;		/* its token's text offset: the key */
	uint64_t gap, end;
};

struct arena_block;

struct doc {
	char *id;
	struct tok *toks;
	size_t ntoks, captoks;
	struct dline *lines;
	size_t nlines, caplines;
	/* Private.  The text store: token strings and #text chunks.  ann
	 * (NULL until a token is tagged) is parallel to toks: an index in
	 * anns, 0 for an untagged token with no fields after the tenth
	 * (struct tok_ann).
	 * longs are sorted by the text offset of their token.  Other
	 * strings (metadata, tags) are in the arena. */
	struct buf store;
	uint32_t *ann;
	struct tok_ann *anns;
	size_t nanns, capanns;
	struct tok_extra *extras;
	size_t nextras, capextras;
	const char **itab;	/* doc_intern's hash table, NULL slots free */
	size_t icap, nint;
	uint32_t *etab;		/* the tag entries by value (doc.c) */
	size_t ecap, nent;
	struct tok_long *longs;
	size_t nlongs, caplongs;
	struct arena_block *arena;
};

/* Returns a new empty document owned by the caller (doc_free). */
struct doc *doc_new(void);
/* Forget everything in d.  Its memory is kept for the next document up
 * to DOC_KEEP_BYTES an array; larger arrays are freed, so that one huge
 * document does not leave its memory behind. */
#define DOC_KEEP_BYTES (8u << 20)
void doc_clear(struct doc *d);
/* Forget everything in d and free all its memory; d stays usable. */
void doc_release(struct doc *d);
void doc_free(struct doc *d);	/* accepts NULL */

void doc_set_id(struct doc *d, const char *id);

/* Bytes of d's text store: the token strings and #text chunks, not the
 * arrays around them.  A measure of a document's size, in O(1). */
static inline size_t doc_store_bytes(const struct doc *d)
{
	return d->store.len;
}

struct strmap;
/* The first of base[0..n), base~2, base~3, ... (n in bytes) that is not
 * in taken, as a new string the caller frees; it is put in taken.  TABs,
 * CRs and newlines become '_' (an id holds none).  Two inputs of one
 * run never share a document id this way (ner-norm, ner-fetch). */
char *doc_id_take(struct strmap *taken, const char *base, size_t n);

/* Exchange the whole contents of a and b (tokens, lines, arena), in
 * constant time: hands a document to another owner without copying. */
void doc_swap(struct doc *a, struct doc *b);

/* Copy s[0..n) into d's arena, NUL-terminated; it lives as long as d's
 * current document. */
const char *doc_strndup(struct doc *d, const char *s, size_t n);
const char *doc_strdup(struct doc *d, const char *s);
/* The same as doc_strdup, but equal strings of one document are one
 * copy: for the types, sources, attributes and canonical names of tags,
 * which repeat. */
const char *doc_intern(struct doc *d, const char *s);

/* --- tokens ------------------------------------------------------------- */

/* Append a token made of f, untagged, and return it; NULL if d cannot
 * hold it (see DOC_MAX_BYTES), when nothing is added.  The pointer is
 * valid until the next token is added. */
struct tok *doc_add_tok(struct doc *d, const struct tok_fields *f);

/* Private: the long-token entry of t (t->islong); the fields after the
 * tenth of tag entry k, or "". */
const struct tok_long *doc_long(const struct doc *d, const struct tok *t);
const char *doc_extra(const struct doc *d, uint32_t k);

/* The strings of token t of d.  text and key are NUL-terminated; the
 * gap is *len bytes, not NUL-terminated.  They stay valid until a token
 * or #text chunk is added to d, or d is cleared. */
static inline const char *tok_text(const struct doc *d, const struct tok *t)
{
	return d->store.s + t->text;
}

static inline const char *tok_key(const struct doc *d, const struct tok *t)
{
	const char *s = d->store.s + t->text;

	if (!t->ownkey)
		return s;
	return s + (t->cpsbytes ? t->cps : strlen(s)) + 1;
}

static inline const char *tok_gap(const struct doc *d, const struct tok *t,
				  size_t *len)
{
	*len = t->islong ? doc_long(d, t)->gap : t->gap;
	return d->store.s + t->text - *len;
}

/* Offset one past the token's last character, in code points. */
static inline uint64_t tok_end(const struct doc *d, const struct tok *t)
{
	return t->islong ? doc_long(d, t)->end : (uint64_t)t->start + t->cps;
}

/* Private: t's tag entry, or NULL. */
static inline const struct tok_ann *tok_ann_of(const struct doc *d,
					       const struct tok *t)
{
	uint32_t k = d->ann ? d->ann[t - d->toks] : 0;

	return k ? &d->anns[k] : NULL;
}

/* Its tag's type ("" when untagged), and stream fields 8 to 10 and the
 * fields after them ("" when empty); valid as long as d's document. */
static inline const char *tok_type(const struct doc *d, const struct tok *t)
{
	const struct tok_ann *a = tok_ann_of(d, t);

	return a ? a->type : "";
}

static inline const char *tok_canon(const struct doc *d, const struct tok *t)
{
	const struct tok_ann *a = tok_ann_of(d, t);

	return a ? a->canon : "";
}

static inline const char *tok_source(const struct doc *d, const struct tok *t)
{
	const struct tok_ann *a = tok_ann_of(d, t);

	return a ? a->source : "";
}

static inline const char *tok_attrs(const struct doc *d, const struct tok *t)
{
	const struct tok_ann *a = tok_ann_of(d, t);

	return a ? a->attrs : "";
}

static inline const char *tok_extra(const struct doc *d, const struct tok *t)
{
	if (!d->nextras || !d->ann)
		return "";
	return doc_extra(d, d->ann[t - d->toks]);
}

/* Set toks[i]'s tag position and fields 7 to 10 and after as read from
 * a stream: type[0..typelen) and the rest are copied. */
void doc_annotate(struct doc *d, size_t i, enum tag_pos pos,
		  const char *type, size_t typelen, const char *canon,
		  const char *source, const char *attrs, const char *extra);

/* Set the canonical name or the attributes of toks[i], a B- token (s
 * is copied). */
void doc_set_canon(struct doc *d, size_t i, const char *s);
void doc_set_attrs(struct doc *d, size_t i, const char *s);

/* --- rebuilding the token list (ner-tok) -------------------------------- */

/* Move d's tokens, directive lines and their text store into old, a
 * document used only as a holder (from doc_new, or left by
 * doc_rebuild_end), whose storage d takes for reuse; d keeps its id,
 * arena and tags.  Then doc_copy_tok and doc_copy_line append old's
 * tokens and lines to d again, in any mix with new ones, and
 * doc_rebuild_end(old) lets go of them: old keeps only storage for the
 * next rebuild (up to DOC_KEEP_BYTES an array). */
void doc_rebuild_begin(struct doc *d, struct doc *old);
void doc_rebuild_end(struct doc *old);
/* Append old's token i to d.  Returns 0, or -1 if d cannot hold it. */
int doc_copy_tok(struct doc *d, const struct doc *old, size_t i);
/* Append old's line li to d.  Returns 0, or -1 if d cannot hold it. */
int doc_copy_line(struct doc *d, const struct doc *old, size_t li);

/* --- directive lines ---------------------------------------------------- */

/* Append directives after the current last token.  Strings are copied.
 * doc_add_text returns 0, or -1 if d cannot hold the chunk (nothing is
 * added then). */
void doc_add_meta(struct doc *d, const char *key, const char *val);
int doc_add_text(struct doc *d, const char *s, size_t n);
void doc_add_other(struct doc *d, const char *raw);

/* Add text's bytes as #text chunks, a line each (the last may have no
 * newline), after the current last token.  d takes the bytes without
 * copying them when it holds no token or chunk yet; text is left empty
 * (holding what d had) either way.  Returns 0, or -1 if d cannot hold it (nothing added). */
int doc_add_text_lines(struct doc *d, struct buf *text);

/* The chunk of a DL_TEXT line l of d: *len bytes, not NUL-terminated,
 * valid until a token or chunk is added to d or d is cleared. */
const char *doc_line_text(const struct doc *d, const struct dline *l,
			  size_t *len);
/* The key and value of a DL_META line, and a DL_OTHER line as it was
 * read; valid as long as d's document. */
const char *doc_line_key(const struct dline *l);
const char *doc_line_value(const struct dline *l);
const char *doc_line_raw(const struct dline *l);

/* Replace the chunk of d's DL_TEXT line li by s[0..n) (copied).
 * Returns 0, or -1 if d cannot hold it. */
int doc_set_line_text(struct doc *d, size_t li, const char *s, size_t n);

/* Value of the first #meta with this key, or NULL. */
const char *doc_meta(const struct doc *d, const char *key);

/* The bytes of text in a part, at most, unless ner-norm --part-size
 * says otherwise. */
#define DOC_PART_SIZE_DEFAULT (1u << 20)

/* Where d stands in a long document that ner-norm handed on in parts
 * (ner-stream(5), "Parts"), from its #meta part, part_start and
 * part_sentence: n is 0 for a whole document, else the part's number
 * from 1; start is the code points of the document before the part;
 * sentence is set when the text before it ended a sentence.  Returns 0,
 * or -1 if those lines are malformed: not numbers (part_sentence: 0 or
 * 1), a part 0, one of them twice, a part_start or part_sentence without
 * a part number of 2 or more, or a part of 2 or more without its
 * part_start. */
struct doc_part {
	uint64_t n, start;
	int sentence;
};
int doc_part(const struct doc *d, struct doc_part *p);

/* --- tags ---------------------------------------------------------------- */

/* Set tokens [i, i+n) to one mention: B- then I- tags of type; canon,
 * source and attrs go on the first token and are copied. */
void doc_tag(struct doc *d, size_t i, size_t n, const char *type,
	     const char *canon, const char *source, const char *attrs);

/* Before tokens [i, end) are retagged or untagged, drop the whole of
 * any mention they cut into, so that no I- token is left without its
 * B- and no mention is cut short. */
void doc_untag_cut(struct doc *d, size_t i, size_t end);

/* Make toks[i] untagged (its fields after the tenth stay). */
void doc_untag(struct doc *d, size_t i);

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
