/* fold.c - variant-folding keys for transliterated names (see fold.h). */
#include <string.h>

#include "fold.h"

static int is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* One consonant for a digraph at s[i], or 0. */
static char digraph(const char *s, size_t i, size_t n)
{
	static const char *const pairs[] = {
		"ghq", "khx", "phf", "tht", "dhd", "bhb", "ckk",
	};

	/* Every pair ends in h or k: most letters are turned down here. */
	if (i + 1 >= n || (s[i + 1] != 'h' && s[i + 1] != 'k'))
		return 0;
	for (size_t k = 0; k < sizeof(pairs) / sizeof(*pairs); k++)
		if (s[i] == pairs[k][0] && s[i + 1] == pairs[k][1])
			return pairs[k][2];
	return 0;
}

size_t fold_word_to(char *out, const char *s, size_t n)
{
	char last = 0;		/* last character written, '*' for a vowel */
	char *o = out;

	for (size_t i = 0; i < n; i++) {
		char c = s[i], d = digraph(s, i, n);
		int vowel = is_vowel(c) ||
			    (c == 'y' && i > 0) ||
			    (c == 'w' && last == '*');

		if (d) {
			c = d;
			i++;
		} else if (vowel) {
			c = '*';
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

int fold_is_connector(const char *key)
{
	return strcmp(key, "-") == 0 || strcmp(key, "and") == 0 ||
	       strcmp(key, "&") == 0;
}
