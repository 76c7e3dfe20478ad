/* relit.c - expand a literal-only regular expression to its strings. */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "relit.h"

/*
 * Every rule file is parsed at each start, so this works without
 * copying: an atom is a run of choices, each a slice of the pattern (one
 * UTF-8 character), and the strings are written once each, as the
 * product of the atoms of their alternative, into one buffer that
 * becomes one block with the array.
 */

struct choice {
	const char *s;
	size_t len;
};

struct atom {
	size_t first, n;	/* its choices: choices[first .. first + n) */
	int optional;
};

struct parse {
	struct choice *choices;
	size_t nchoices, capchoices;
	struct atom *atoms;
	size_t natoms, capatoms;
	char *prefix;		/* where a string is put together */
	size_t capprefix;
};

static void add_choice(struct parse *ps, const char *s, size_t len)
{
	if (ps->nchoices == ps->capchoices) {
		ps->capchoices = ps->capchoices ? 2 * ps->capchoices : 32;
		ps->choices = xrealloc(ps->choices,
				       ps->capchoices * sizeof(*ps->choices));
	}
	ps->choices[ps->nchoices++] = (struct choice){ s, len };
}

static struct atom *add_atom(struct parse *ps)
{
	if (ps->natoms == ps->capatoms) {
		ps->capatoms = ps->capatoms ? 2 * ps->capatoms : 16;
		ps->atoms = xrealloc(ps->atoms,
				     ps->capatoms * sizeof(*ps->atoms));
	}
	struct atom *a = &ps->atoms[ps->natoms++];

	a->first = ps->nchoices;
	a->n = 0;
	a->optional = 0;
	return a;
}

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

/* Is c a regex metacharacter outside a class? */
static int is_special(char c)
{
	switch (c) {
	case '.': case '*': case '+': case '?': case '{': case '}': case '(':
	case ')': case '^': case '$': case ']': case '|': case '\0':
		return 1;
	default:
		return 0;
	}
}

/* Can the plain character at p join the atom before it?  That atom has
 * one choice, a slice of the pattern ending just before p (a run of
 * plain characters, perhaps after an escaped one: the slice is still
 * the text), and no '?' makes either optional. */
static int joins_run(const struct parse *ps, const char *p, size_t len)
{
	const struct atom *a;
	const struct choice *c;

	if (ps->natoms == 0 || p[len] == '?')
		return 0;
	a = &ps->atoms[ps->natoms - 1];
	c = &ps->choices[a->first];
	return a->n == 1 && !a->optional && c->s + c->len == p;
}

/* Parse one atom at *pp: a literal character (joined to a run of them
 * before it where it can be), an escaped one, or a bracket class of
 * literal characters.  Returns 1 for a new atom, 2 for a character
 * joined to the last, or 0 if the pattern is not literal-only there. */
static int parse_atom(const char **pp, struct parse *ps)
{
	const char *p = *pp;
	struct atom *a;

	if (*p != '[' && *p != '\\') {
		size_t len = char_len(p);

		if (is_special(*p))
			return 0;
		if (joins_run(ps, p, len)) {
			ps->choices[ps->atoms[ps->natoms - 1].first].len += len;
			*pp = p + len;
			return 2;
		}
	}
	a = add_atom(ps);
	if (*p == '[') {
		const char *start = ++p;

		for (; *p && *p != ']'; p += char_len(p)) {
			if (*p == '\\' || *p == '[' || *p == '^' ||
			    (*p == '-' && p != start && p[1] != ']'))
				return 0;
			add_choice(ps, p, char_len(p));
		}
		if (*p != ']' || p == start)
			return 0;
		p++;
	} else if (*p == '\\') {
		if (!p[1] || is_alnum(p[1]) || (unsigned char)p[1] >= 0x80)
			return 0;
		add_choice(ps, p + 1, 1);
		p += 2;
	} else {
		add_choice(ps, p, char_len(p));
		p += char_len(p);
	}
	a->n = ps->nchoices - a->first;
	if (*p == '?') {
		a->optional = 1;
		p++;
	}
	*pp = p;
	return 1;
}

/* The strings so far, NUL-terminated one after the other in text, the
 * k-th at offset off[k]. */
struct strings {
	struct buf text;
	size_t *off;
	size_t n, cap;
};

