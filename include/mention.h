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

/* Start a walk of d, a later part of a long document (ner-stream(5),
 * "Parts"), whose parts before it ended in sentence sent (0 if they
 * had no token): the numbers go on from there. */
void mention_continue(struct mention *m, const struct doc *d, size_t sent);

/* After a walk of d to its end (mention_next gave 0), the number of its
 * last sentence, or sent, where the walk went on from, if d has no
 * token. */
static inline size_t mention_last_sent(const struct doc *d,
				       const struct mention *m, size_t sent)
{
	return d->ntoks ? m->sents + 1 : sent;
}

/* A tail joins the parts of a long document back into one: it keeps
 * the document whose parts it is joining. */
struct mention_join {
	char *id;		/* that document, NULL if none */
	uint64_t next;		/* the number of its part that comes next */
	size_t sent;		/* its last sentence so far (mention_last_sent) */
};

/* What d is to j: MJ_WHOLE a document of its own, MJ_FIRST the first
 * part of a long one, MJ_NEXT the next part of the one j holds; -1 with
 * *why (a static string) set if its part lines are malformed (doc_part)
 * or it is a later part that does not follow the part before it of the
 * same document (one was left out, say by a filter between the stages:
 * the stream is malformed, ner-stream(5)).  j is not changed. */
enum { MJ_WHOLE, MJ_FIRST, MJ_NEXT };
int mention_part_of(const struct mention_join *j, const struct doc *d,
		    const char **why);

/* Take d, which mention_part_of found to be kind, into j: a first part
 * starts joining d's document, a next part moves j on, a whole document
 * ends any joining.  The caller ends its own output of the document j
 * held before taking a first part or whole document. */
void mention_join_take(struct mention_join *j, const struct doc *d, int kind);
void mention_join_free(struct mention_join *j);

/* Replace out's contents with the mention as written: its tokens'
 * texts with the gaps between them (bytes, UTF-8; doc_span_text). */
void mention_text(const struct doc *d, const struct mention *m,
		  struct buf *out);

/* Replace out's contents with the value of key in attrs, a "k=v;k=v"
 * list of ner-stream(5) field 10; empty if the key is absent.  Returns 1
 * if it is present. */
int mention_attr(const char *attrs, const char *key, struct buf *out);

/* The same without a copy: the value of key in attrs, *len bytes (not
 * NUL-terminated) at the pointer returned, which points into attrs and
 * lives as long as it; NULL with *len 0 if the key is absent. */
const char *mention_attr_get(const char *attrs, const char *key, size_t *len);

/* Replace out's contents with the rank of mention m: the full= attribute
 * of a rank (a type with ETYPE_RANK, etype.h), the rank= attribute
 * ner-link gave any other mention; empty if it has none. */
void mention_rank(const struct mention *m, struct buf *out);

/* The same without a copy, as mention_attr_get gives a value: it points
 * into m->attrs; NULL with *len 0 if m has no rank. */
const char *mention_rank_get(const struct mention *m, size_t *len);

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
