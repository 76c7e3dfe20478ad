/* strmap.c - open-addressing hash map from strings to size_t. */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "hash.h"
#include "strmap.h"

struct strmap_slot {
	char *key;		/* NULL: empty */
	size_t val;
	unsigned hash;
};

static unsigned hash_of(const char *key)
{
	return hash_fnv1a(key, strlen(key), HASH_FNV1A_INIT);
}

static struct strmap_slot *find(const struct strmap *m, const char *key,
				unsigned h)
{
	size_t i = h & (m->cap - 1);

	while (m->slots[i].key &&
	       (m->slots[i].hash != h || strcmp(m->slots[i].key, key) != 0))
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

static void grow(struct strmap *m)
{
	struct strmap_slot *old = m->slots;
	size_t oldcap = m->cap;

	m->cap = m->cap ? m->cap * 2 : 64;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].key)
			*find(m, old[i].key, old[i].hash) = old[i];
	free(old);
}

int strmap_get(const struct strmap *m, const char *key, size_t *val)
{
	if (!m->cap)
		return 0;
	struct strmap_slot *s = find(m, key, hash_of(key));

	if (!s->key)
		return 0;
	*val = s->val;
	return 1;
}

void strmap_put(struct strmap *m, const char *key, size_t val)
{
	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	unsigned h = hash_of(key);
	struct strmap_slot *s = find(m, key, h);

	if (!s->key) {
		s->key = xstrdup(key);
		s->hash = h;
		m->n++;
	}
	s->val = val;
}

void strmap_clear(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		free(m->slots[i].key);
		m->slots[i].key = NULL;
	}
	m->n = 0;
}

void strmap_free(struct strmap *m)
{
	strmap_clear(m);
	free(m->slots);
	m->slots = NULL;
	m->cap = 0;
}