/* Write every string of atoms[i..] after prefix[0..len) into out. */
static void product(const struct parse *ps, size_t i, char *prefix, size_t len,
		    struct strings *out)
{
	/* Atoms of one character, most of them, need no branching. */
	for (; i < ps->natoms && ps->atoms[i].n == 1 &&
	       !ps->atoms[i].optional; i++) {
		const struct choice *c = &ps->choices[ps->atoms[i].first];

		memcpy(prefix + len, c->s, c->len);
		len += c->len;
	}
	if (i == ps->natoms) {
		out->off[out->n++] = out->text.len;
		buf_put(&out->text, prefix, len);
		buf_putc(&out->text, '\0');
		return;
	}
	const struct atom *a = &ps->atoms[i];

	if (a->optional)
		product(ps, i + 1, prefix, len, out);
	for (size_t k = 0; k < a->n; k++) {
		const struct choice *c = &ps->choices[a->first + k];

		memcpy(prefix + len, c->s, c->len);
		product(ps, i + 1, prefix, len + c->len, out);
	}
}

/* Parse the alternative at *pp (up to the next '|' or the end) and add
 * its strings to out.  Returns 0 if it is not literal-only, can match
 * the empty string, or would bring out over max strings. */
static int expand_alt(const char **pp, size_t max, struct parse *ps,
		      struct strings *out)
{
	size_t count = 1, bytes = 0;
	int empty = 1;

	ps->nchoices = ps->natoms = 0;
	while (**pp && **pp != '|') {
		const char *at = *pp;
		int got = parse_atom(pp, ps);

		if (!got)
			return 0;
		if (got == 2) {
			bytes += (size_t)(*pp - at);
			continue;
		}
		const struct atom *a = &ps->atoms[ps->natoms - 1];
		size_t ways = a->n + (size_t)a->optional, widest = 0;

		if (ways > max / count)
			return 0;
		count *= ways;
		for (size_t k = 0; k < a->n; k++)
			if (ps->choices[a->first + k].len > widest)
				widest = ps->choices[a->first + k].len;
		bytes += widest;
		empty &= a->optional;
	}
	if (empty || count > max - out->n)
		return 0;
	if (out->n + count > out->cap) {
		out->cap = 2 * (out->n + count);
		out->off = xrealloc(out->off, out->cap * sizeof(*out->off));
	}
	if (bytes > ps->capprefix) {
		ps->capprefix = bytes;
		ps->prefix = xrealloc(ps->prefix, bytes);
	}
	product(ps, 0, ps->prefix, 0, out);
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort by strcmp: by insertion for the few words most patterns have,
 * which costs less than qsort's calls through a pointer. */
static void sort_strs(char **w, size_t n)
{
	if (n > 32) {
		qsort(w, n, sizeof(*w), cmp_str);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		char *x = w[i];
		size_t j = i;

		for (; j > 0 && strcmp(w[j - 1], x) > 0; j--)
			w[j] = w[j - 1];
		w[j] = x;
	}
}

/* One block: the array of n pointers, then the strings they point to. */
static char **pack(const struct strings *st)
{
	char **w = xmalloc(st->n * sizeof(*w) + st->text.len);
	char *text = (char *)(w + st->n);

	memcpy(text, st->text.s, st->text.len);
	for (size_t k = 0; k < st->n; k++)
		w[k] = text + st->off[k];
	return w;
}

int relit_expand(const char *pattern, size_t max, char ***words, size_t *n)
{
	struct parse ps = { 0 };
	struct strings st = { BUF_INIT, NULL, 0, 0 };
	const char *p = pattern;
	size_t kept = 0;
	int ok;

	for (;;) {
		ok = expand_alt(&p, max, &ps, &st);
		if (!ok || !*p)
			break;
		p++;	/* the '|' */
	}
	free(ps.choices);
	free(ps.atoms);
	free(ps.prefix);
	if (ok) {
		char **w = pack(&st);

		sort_strs(w, st.n);
		for (size_t k = 0; k < st.n; k++)
			if (!kept || strcmp(w[kept - 1], w[k]) != 0)
				w[kept++] = w[k];
		*words = w;
		*n = kept;
	}
	buf_free(&st.text);
	free(st.off);
	return ok;
}
