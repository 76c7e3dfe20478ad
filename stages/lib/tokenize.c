/* tokenize.c - tokens, sentence starts and match keys for news text. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "buf.h"
#include "bytetab.h"
#include "tokenize.h"
#include "utf.h"

/* Words that keep a following period: titles, ranks, months and the
 * like.  Lower case, no period, sorted for bsearch. */
static const char *const abbrevs[] = {
	"adm", "apr", "approx", "aug", "brig", "capt", "cdr", "cdre", "cmdr",
	"co", "col", "corp", "cpl", "dec", "dept", "dr", "feb", "fig", "flt",
	"ft", "gen", "gov", "gp", "hon", "inc", "jan", "jr", "jul", "jun",
	"lieut", "lt", "ltd", "maj", "mar", "messrs", "mr", "mrs", "ms", "mt",
	"nov", "oct", "pres", "prof", "pvt", "rep", "retd", "rev", "rtd", "sen", "sep",
	"sept", "sgt", "sqn", "sr", "st", "vs", "wg",
};

/* Abbreviations that keep their period only when capitalised: the US
 * states of AP style ("Fort Stewart, Ga.", "(D-Calif.)").  Sorted. */
static const char *const cap_abbrevs[] = {
	"Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Fla", "Ga", "Ill",
	"Kan", "Ky", "Md", "Mich", "Minn", "Mont", "Neb", "Nev", "Okla",
	"Ore", "Tenn", "Tex", "Va", "Vt", "Wis", "Wyo",
};

/* strcmp for the short words here, without a call: most differ in
 * their first byte. */
static int cmp_word(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

/* Is s[0..n), lower-cased if lower is set, a word of the sorted list? */
static int in_list(const char *const *list, size_t nlist, const char *s,
		   size_t n, int lower)
{
	char w[16];
	size_t lo = 0, hi = nlist;

	if (n == 0 || n >= sizeof(w))
		return 0;
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)s[i] >= 0x80)
			return 0;
		w[i] = (char)(lower && s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	}
	w[n] = '\0';
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_word(w, list[mid]);

		if (c == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

int tokenize_is_abbrev(const char *s, size_t n)
{
	return in_list(abbrevs, sizeof(abbrevs) / sizeof(*abbrevs), s, n, 1);
}

void tokenize_begin(struct tokenize_state *st)
{
	st->offset = 0;
	st->line_start = 1;
	st->sent_start = 1;
	st->after_final = 0;
}

/* Classes of bytes for the fast paths, most news text being ASCII: white
 * space as utf_is_space has it, word characters as is_word has them
 * (letters and digits), capitals, and the punctuation that may go on
 * inside a word (word_end).  Bytes from 0x80 are in no class: they take
 * the slow paths, which decode them. */
enum {
	B_SPACE = 1,
	B_WORD = 2,
	B_INNER = 4,		/* ' ` , . */
	B_UPPER = 8,		/* A-Z, also B_WORD */
};

#define B_OF(c) ((c) >= 0x80 ? 0 : \
	(c) >= 'A' && (c) <= 'Z' ? B_WORD | B_UPPER : \
	((c) >= 'a' && (c) <= 'z') || ((c) >= '0' && (c) <= '9') ? B_WORD : \
	(c) == ' ' || ((c) >= '\t' && (c) <= '\r') ? B_SPACE : \
	(c) == '\'' || (c) == '`' || (c) == ',' || (c) == '.' ? B_INNER : 0)

static const unsigned char byte_class[256] = { BYTETAB(B_OF) };

#undef B_OF

static inline int byte_is(unsigned char c, int cls)
{
	return byte_class[c] & cls;
}

/* What finding a token's end tells of its match key: it is the text
 * itself (ASCII, no capital), the text with its capitals lower-cased
 * (ASCII letters and digits only: each byte or 0x20), or it is to be
 * made (utf_key_ascii or utf_key). */
enum key_kind { KEY_MAKE, KEY_TEXT, KEY_LOWER };

/* A cursor over the text, decoding one code point ahead.  What link_end
 * needs to know of the next '@' is found once for each '@', so that
 * looking for an address at every token costs next to nothing. */
