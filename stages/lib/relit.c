/* relit.c - expand a literal-only regular expression to its strings. */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "relit.h"

/* A growing set of strings. */
struct strs {
	char **s;
	size_t n;
};

static void strs_add(struct strs *v, const char *s, size_t len)
{
	v->s = xrealloc(v->s, (v->n + 1) * sizeof(*v->s));
	v->s[v->n] = xcalloc(len + 1, 1);
	memcpy(v->s[v->n++], s, len);
}

static void strs_free(struct strs *v)
{
	for (size_t k = 0; k < v->n; k++)
		free(v->s[k]);
	free(v->s);
	v->s = NULL;
	v->n = 0;
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

/* Parse one atom at *pp into the characters it may stand for.  Returns 0
 * if the pattern is not literal-only there. */
static int parse_atom(const char **pp, struct strs *chars)
{
	const char *p = *pp;

	if (*p == '[') {
		const char *start = ++p;

		for (; *p && *p != ']'; p += char_len(p)) {
			if (*p == '\\' || *p == '[' || *p == '^' ||
			    (*p == '-' && p != start && p[1] != ']'))
				return 0;
			strs_add(chars, p, char_len(p));
		}
		if (*p != ']' || chars->n == 0)
			return 0;
		*pp = p + 1;
		return 1;
	}
	if (*p == '\\') {
		if (!p[1] || is_alnum(p[1]) || (unsigned char)p[1] >= 0x80)
			return 0;
		strs_add(chars, p + 1, 1);
		*pp = p + 2;
		return 1;
	}
	if (strchr(".*+?{}()^$]|", *p))
		return 0;
	strs_add(chars, p, char_len(p));
	*pp = p + char_len(p);
	return 1;
}

/* Append to out every string of one alternative (up to the next '|' or
 * the end), as the product of its atoms.  Returns 0 if not literal or
 * if there would be more than max strings. */
static int expand_alt(const char **pp, size_t max, struct strs *out)
{
	struct strs cur = { NULL, 0 };
	int ok = 1;

	strs_add(&cur, "", 0);
	while (ok && **pp && **pp != '|') {
		struct strs chars = { NULL, 0 }, next = { NULL, 0 };
		int optional;

		ok = parse_atom(pp, &chars);
		optional = ok && **pp == '?';
		if (optional)
			(*pp)++;
		if (ok && cur.n * (chars.n + (size_t)optional) > max)
			ok = 0;
		for (size_t i = 0; ok && i < cur.n; i++) {
			struct buf b = BUF_INIT;

			if (optional)
				strs_add(&next, cur.s[i], strlen(cur.s[i]));
			for (size_t k = 0; k < chars.n; k++) {
				buf_reset(&b);
				buf_puts(&b, cur.s[i]);
				buf_puts(&b, chars.s[k]);
				strs_add(&next, b.s, b.len);
			}
			buf_free(&b);
		}
		strs_free(&chars);
		strs_free(&cur);
		cur = next;
	}
	for (size_t i = 0; ok && i < cur.n; i++) {
		if (out->n >= max || !cur.s[i][0]) {
			ok = 0;	/* too many, or an empty match */
			break;
		}
		strs_add(out, cur.s[i], strlen(cur.s[i]));
	}
	strs_free(&cur);
	return ok;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int relit_expand(const char *pattern, size_t max, char ***words, size_t *n)
{
	struct strs out = { NULL, 0 };
	const char *p = pattern;
	size_t kept = 0;

	for (;;) {
		if (!expand_alt(&p, max, &out)) {
			strs_free(&out);
			return 0;
		}
		if (!*p)
			break;
		p++;	/* the '|' */
	}
	qsort(out.s, out.n, sizeof(*out.s), cmp_str);
	for (size_t k = 0; k < out.n; k++) {
		if (kept && strcmp(out.s[kept - 1], out.s[k]) == 0)
			free(out.s[k]);
		else
			out.s[kept++] = out.s[k];
	}
	*words = out.s;
	*n = kept;
	return 1;
}
