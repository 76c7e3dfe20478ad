/* mention.c - walking a document's mentions; entity ids (see mention.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "etype.h"
#include "mention.h"
#include "utf.h"

int mention_next(const struct doc *d, struct mention *m)
{
	size_t i = m->next;

	for (; i < d->ntoks; i++) {
		const struct tok *b = &d->toks[i];

		if ((b->flags & TOK_SENT) && i > 0)
			m->sents++;
		/* Most tokens start no mention: no call for them. */
		if (b->pos != TAG_B)
			continue;
		size_t n = doc_mention_len(d, i);

		m->tok = i;
		m->ntoks = n;
		m->sent = m->sents + 1;
		m->start = b->start;
		m->end = tok_end(d, &d->toks[i + n - 1]);
		m->type = tok_type(d, b);
		m->canon = tok_canon(d, b);
		m->source = tok_source(d, b);
		m->attrs = tok_attrs(d, b);
		/* Sentence starts inside the mention still count. */
		for (size_t k = i + 1; k < i + n; k++)
			if (d->toks[k].flags & TOK_SENT)
				m->sents++;
		m->next = i + n;
		return 1;
	}
	m->next = i;
	return 0;
}

void mention_continue(struct mention *m, const struct doc *d, size_t sent)
{
	memset(m, 0, sizeof(*m));
	if (sent > 0 && d->ntoks)
		m->sents = sent - 1 + ((d->toks[0].flags & TOK_SENT) != 0);
}

int mention_part_of(const struct mention_join *j, const struct doc *d,
		    const char **why)
{
	struct doc_part p;

	if (doc_part(d, &p) < 0) {
		*why = "bad #meta part, part_start or part_sentence";
		return -1;
	}
	if (j->id && p.n > 1 && p.n == j->next && strcmp(d->id, j->id) == 0)
		return MJ_NEXT;
	if (p.n > 1) {
		*why = "a part that does not follow the part before it of the "
		       "same document (one left out, or out of order)";
		return -1;
	}
	return p.n == 1 ? MJ_FIRST : MJ_WHOLE;
}

void mention_join_take(struct mention_join *j, const struct doc *d, int kind)
{
	if (kind == MJ_NEXT) {
		j->next++;
		return;
	}
	mention_join_free(j);
	if (kind == MJ_FIRST) {
		j->id = xstrdup(d->id);
		j->next = 2;
	}
}

void mention_join_free(struct mention_join *j)
{
	free(j->id);
	memset(j, 0, sizeof(*j));
}

void mention_text(const struct doc *d, const struct mention *m,
		  struct buf *out)
{
	doc_span_text(d, m->tok, m->ntoks, out);
}

/* Item by item, as attr_next reads them, but without measuring each:
 * an item is key's when it starts with key and '=', and has no '=' or
 * ';' before that (its key ends at the first), which a key holding one
 * never matches. */
const char *mention_attr_get(const char *attrs, const char *key, size_t *len)
{
	const char *p = attrs;
	size_t n = strlen(key), k;

	for (;;) {
		while (*p == ';')
			p++;
		if (!*p)
			break;
		for (k = 0; k < n && p[k] == key[k] && p[k] != '=' && p[k] != ';'; k++)
			;
		if (k == n && p[k] == '=') {
			*len = strcspn(p + k + 1, ";");
			return p + k + 1;
		}
		p = strchr(p + k, ';');
		if (!p)
			break;
	}
	*len = 0;
	return NULL;
}

int mention_attr(const char *attrs, const char *key, struct buf *out)
{
	size_t n;
	const char *v = mention_attr_get(attrs, key, &n);

	buf_reset(out);
	buf_put(out, v ? v : "", n);
	return v != NULL;
}

const char *mention_rank_get(const struct mention *m, size_t *len)
{
	/* Most mentions have no attributes: no look-up of the type. */
	if (!*m->attrs) {
		*len = 0;
		return NULL;
	}
	return mention_attr_get(m->attrs, etype_flags(m->type) & ETYPE_RANK ?
				"full" : "rank", len);
}

