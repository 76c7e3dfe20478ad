/* fold.c - variant-folding keys for transliterated names (see fold.h). */
#include <stdlib.h>
#include <string.h>

#include "fold.h"

static inline int is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* The consonant for the digraph c, next (next is h or k), or 0: gh -> q,
 * kh -> x, ph -> f, th -> t, dh -> d, bh -> b, ck -> k. */
static inline char digraph_of(char c, char next)
{
	if (next == 'h') {
		switch (c) {
		case 'g': return 'q';
		case 'k': return 'x';
		case 'p': return 'f';
		case 't': return 't';
		case 'd': return 'd';
		case 'b': return 'b';
		}
		return 0;
	}
	return c == 'c' && next == 'k' ? 'k' : 0;
}

/* One consonant for a digraph at s[i], or 0. */
static inline char digraph(const char *s, size_t i, size_t n)
{
	return i + 1 < n ? digraph_of(s[i], s[i + 1]) : 0;
}

/* What fold_word_to must look at twice: vowels, the letters that are
 * vowels in some places (y, w), and the first letters of digraphs.
 * Every other byte is kept as it is, or dropped as a double. */
enum { FC_VOWEL = 1, FC_YW = 2, FC_DIGRAPH = 4 };

static const unsigned char fold_class[256] = {
	['a'] = FC_VOWEL, ['e'] = FC_VOWEL, ['i'] = FC_VOWEL,
	['o'] = FC_VOWEL, ['u'] = FC_VOWEL,
	['y'] = FC_YW, ['w'] = FC_YW,
	['g'] = FC_DIGRAPH, ['k'] = FC_DIGRAPH, ['p'] = FC_DIGRAPH,
	['t'] = FC_DIGRAPH, ['d'] = FC_DIGRAPH, ['b'] = FC_DIGRAPH,
	['c'] = FC_DIGRAPH,
};

size_t fold_word_to(char *out, const char *s, size_t n)
{
	char last = 0;		/* last character written, '*' for a vowel */
	char *o = out;

	for (size_t i = 0; i < n; i++) {
		char c = s[i], d;
		unsigned cl = fold_class[(unsigned char)c];

		if (cl & FC_VOWEL) {
			c = '*';
		} else if (cl & FC_YW) {
			/* y after the first letter, w after a vowel */
			if (c == 'y' ? i > 0 : last == '*')
				c = '*';
		} else if (cl && i + 1 < n && (d = digraph_of(c, s[i + 1]))) {
			c = d;
			i++;
		}
		if (c == last && (c == '*' || (c >= 'a' && c <= 'z')))
			continue;
		*o++ = c;
		last = c;
	}
	*o = '\0';
	return (size_t)(o - out);
}

void fold_word(struct buf *out, const char *s, size_t n)
{
	/* The key is never longer than the word: write it in place. */
	buf_reserve(out, n);
	out->len += fold_word_to(out->s + out->len, s, n);
}

/* Vowel qualities, as bits: a run of vowels may stand for more than one
 * (e is written for a, i and u alike: Ahmed/Ahmad, Qasem/Qasim,
 * Yousef/Yusuf; a diphthong for a or i: Hossein/Husain, Sayyid/Syed). */
enum { VA = 1, VI = 2, VU = 4, VX = 8, VD = 16 };
/* Above these bits: for a diphthong, the qualities of its first vowel
 * (Roy is not Ray, Cui not Cai); for a VX run, a code of its vowels
 * (Xia is not Xiao, Nawaz not Niaz). */
#define VSHIFT 5

/* The qualities of one vowel letter. */
static unsigned vowel_quality(char c)
{
	switch (c) {
	case 'a': return VA;
	case 'i': return VI;
	case 'o': case 'u': return VU;
	default: return VA | VI | VU;	/* e */
	}
}

/* A code of the vowels r[0..n) (at most 16 bits), so that two runs
 * that only stand for themselves compare equal only when spelt alike. */
static unsigned run_code(const char *r, size_t n)
{
	unsigned h = 1;

	for (size_t k = 0; k < n; k++)
		h = (h * 31 + (unsigned char)r[k]) & 0xffff;
	return h;
}

/* The qualities of the vowel run r[0..n) (a, e, i, o, u, and y and w
 * where they are vowels, already mapped to i and u). */
static unsigned run_quality(const char *r, size_t n)
{
	char v[8];
	size_t m = 0;

	/* Three vowels or more with a long one among them are two
	 * syllables, an ayn between (Sa-eed): not the diphthong of Syed. */
	if (n >= 3)
		for (size_t k = 0; k + 1 < n; k++)
			if (r[k] == r[k + 1] && r[k] != 'i' && r[k] != 'u')
				return VX | (run_code(r, n) << VSHIFT);

	/* Long vowels written double or as a digraph are one vowel:
	 * ee, ie -> i (Raheem, Syed), oo and ou -> u (Mahmood, Rouhani). */
	for (size_t k = 0; k < n && m < sizeof(v); k++) {
		char c = r[k], d = k + 1 < n ? r[k + 1] : 0;

		if ((c == 'e' || c == 'i') && (d == 'e' || d == 'i') &&
		    !(c == 'e' && d == 'i')) {
			c = 'i';
			k++;
		} else if ((c == 'o' || c == 'u') && (d == 'o' || d == 'u')) {
			c = 'u';
			k++;
		} else if (c == 'a' && d == 'a') {
			k++;
		}
		if (m == 0 || v[m - 1] != c)
			v[m++] = c;
	}
	if (m == 1)
		return vowel_quality(v[0]);
	if (v[m - 1] == 'i')			/* ai, ei, ay, ey, oi, ui */
		return VD | VI | (vowel_quality(v[0]) << VSHIFT);
	if (m == 2 && v[0] == 'a' && v[1] == 'u')
		return VA | VU;			/* au, aw */
	return VX | (run_code(v, m) << VSHIFT);	/* ia, ua: only itself */
}