struct cur {
	const char *s;
	size_t n, i;
	/* The first '@' at or after i (n if none), where its run of
	 * non-space bytes starts (not before the i it was found from;
	 * SIZE_MAX if none) and ends, and the last '.' in that run after
	 * the run's first '@' (SIZE_MAX if none): find_at. */
	size_t next_at, at_from, at_end, last_dot;
};

static int32_t peek(const struct cur *c, size_t at, int *len)
{
	int32_t cp = 0;
	int l;

	if (at >= c->n) {
		*len = 0;
		return -1;
	}
	l = utf_decode(c->s + at, c->n - at, &cp);
	*len = l < 0 ? 1 : l;
	return cp;
}

static inline int is_word(int32_t cp)
{
	return utf_is_letter(cp) || utf_is_digit(cp) || utf_is_mark(cp);
}

/* Invisible characters that web pages leave inside words: the soft
 * hyphen, zero-width (non-)joiners and the word joiner.  Between two
 * word characters they do not split the word (Mu\u00ADnir is one token;
 * its match key drops them, utf.h). */
static int is_inner_format(int32_t cp)
{
	return cp == 0x00AD || cp == 0x200C || cp == 0x200D || cp == 0x2060;
}

/* An apostrophe-s that is a possessive: "'s" or "’s" not followed by a
 * letter. */
static int possessive_at(const struct cur *c, size_t at)
{
	int l1, l2, l3;
	int32_t a = peek(c, at, &l1);

	if (!utf_is_apostrophe(a))
		return 0;
	int32_t s = peek(c, at + (size_t)l1, &l2);
	if (s != 's' && s != 'S')
		return 0;
	int32_t after = peek(c, at + (size_t)l1 + (size_t)l2, &l3);
	return after < 0 || !is_word(after);
}

static int is_cap_abbrev(const char *s, size_t n)
{
	return in_list(cap_abbrevs, sizeof(cap_abbrevs) / sizeof(*cap_abbrevs), s, n, 0);
}

/* "No." before a number ("No. 617 Squadron", "Nos. 3 and 4") keeps
 * its period; "no." elsewhere ends a sentence.  c->s[i] is the period. */
static int number_sign(const struct cur *c, size_t i)
{
	size_t n = i - c->i;
	const char *w = c->s + c->i;

	if (!((n == 2 && memcmp(w, "No", 2) == 0) || (n == 3 && memcmp(w, "Nos", 3) == 0)))
		return 0;
	return i + 2 < c->n && c->s[i + 1] == ' ' && c->s[i + 2] >= '0' && c->s[i + 2] <= '9';
}

/* The period at c->s[i] after the word c->s[c->i..i) of letters code
 * points: the end of the word with it when the word keeps it (initials
 * and initialisms: U.S., M.; abbreviations: Gen., No. 5), else i. */
static size_t word_period(const struct cur *c, size_t i, size_t letters)
{
	int l;
	/* One capital letter; not a digit, and not the pronoun I, which
	 * often ends a sentence. */
	int32_t first = peek(c, c->i, &l);

	if (letters == 1 && utf_is_upper(first) && first != 'I') {
		size_t j = i + 1;
		int32_t a, b;
		int la, lb;

		while ((a = peek(c, j, &la)) >= 0 && utf_is_letter(a) &&
		       (b = peek(c, j + (size_t)la, &lb)) == '.')
			j += (size_t)la + 1;
		return j;
	}
	if (tokenize_is_abbrev(c->s + c->i, i - c->i) || number_sign(c, i) ||
	    is_cap_abbrev(c->s + c->i, i - c->i))
		return i + 1;
	return i;
}

/* End of the word starting at c->i: letters, digits and marks, inner
 * apostrophes (O'Brien) but not a possessive, digits with inner , or .
 * (2,000 and 3.5), dotted initialisms (U.S.) and abbreviations (Gen.).
 * *kind says what its key is. */
