/* bytetab.h - tables of 256 entries, one for each byte value, worked out
 * by the compiler from a macro F(c) of the byte c: the initialiser list
 * F(0), F(1), ..., F(255).  For the hot loops that classify or map ASCII
 * text a byte at a time (tokenize.c, utf.c), where one table look-up
 * replaces a chain of comparisons.  F must be a constant expression of
 * its int argument. */
#ifndef NERPIPE_BYTETAB_H
#define NERPIPE_BYTETAB_H

#define BYTETAB_4(F, c) F(c), F((c) + 1), F((c) + 2), F((c) + 3)
#define BYTETAB_16(F, c) BYTETAB_4(F, c), BYTETAB_4(F, (c) + 4), \
	BYTETAB_4(F, (c) + 8), BYTETAB_4(F, (c) + 12)
#define BYTETAB_64(F, c) BYTETAB_16(F, c), BYTETAB_16(F, (c) + 16), \
	BYTETAB_16(F, (c) + 32), BYTETAB_16(F, (c) + 48)
#define BYTETAB(F) BYTETAB_64(F, 0), BYTETAB_64(F, 64), \
	BYTETAB_64(F, 128), BYTETAB_64(F, 192)

#endif
