/* strmap.h - a string-keyed hash map of small integers. */
#ifndef NERPIPE_STRMAP_H
#define NERPIPE_STRMAP_H

#include <stddef.h>

/* Keys are copied; values are size_t.  STRMAP_INIT is an empty map. */
struct strmap {
	struct strmap_slot *slots;
	size_t cap, n;
};

#define STRMAP_INIT { NULL, 0, 0 }

/* Value stored under key in *val; returns 1 if found, 0 if not. */
int strmap_get(const struct strmap *m, const char *key, size_t *val);

/* Store val under key, replacing an earlier value. */
void strmap_put(struct strmap *m, const char *key, size_t val);

/* Forget every key, keeping the memory for reuse. */
void strmap_clear(struct strmap *m);

void strmap_free(struct strmap *m);

#endif
