/* relit.c - expand a literal-only regular expression to its strings. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "relit.h"

/*
 * Every rule file is parsed at each start, so this works in two passes
 * and copies each string once.  The first reads the pattern into atoms,
 * each a run of choices that are slices of the pattern (a run of plain
 * characters is one atom of one choice), and counts the strings and
 * their bytes; the second writes the strings, each alternative's as the
 * product of its atoms, straight into the block that is returned, and
 * sorts the pointers to them (duplicates dropped, the strings left move
 * to a block of their own).  An alternative that is one plain word
 * takes a shorter way through both.
 */

struct choice {
	const char *s;
	size_t len;
};

struct atom {
	size_t first, n;	/* its choices: choices[first .. first + n) */
	int optional;
	size_t sel;		/* while writing: 0 none (if optional), else
				   choice first + sel - optional */
};

struct alt {
	size_t first, end;	/* its atoms: atoms[first .. end) */
};

/* The work space: room for as many choices, atoms and alternatives as
 * the pattern has bytes, plus one (none takes less than a byte). */
struct parse {
	struct choice *choices;
	struct atom *atoms;
	struct alt *alts;
	size_t nchoices, natoms, nalts;
	size_t count;		/* strings in all (duplicates too) */
	size_t bytes;		/* room they need, NULs included */
};

/* Length of the UTF-8 character at s (1 for a stray byte). */
static size_t char_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;

	for (size_t k = 1; k < n; k++)
		if (((unsigned char)s[k] & 0xC0) != 0x80)
			return 1;
	return n;
}

static int is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/* The bytes that do not stand for themselves outside a class: the
 * metacharacters, '[', '\\' and the end. */
static const unsigned char not_plain[256] = {
	['\0'] = 1, ['.'] = 1, ['*'] = 1, ['+'] = 1, ['?'] = 1, ['{'] = 1,
	['}'] = 1, ['('] = 1, [')'] = 1, ['^'] = 1, ['$'] = 1, ['['] = 1,
	[']'] = 1, ['|'] = 1, ['\\'] = 1,
};

static struct atom *add_atom(struct parse *ps)
{
	struct atom *a = &ps->atoms[ps->natoms++];

	a->first = ps->nchoices;
	a->n = 0;
	a->optional = 0;
	return a;
}

/* Add the slice s[0..len) as the one choice of a new atom. */
static struct atom *add_slice(struct parse *ps, const char *s, size_t len)
{
	struct atom *a = add_atom(ps);

	ps->choices[ps->nchoices++] = (struct choice){ s, len };
	a->n = 1;
	return a;
}

/* A run of plain characters at p, one atom, but a last character with
 * '?' after it an optional atom of its own.  Returns the end of the
 * run, or NULL if p is no plain character. */
static const char *parse_run(const char *p, struct parse *ps)
{
	const char *q = p, *last = p;

	while (!not_plain[(unsigned char)*q]) {
		last = q;
		q += (unsigned char)*q < 0x80 ? 1 : char_len(q);
	}
	if (q == p)
		return NULL;
	if (*q != '?') {
		add_slice(ps, p, (size_t)(q - p));
		return q;
	}
	if (last > p)
		add_slice(ps, p, (size_t)(last - p));
	add_slice(ps, last, (size_t)(q - last))->optional = 1;
	return q + 1;
}

/* A bracket class of literal characters at p (just past '['), each a
 * choice of a new atom.  Returns the end of it, or NULL. */
static const char *parse_class(const char *p, struct parse *ps)
{
	const char *start = p;
	struct atom *a = add_atom(ps);

	for (size_t len; *p && *p != ']'; p += len) {
		len = char_len(p);
		if (*p == '\\' || *p == '[' || *p == '^' ||
		    (*p == '-' && p != start && p[1] != ']'))
			return NULL;
		ps->choices[ps->nchoices++] = (struct choice){ p, len };
	}
	if (*p != ']' || p == start)
		return NULL;
	a->n = ps->nchoices - a->first;
	return p + 1;
}

/* Parse the atoms at p: a run of literal characters, an escaped one or
 * a bracket class, either of the last two perhaps with '?'.  Returns
 * the end of them, or NULL if the pattern is not literal-only there. */
static const char *parse_atoms(const char *p, struct parse *ps)
{
	if (*p == '[') {
		p = parse_class(p + 1, ps);
	} else if (*p == '\\') {
		if (!p[1] || is_alnum(p[1]) || (unsigned char)p[1] >= 0x80)
			return NULL;
		add_slice(ps, p + 1, 1);
		p += 2;
	} else {
		return parse_run(p, ps);
	}
	if (p && *p == '?') {
		ps->atoms[ps->natoms - 1].optional = 1;
		p++;
	}
	return p;
}

/* Parse the alternative at p (up to the next '|' or the end) and count
 * its strings.  Returns its end, or NULL if it is not literal-only, can
 * match the empty string, or would bring the count over max. */
static const char *parse_alt(const char *p, size_t max, struct parse *ps)
{
	struct alt *al = &ps->alts[ps->nalts++];
	size_t count = 1, bytes = 0;
	int empty = 1;
	const char *q = p;

	al->first = ps->natoms;
	/* Most alternatives are one word of plain ASCII: one string. */
	while ((unsigned char)*q < 0x80 && !not_plain[(unsigned char)*q])
		q++;
	if (q > p && (*q == '|' || !*q)) {
		if (ps->count == max || (size_t)(q - p) >= SIZE_MAX - ps->bytes)
			return NULL;
		add_slice(ps, p, (size_t)(q - p));
		al->end = ps->natoms;
		ps->count++;
		ps->bytes += (size_t)(q - p) + 1;
		return q;
	}
	while (*p && *p != '|') {
		size_t k = ps->natoms;

		if (!(p = parse_atoms(p, ps)))
			return NULL;
		for (; k < ps->natoms; k++) {
			const struct atom *a = &ps->atoms[k];
			size_t ways = a->n + (size_t)a->optional, widest = 0;

			if (ways > max / count)
				return NULL;
			count *= ways;
			for (size_t c = a->first; c < a->first + a->n; c++)
				if (ps->choices[c].len > widest)
					widest = ps->choices[c].len;
			bytes += widest;
			empty &= a->optional;
		}
	}
	al->end = ps->natoms;
	if (empty || count > max - ps->count ||
	    bytes + 1 > (SIZE_MAX - ps->bytes) / count)
		return NULL;
	ps->count += count;
	ps->bytes += count * (bytes + 1);
	return p;
}

