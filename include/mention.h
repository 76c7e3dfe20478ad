/* mention.h - the mentions of a tagged document, as analysts see them:
 * span, sentence, surface text, attributes and a stable entity id. */
#ifndef NERPIPE_MENTION_H
#define NERPIPE_MENTION_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "doc.h"

/* One mention: tokens [tok, tok + ntoks) of a document, a B- token and
 * the I- tokens of its type after it (ner-stream(5)). */
struct mention {
	size_t tok, ntoks;
	size_t sent;		/* sentence number in the document, from 1 */
	uint64_t start, end;	/* code points, end-exclusive */
	const char *type, *canon, *source, *attrs;	/* of the B- token */
	size_t next;		/* private: where the walk goes on */
	size_t sents;		/* private: S flags seen before next */
};

/* Walk the mentions of d in order.  Zero *m (or use MENTION_INIT) before
 * the first call; each call fills *m with the next mention and returns 1,
 * or returns 0 after the last.  Sentences are counted by the S flag of
 * the tokens; a document whose first token has none still starts
 * sentence 1.  The strings point into d and live as long as its tokens. */
#define MENTION_INIT { 0 }
int mention_next(const struct doc *d, struct mention *m);

/* Replace out's contents with the mention as written: its tokens'
 * texts with the gaps between them (bytes, UTF-8; doc_span_text). */
void mention_text(const struct doc *d, const struct mention *m,
		  struct buf *out);

/* Replace out's contents with the value of key in attrs, a "k=v;k=v"
 * list of ner-stream(5) field 10; empty if the key is absent.  Returns 1
 * if it is present. */
int mention_attr(const char *attrs, const char *key, struct buf *out);

/* Replace out's contents with the rank of mention m: the full= attribute
 * of a rank (a type with ETYPE_RANK, etype.h), the rank= attribute
 * ner-link gave any other mention; empty if it has none. */
void mention_rank(const struct mention *m, struct buf *out);

/* Longest entity id with its NUL: "PER-" and 16 hex digits, or a longer
 * type name. */
#define ENTITY_ID_MAX 48

/*
 * The entity id of a mention of type with canonical name canon (the
 * mention's text when it has none): the type, '-', and the 64-bit
 * FNV-1a hash (Fowler, Noll and Vo; public domain) of its identity key
 * in 16 hex digits, such as "PER-8f2c61a3d9e0b417".  The identity key
 * is built word by word from the canonical name: match keys (utf_key:
 * case and diacritics go), "and", "&", "the" and hyphens left out (a
 * "co-" joined to what follows), and British spellings made American by
 * a short fixed list of our own (defence, centre, programme, -ise,
 * -isation, ...).  Nothing else is folded: transliterations of a name
 * share an id only through the canonical name a gazetteer or ner-link
 * gave them, so two people never share one.  The id is a function of
 * the type and canonical name only, the same in any order and split of
 * the input.  A type name longer than ENTITY_ID_MAX - 18 bytes is cut.
 * Writes out (ENTITY_ID_MAX bytes), NUL-terminated.
 */
void entity_id(const char *type, const char *canon, char *out);

/* The identity key behind entity_id, appended to out (for tests and for
 * explaining why two names share an id). */
void entity_key(struct buf *out, const char *canon);

#endif
