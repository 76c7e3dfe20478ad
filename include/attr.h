/* attr.h - "key=value;key=value" attribute lists (ner-stream(5) field 10,
 * gazetteers/README "attrs"). */
#ifndef NERPIPE_ATTR_H
#define NERPIPE_ATTR_H

#include <stddef.h>
#include <string.h>

/* One item of a list: item[0..len) as written, its key (up to the first
 * '=', or the whole item when it has none) and its value (after that
 * '=', or NULL when it has none).  Pointers into the list. */
struct attr {
	const char *item, *key, *val;
	size_t len, keylen, vallen;
};

/* The next item of the list at *p (bytes up to a ';' or the end; empty
 * items are skipped): returns 1 with it in *a and *p moved past it, or
 * 0 at the end of the list. */
static inline int attr_next(const char **p, struct attr *a)
{
	const char *s = *p;
	size_t n;

	while (*s == ';')
		s++;
	if (!*s) {
		*p = s;
		return 0;
	}
	n = strcspn(s, ";");
	a->item = a->key = s;
	a->len = n;
	a->keylen = strcspn(s, "=;");
	a->val = a->keylen < n ? s + a->keylen + 1 : NULL;
	a->vallen = a->val ? n - a->keylen - 1 : 0;
	*p = s + n;
	return 1;
}

/* Is a's key key? */
static inline int attr_is(const struct attr *a, const char *key)
{
	size_t n = strlen(key);

	return a->keylen == n && memcmp(a->key, key, n) == 0;
}

#endif