/* Write each string of al at *text, NUL-terminated, and its pointer at
 * *w; move both past what was written. */
static void put_alt(const struct parse *ps, const struct alt *al,
		    char ***w, char **text)
{
	struct atom *first = ps->atoms + al->first, *end = ps->atoms + al->end;
	char *t = *text;

	if (end - first == 1 && first->n == 1 && !first->optional) {
		const struct choice *c = &ps->choices[first->first];

		*(*w)++ = t;
		memcpy(t, c->s, c->len);
		t[c->len] = '\0';
		*text = t + c->len + 1;
		return;
	}

	for (struct atom *a = first; a < end; a++)
		a->sel = 0;
	for (;;) {
		*(*w)++ = t;
		for (const struct atom *a = first; a < end; a++) {
			if (a->optional && a->sel == 0)
				continue;
			const struct choice *c =
				&ps->choices[a->first + a->sel - (size_t)a->optional];

			memcpy(t, c->s, c->len);
			t += c->len;
		}
		*t++ = '\0';
		/* The next combination, like an odometer. */
		struct atom *a = end;

		do {
			if (a == first) {
				*text = t;
				return;
			}
			a--;
			if (++a->sel < a->n + (size_t)a->optional)
				break;
			a->sel = 0;
		} while (1);
	}
}

/* strcmp, with the first bytes, which tell most words apart, compared
 * without a call. */
static int cmp_word(const char *a, const char *b)
{
	if (*a != *b)
		return (unsigned char)*a - (unsigned char)*b;
	return strcmp(a, b);
}

/* Sort w[0..n) by strcmp: merge sort, by insertion below 8; tmp has
 * room for n / 2 pointers. */
static void sort_words(char **w, size_t n, char **tmp)
{
	if (n <= 8) {
		for (size_t i = 1; i < n; i++) {
			char *x = w[i];
			size_t j = i;

			for (; j > 0 && cmp_word(w[j - 1], x) > 0; j--)
				w[j] = w[j - 1];
			w[j] = x;
		}
		return;
	}
	size_t h = n / 2, i = 0, j = h, k = 0;

	sort_words(w, h, tmp);
	sort_words(w + h, n - h, tmp);
	if (cmp_word(w[h - 1], w[h]) <= 0)
		return;
	memcpy(tmp, w, h * sizeof(*w));
	while (i < h && j < n)
		w[k++] = cmp_word(w[j], tmp[i]) < 0 ? w[j++] : tmp[i++];
	while (i < h)
		w[k++] = tmp[i++];
}

/* The strings ps counted, sorted and without duplicates, in one block
 * (relit.h); their number goes to *n. */
static char **put_words(struct parse *ps, size_t *n)
{
	size_t count = ps->count, kept = 0;
	char **w = xmalloc(count * sizeof(*w) + ps->bytes);
	char **wp = w, *text = (char *)(w + count);
	char *small[64], **tmp = small;

	for (size_t k = 0; k < ps->nalts; k++)
		put_alt(ps, &ps->alts[k], &wp, &text);
	if (count / 2 > sizeof(small) / sizeof(*small))
		tmp = xmalloc(count / 2 * sizeof(*tmp));
	sort_words(w, count, tmp);
	if (tmp != small)
		free(tmp);
	for (size_t k = 0; k < count; k++)
		if (!kept || cmp_word(w[kept - 1], w[k]) != 0)
			w[kept++] = w[k];
	*n = kept;
	if (kept == count)
		return w;

	/* The strings must follow the shorter array: a new block, with
	 * room as the first had. */
	char **out = xmalloc(kept * sizeof(*out) + ps->bytes);

	text = (char *)(out + kept);
	for (size_t k = 0; k < kept; k++) {
		out[k] = text;
		text = stpcpy(text, w[k]) + 1;
	}
	free(w);
	return out;
}

/* Work space on the stack for patterns up to this many bytes. */
#define SMALL_PATTERN 127

int relit_expand(const char *pattern, size_t max, char ***words, size_t *n)
{
	struct choice cbuf[SMALL_PATTERN + 1];
	struct atom abuf[SMALL_PATTERN + 1];
	struct alt lbuf[SMALL_PATTERN + 1];
	struct parse ps = { cbuf, abuf, lbuf, 0, 0, 0, 0, 0 };
	size_t len = strlen(pattern);
	const char *p = pattern;
	void *heap = NULL;

	if (len > SMALL_PATTERN) {
		heap = xmalloc((len + 1) * (sizeof(*ps.choices) +
					    sizeof(*ps.atoms) + sizeof(*ps.alts)));
		ps.atoms = heap;
		ps.choices = (struct choice *)(ps.atoms + len + 1);
		ps.alts = (struct alt *)(ps.choices + len + 1);
	}
	while ((p = parse_alt(p, max, &ps)) && *p)
		p++;	/* the '|' */
	if (p)
		*words = put_words(&ps, n);
	free(heap);
	return p != NULL;
}