static size_t word_end(const struct cur *c, enum key_kind *kind)
{
	size_t i = c->i, letters = 0, first = SIZE_MAX, end;
	unsigned seen = 0, k;
	int l, l2;
	int32_t cp;

	for (;;) {
		/* ASCII letters and digits, most of any word, a byte each. */
		size_t from = i;

		while (i < c->n &&
		       ((k = byte_class[(unsigned char)c->s[i]]) & B_WORD)) {
			seen |= k;
			i++;
		}
		letters += i - from;
		if (first == SIZE_MAX)
			first = i;
		if (i < c->n && !byte_is((unsigned char)c->s[i], B_INNER) &&
		    (unsigned char)c->s[i] < 0x80) {
			cp = (unsigned char)c->s[i];
			break;	/* ASCII space or punctuation ends it */
		}
		cp = peek(c, i, &l);
		/* U+02BC is a letter, but before a final s it is the
		 * possessive of a name written with it (Pakistan\u02BCs). */
		if (cp >= 0 && is_word(cp) &&
		    !(cp == 0x02BC && i > c->i && possessive_at(c, i))) {
			i += (size_t)l;
			letters++;
			continue;
		}
		if (cp < 0)
			break;
		int32_t next = peek(c, i + (size_t)l, &l2);
		if (is_inner_format(cp) && i > c->i && next >= 0 && is_word(next)) {
			i += (size_t)l;
			continue;
		}
		if (utf_is_apostrophe(cp) && next >= 0 && utf_is_letter(next) &&
		    !possessive_at(c, i)) {
			i += (size_t)l;
			continue;
		}
		if ((cp == ',' || cp == '.') && next >= 0 && utf_is_digit(next) &&
		    i > c->i && utf_is_digit((unsigned char)c->s[i - 1])) {
			i += (size_t)l;
			continue;
		}
		break;
	}
	end = cp == '.' ? word_period(c, i, letters) : i;
	/* The key is known here only if the word is its first ASCII run. */
	*kind = end != first ? KEY_MAKE : seen & B_UPPER ? KEY_LOWER : KEY_TEXT;
	return end;
}

/* End of the run of bytes above ' ' (no white space, no control
 * character) that starts at byte k. */
static size_t run_end(const struct cur *c, size_t k)
{
	while (k < c->n && (unsigned char)c->s[k] > ' ')
		k++;
	return k;
}

/* Look for the first '@' at or after c->i, and measure its run: where it
 * starts (no further back than c->i, which is enough to tell whether a
 * token from c->i on shares it), where it ends, and its last '.'.  Each
 * run is measured once however many '@' it has, so the whole text costs
 * one pass. */
static void find_at(struct cur *c)
{
	const char *a = memchr(c->s + c->i, '@', c->n - c->i);
	size_t at = a ? (size_t)(a - c->s) : c->n;
	size_t k;

	if (a && c->next_at != SIZE_MAX && at < c->at_end) {
		c->next_at = at;	/* in the run of the last one */
		return;
	}
	c->next_at = at;
	c->at_from = SIZE_MAX;
	if (!a)
		return;
	for (k = at; k > c->i && (unsigned char)c->s[k - 1] > ' '; k--)
		;
	c->at_from = k;
	c->last_dot = SIZE_MAX;
	for (k = at + 1; k < c->n && (unsigned char)c->s[k] > ' '; k++)
		if (c->s[k] == '.')
			c->last_dot = k;
	c->at_end = k;
}

static int starts_with_ci(const char *s, size_t n, const char *prefix)
{
	size_t m = strlen(prefix);

	return n >= m && strncasecmp(s, prefix, m) == 0;
}

/* Does a URL prefix (http://, https://, www.) start s[0..n)? */
static int url_prefix(const char *s, size_t n)
{
	if (n < 4)
		return 0;
	if ((s[0] | 0x20) == 'h')
		return (s[1] | 0x20) == 't' &&
		       (starts_with_ci(s, n, "http://") ||
			starts_with_ci(s, n, "https://"));
	return (s[0] | 0x20) == 'w' && starts_with_ci(s, n, "www.");
}

/* A URL (http://, https://, www.) or an e-mail address at c->i is one
 * token, so that nothing inside it is tagged: it takes the run of
 * non-space bytes from c->i.  Returns its end, or 0. */