/* May two vowel runs of these qualities stand for one sound? */
static int runs_agree(unsigned a, unsigned b)
{
	const unsigned low = (1u << VSHIFT) - 1;

	if ((a | b) & VX)
		return a == b;
	if ((a & VD) && (b & VD))
		return (a & b & low) && ((a >> VSHIFT) & (b >> VSHIFT));
	return (a & b & low) != 0;
}

/* The qualities of the vowel runs of the match key s[0..n), in order,
 * walked exactly as fold_word_to() walks them.  Returns how many runs
 * (at most max are stored). */
static size_t vowel_runs(const char *s, size_t n, unsigned *q, size_t max)
{
	char run[16], last = 0;
	size_t nrun = 0, runs = 0;

	for (size_t i = 0; i <= n; i++) {
		char c = i < n ? s[i] : 0;
		int vowel = c && (is_vowel(c) || (c == 'y' && i > 0) ||
				  (c == 'w' && last == '*'));

		if (vowel && !digraph(s, i, n)) {
			if (nrun < sizeof(run))
				run[nrun++] = c == 'y' ? 'i' : c == 'w' ? 'u' : c;
			last = '*';
			continue;
		}
		if (nrun) {
			if (runs < max)
				q[runs] = run_quality(run, nrun);
			runs++;
			nrun = 0;
		}
		if (digraph(s, i, n))
			i++;
		last = c;
	}
	return runs;
}

static int is_roman(const char *s, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (!strchr("ivxlcdm", s[k]) || !s[k])
			return 0;
	return n > 0;
}

int fold_variant(const char *a, size_t an, const char *b, size_t bn)
{
	char fa[64], fb[64];
	unsigned qa[32], qb[32];

	if (an == bn && memcmp(a, b, an) == 0)
		return 1;
	if (an >= sizeof(fa) || bn >= sizeof(fb))
		return 0;
	/* Roman numerals are numbers, not spellings: Abdullah I is not
	 * Abdullah II, nor I Corps II Corps. */
	if (is_roman(a, an) && is_roman(b, bn))
		return 0;
	fold_word_to(fa, a, an);
	fold_word_to(fb, b, bn);
	if (strcmp(fa, fb) != 0)
		return 0;
	size_t na = vowel_runs(a, an, qa, 32), nb = vowel_runs(b, bn, qb, 32);

	if (na != nb)
		return 0;
	for (size_t k = 0; k < na && k < 32; k++)
		if (!runs_agree(qa[k], qb[k]))
			return 0;
	return 1;
}

/* English function words, lower case, sorted for bsearch.  No name is
 * ever respelt as one ("CAN THE" is not Cần Thơ). */
static const char *const function_words[] = {
	"a", "about", "after", "all", "also", "an", "and", "any", "are", "as",
	"at", "be", "been", "but", "by", "can", "could", "did", "do", "does",
	"for", "from", "had", "has", "have", "he", "her", "his", "how", "if",
	"in", "into", "is", "it", "its", "may", "might", "more", "most",
	"must", "no", "not", "now", "of", "on", "one", "or", "our", "out",
	"over", "she", "should", "so", "some", "than", "that", "the", "their",
	"them", "then", "there", "these", "they", "this", "those", "to",
	"too", "up", "us", "was", "we", "were", "what", "when", "where",
	"which", "who", "whom", "why", "will", "with", "would", "you", "your",
};

/* A word s[0..n) to look up in function_words. */
struct word {
	const char *s;
	size_t n;
};

static int cmp_word(const void *key, const void *elem)
{
	const struct word *w = key;
	const char *e = *(const char *const *)elem;
	int c = strncmp(w->s, e, w->n);

	return c ? c : -(unsigned char)e[w->n];
}

static int is_function_word(const char *s, size_t n)
{
	const struct word w = { s, n };

	return bsearch(&w, function_words, sizeof(function_words) / sizeof(*function_words),
		       sizeof(*function_words), cmp_word) != NULL;
}

int fold_name_variant(const char *a, size_t an, const char *b, size_t bn,
		      int given)
{
	if (an == bn && memcmp(a, b, an) == 0)
		return 1;
	return !given && !is_function_word(a, an) && fold_variant(a, an, b, bn);
}

int fold_is_connector(const char *key)
{
	if (key[0] != '-' && key[0] != 'a' && key[0] != '&')
		return 0;
	return strcmp(key, "-") == 0 || strcmp(key, "and") == 0 ||
	       strcmp(key, "&") == 0;
}
