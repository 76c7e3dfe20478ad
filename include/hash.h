/* hash.h - FNV-1a, the 32-bit string hash of gazetteer keys and string maps. */
#ifndef NERPIPE_HASH_H
#define NERPIPE_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_FNV1A_INIT 2166136261u

/* Continue the 32-bit FNV-1a hash h (Fowler, Noll and Vo; public domain)
 * over the bytes s[0..n); start from HASH_FNV1A_INIT.  A compiled
 * gazetteer stores these hashes (gaz.h), so they may never change. */
static inline uint32_t hash_fnv1a(const char *s, size_t n, uint32_t h)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

#endif