void mention_rank(const struct mention *m, struct buf *out)
{
	size_t n;
	const char *v = mention_rank_get(m, &n);

	buf_reset(out);
	buf_put(out, v ? v : "", n);
}

/* British spellings and their American forms, by match key.  Our own
 * list of words that occur in the names of organisations and places in
 * the news; a plural takes its singular's form (centres, centers). */
static const char *const spellings[][2] = {
	{ "armour", "armor" }, { "armoured", "armored" },
	{ "centre", "center" }, { "defence", "defense" },
	{ "harbour", "harbor" }, { "honour", "honor" },
	{ "labour", "labor" }, { "licence", "license" },
	{ "manoeuvre", "maneuver" }, { "offence", "offense" },
	{ "programme", "program" }, { "theatre", "theater" },
};

/* Append the identity key of one word, the match key w[0..n): the word,
 * with a British spelling made American.  Nothing else is folded: a
 * transliterated name keeps its spelling (the gazetteers give known
 * people one canonical name), so two people never share an id. */
static void key_word(struct buf *out, const char *w, size_t n)
{
	size_t stem = n > 1 && w[n - 1] == 's' ? n - 1 : n;

	for (size_t k = 0; k < sizeof(spellings) / sizeof(*spellings); k++) {
		size_t len = strlen(spellings[k][0]);

		if ((len == n || len == stem) && memcmp(spellings[k][0], w, len) == 0) {
			buf_puts(out, spellings[k][1]);
			buf_put(out, w + len, n - len);	/* the plural s */
			return;
		}
	}
	/* -ise, -ised, -ising, -isation: organised, demilitarised. */
	static const char *const suffixes[] = { "isation", "isations", "ised",
						"ising", "ise", "ises" };

	for (size_t k = 0; k < sizeof(suffixes) / sizeof(*suffixes); k++) {
		size_t len = strlen(suffixes[k]);

		if (n > len + 2 && memcmp(w + n - len, suffixes[k], len) == 0) {
			buf_put(out, w, n - len + 1);	/* up to the i */
			buf_putc(out, 'z');
			buf_put(out, w + n - len + 2, len - 2);
			return;
		}
	}
	buf_put(out, w, n);
}

/* Words left out of the identity key: "Sistan and Baluchestan" is
 * "Sistan-Baluchestan", "The Pentagon" is "Pentagon". */
static int is_filler(const char *w, size_t n)
{
	return (n == 3 && (memcmp(w, "and", 3) == 0 || memcmp(w, "the", 3) == 0)) ||
	       (n == 1 && w[0] == '&');
}

void entity_key(struct buf *out, const char *canon)
{
	struct buf key = { 0 };
	size_t start = out->len;

	utf_key(&key, canon, strlen(canon));
	for (size_t i = 0; i < key.len;) {
		size_t n = strcspn(key.s + i, " -\t\n");

		if (n && !is_filler(key.s + i, n)) {
			/* Co-operation is cooperation: no space after a co-. */
			int joined = out->len >= start + 2 &&
				     memcmp(out->s + out->len - 2, "co", 2) == 0 &&
				     (out->len == start + 2 || out->s[out->len - 3] == ' ');

			if (out->len > start && !joined)
				buf_putc(out, ' ');
			key_word(out, key.s + i, n);
		}
		i += n + (i + n < key.len);
	}
	buf_put(out, "", 0);
	buf_free(&key);
}

void entity_id(const char *type, const char *canon, char *out)
{
	struct buf key = { 0 };
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a 64 offset basis */

	entity_key(&key, canon);
	for (const char *p = type; ; p++) {
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
		if (!*p)
			break;
	}
	for (size_t k = 0; k < key.len; k++)
		h = (h ^ (unsigned char)key.s[k]) * 0x100000001b3ULL;
	snprintf(out, ENTITY_ID_MAX, "%.*s-%016llx", ENTITY_ID_MAX - 18, type,
		 (unsigned long long)h);
	buf_free(&key);
}