static size_t link_end(struct cur *c)
{
	const char *s = c->s + c->i;
	size_t len, at = 0;
	int in_run;

	if (c->next_at < c->i)
		find_at(c);
	in_run = c->i >= c->at_from;
	/* Most tokens start neither h nor w and have no @ after them. */
	if ((s[0] | 0x20) != 'h' && (s[0] | 0x20) != 'w' && !in_run)
		return 0;
	if (url_prefix(s, c->n - c->i)) {
		len = run_end(c, c->i) - c->i;
	} else {
		if (!in_run)
			return 0;
		at = c->next_at - c->i;
		len = c->at_end - c->i;
		if (!at || at + 1 >= len || c->last_dot == SIZE_MAX ||
		    c->last_dot < c->next_at)
			return 0;
	}
	/* Trailing punctuation belongs to the sentence, not the link. */
	while (len > 0 && strchr(".,;:!?)]}'\"", s[len - 1]))
		len--;
	return len > at + 1 ? c->i + len : 0;
}

static unsigned count_newlines(const char *s, size_t n)
{
	unsigned k = 0;

	for (size_t i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

static inline int is_final(const char *t, size_t n)
{
	return (n == 1 && (t[0] == '.' || t[0] == '!' || t[0] == '?')) ||
	       (n == 3 && memcmp(t, "\xe2\x80\xa6", 3) == 0);
}

/* Closing quotes and brackets that may follow a full stop and still
 * belong to the sentence it ends. */
static int is_closer(const char *t, size_t n)
{
	return (n == 1 && strchr("\"')]", t[0])) ||
	       (n == 3 && (memcmp(t, "\xe2\x80\x9d", 3) == 0 ||
			   memcmp(t, "\xe2\x80\x99", 3) == 0));
}

/* Newlines in the gap g[0..n) and its length in code points.  Most gaps
 * are one space. */
static unsigned gap_newlines(const char *g, size_t n, size_t *cps)
{
	if (n == 1) {
		*cps = 1;	/* white space of one byte is ASCII */
		return g[0] == '\n';
	}
	*cps = utf_count(g, n);
	return count_newlines(g, n);
}

/* Set f's key, the match key of the token t[0..n) (of the kind found),
 * made in small (64 bytes) or key, and return the token's length in
 * code points. */
static size_t token_key(struct tok_fields *f, const char *t, size_t n,
			enum key_kind kind, char *small, struct buf *key)
{
	char *kb = small;
	int differs = 0;

	if (kind != KEY_TEXT && n >= 64) {
		buf_reset(key);
		buf_reserve(key, n);
		kb = key->s;
	}
	if (kind == KEY_LOWER) {
		for (size_t i = 0; i < n; i++)
			kb[i] = (char)(t[i] | 0x20);
		kb[n] = '\0';
		differs = 1;
	} else if (kind == KEY_MAKE) {
		differs = utf_key_ascii(kb, t, n);
	}
	if (differs >= 0) {
		f->key = differs ? kb : t;
		f->keylen = n;
		return n;
	}
	buf_reset(key);
	utf_key(key, t, n);
	f->key = key->s ? key->s : "";
	f->keylen = key->len;
	return utf_count(t, n);
}

/* Add the token t[0..n) with the gap before it and a key of that kind.
 * Returns 0, or -1 if d cannot hold it. */
static int add_token(struct doc *d, struct tokenize_state *st,
		     const char *gap, size_t gaplen, const char *t, size_t n,
		     enum key_kind kind, struct buf *key)
{
	struct tok_fields f;
	size_t gapcps;
	unsigned nl = gap_newlines(gap, gaplen, &gapcps);
	char small[64];	/* the key of a short ASCII token */

	if (nl) {
		st->line_start = 1;
		st->sent_start = 1;
	} else if (st->after_final && gaplen > 0) {
		st->sent_start = 1;
	}
	f.start = st->offset + gapcps;
	f.end = f.start + token_key(&f, t, n, kind, small, key);
	f.gap = gap;
	f.gaplen = gaplen;
	f.text = t;
	f.textlen = n;
	f.flags = (st->sent_start ? TOK_SENT : 0) |
		  (st->line_start ? TOK_LINE : 0);
	if (!doc_add_tok(d, &f))
		return -1;
	st->offset = f.end;
	st->sent_start = st->line_start = 0;
	if (is_final(t, n))
		st->after_final = 1;
	else if (!(st->after_final && gaplen == 0 && is_closer(t, n)))
		st->after_final = 0;
	return 0;
}

int tokenize_is_heading(const struct doc *d, size_t a, size_t b)
{
	int lower = 0, title = 1;

	/* A line that ends with a full stop is a sentence ("He met Col.
	 * Turki bin Saleh."), however few lower-case words it has. */
	if (b > a && strcmp(tok_text(d, &d->toks[b - 1]), ".") == 0)
		return 0;
	for (size_t k = a; k < b && (title || !lower); k++) {
		const struct tok *t = &d->toks[k];
		const char *text = tok_text(d, t);
		unsigned char c = (unsigned char)text[0];
		int up;

		if (c < 0x80) {
			if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
				continue;
			up = c <= 'Z';
		} else {
			int32_t cp;

			if (utf_decode(text, strnlen(text, 4), &cp) < 0 || !utf_is_letter(cp))
				continue;
			up = utf_is_upper(cp);
		}
		if (!up) {
			lower = 1;
			if (tok_end(d, t) - t->start >= 4)
				title = 0;
			continue;
		}
		for (const char *p = text + 1; *p && !lower; p++)
			lower = *p >= 'a' && *p <= 'z';
	}
	return !lower || title;
}

static int ends_clause(const char *t)
{
	size_t n = strlen(t);

	return is_final(t, n) || is_closer(t, n) ||
	       (n == 1 && (t[0] == ':' || t[0] == ';'));
}

/* Hard-wrapped text (wire copy, e-mail) breaks lines inside sentences
 * and names: "Field Marshal Asim\nMunir".  A single line break is only
 * a wrap where the line before it is of wrapped width (WRAP_MIN to
 * WRAP_MAX code points), ends no sentence or clause, and is no heading,
 * and the line after it is no longer than WRAP_MAX and does not start
 * with an ALL-CAPS word (a dateline).  Such a break starts neither a
 * line nor a sentence.  Caption lists, headlines and web paragraphs
 * (one long line each) keep their breaks.  Lines are looked at from the
 * last so that each decision sees the breaks as written. */
#define WRAP_MIN 40
#define WRAP_MAX 100

static int is_caps_word(const char *t)
{
	int letters = 0;

	for (; *t; t++) {
		if (*t >= 'a' && *t <= 'z')
			return 0;
		letters += *t >= 'A' && *t <= 'Z';
	}
	return letters >= 2;
}

static void join_wrapped_lines(struct doc *d, size_t from)
{
	size_t next_end = d->ntoks;	/* end of the line after the break */
	size_t k = d->ntoks;

	while (k > from + 1) {
		struct tok *t = &d->toks[--k];

		if (!(t->flags & TOK_LINE))
			continue;
		size_t ps = k - 1;

		while (ps > 0 && !(d->toks[ps].flags & TOK_LINE))
			ps--;
		uint64_t plen = tok_end(d, &d->toks[k - 1]) - d->toks[ps].start;
		uint64_t nlen = tok_end(d, &d->toks[next_end - 1]) - t->start;
		size_t gaplen;
		const char *gap = tok_gap(d, t, &gaplen);

		if (count_newlines(gap, gaplen) == 1 &&
		    plen >= WRAP_MIN && plen <= WRAP_MAX && nlen <= WRAP_MAX &&
		    !ends_clause(tok_text(d, &d->toks[k - 1])) &&
		    !is_caps_word(tok_text(d, t)) &&
		    !tokenize_is_heading(d, ps, k))
			t->flags &= ~(unsigned)(TOK_LINE | TOK_SENT);
		next_end = k;
		k = ps + 1;	/* no line starts between: go on from ps */
	}
}

/* End of the token that starts at c->i with code point cp (l bytes);
 * gap_from is where the gap before it began.  *kind says what its key
 * is. */
static size_t token_end(struct cur *c, int32_t cp, int l, size_t gap_from,
			enum key_kind *kind)
{
	size_t end;

	*kind = KEY_MAKE;
	if ((end = link_end(c)))
		return end;
	if (is_word(cp))
		return word_end(c, kind);
	if (c->i == gap_from && c->i > 0 && possessive_at(c, c->i))
		return c->i + (size_t)l + 1;
	if (cp < 0x80 && cp != '`')
		*kind = KEY_TEXT;	/* ASCII punctuation */
	return c->i + (size_t)l;
}

size_t tokenize_text(struct doc *d, struct tokenize_state *st,
		     const char *text, size_t n)
{
	size_t first = d->ntoks;

	struct cur c = { text, n, 0, SIZE_MAX, 0, 0, SIZE_MAX };
	struct buf key = BUF_INIT;
	size_t gap_from = 0;
	enum key_kind kind;
	int l;

	if (n)
		find_at(&c);
	while (c.i < n) {
		unsigned char b = (unsigned char)text[c.i];
		int32_t cp;
		size_t end;

		if (byte_is(b, B_SPACE)) {
			c.i++;
			continue;
		}
		if (b < 0x80) {
			cp = b;
			l = 1;
		} else if (utf_is_space(cp = peek(&c, c.i, &l))) {
			c.i += (size_t)l;
			continue;
		}
		end = token_end(&c, cp, l, gap_from, &kind);
		if (add_token(d, st, text + gap_from, c.i - gap_from, text + c.i,
			      end - c.i, kind, &key) < 0) {
			buf_free(&key);
			return SIZE_MAX;
		}
		c.i = end;
		gap_from = end;
	}
	buf_free(&key);
	join_wrapped_lines(d, first);
	/* The trailing whitespace still counts for the next piece's gap:
	 * the caller keeps it as #text, and a newline in it starts a line. */
	if (count_newlines(text + gap_from, n - gap_from)) {
		st->line_start = 1;
		st->sent_start = 1;
	}
	st->offset += utf_count(text + gap_from, n - gap_from);
	return n - gap_from;
}

/* Bytes of lookahead enough for any token to end as it will: "No."
 * looks two past its period. */
#define CUT_LOOKAHEAD 16

int tokenize_cut_at(struct doc *scratch, const char *text, size_t n,
		    size_t at)
{
	struct tokenize_state st;
	size_t k, more = n - at < CUT_LOOKAHEAD ? n : at + CUT_LOOKAHEAD;
	uint64_t cps = utf_count(text, at), *ends;
	int after;

	doc_clear(scratch);
	tokenize_begin(&st);
	if (tokenize_text(scratch, &st, text, at) == SIZE_MAX)
		return -1;
	k = scratch->ntoks;
	after = st.after_final;
	ends = xcalloc(k + 1, sizeof(*ends));
	for (size_t i = 0; i < k; i++)
		ends[i] = tok_end(scratch, &scratch->toks[i]);
	doc_clear(scratch);
	tokenize_begin(&st);
	if (tokenize_text(scratch, &st, text, more) == SIZE_MAX ||
	    scratch->ntoks < k || (scratch->ntoks > k &&
				   scratch->toks[k].start < cps))
		after = -1;
	for (size_t i = 0; i < k && after >= 0; i++)
		if (tok_end(scratch, &scratch->toks[i]) != ends[i])
			after = -1;
	free(ends);
	doc_clear(scratch);
	return after;
}

/* The code point that ends before byte at of s (at > 0), and its start. */
static int32_t cp_before(const char *s, size_t at, size_t *from)
{
	size_t k = at - 1;
	int32_t cp;

	while (k > 0 && at - k < 4 && ((unsigned char)s[k] & 0xC0) == 0x80)
		k--;
	if (utf_decode(s + k, at - k, &cp) != (int)(at - k))
		cp = 0xFFFD;
	*from = k;
	return cp;
}

int tokenize_line_width(const char *line, size_t n)
{
	size_t a = 0, b = n, k, cps = 0;
	int32_t cp;
	int l;

	for (; a < b; a += (size_t)l) {
		l = utf_decode(line + a, b - a, &cp);
		if (l < 0)
			l = 1;
		if (!utf_is_space(cp))
			break;
	}
	while (b > a && utf_is_space(cp_before(line, b, &k)))
		b = k;
	for (size_t i = a; i < b && cps <= WRAP_MAX; i += (size_t)l) {
		l = utf_decode(line + i, b - i, &cp);
		if (l < 0)
			l = 1;
		cps++;
	}
	return cps > WRAP_MAX ? TOKENIZE_WIDE :
	       cps < WRAP_MIN ? TOKENIZE_NARROW : TOKENIZE_WRAPPABLE;
}
