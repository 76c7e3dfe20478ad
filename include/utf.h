/* utf.h - UTF-8 repair, code point counting and match keys (via utf8proc). */
#ifndef NERPIPE_UTF_H
#define NERPIPE_UTF_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Called by utf_repair for each bad byte: byte offset in the input and
 * what was wrong ("invalid UTF-8", "NUL byte"). */
typedef void utf_bad_fn(size_t offset, const char *what, void *arg);

/* Append to out the text s[0..n) made into clean UTF-8: each byte of an
 * invalid sequence and each NUL byte becomes U+FFFD, a leading byte-order
 * mark is dropped when strip_bom is set, and CRLF and lone CR become LF.
 * bad (may be NULL) hears about every replacement.  Returns how many
 * replacements were made. */
size_t utf_repair(struct buf *out, const char *s, size_t n, int strip_bom,
		  utf_bad_fn *bad, void *arg);

/* Decode one code point from s[0..n), n > 0, into *cp.  Returns its length
 * in bytes (1 to 4), or -1 for an invalid sequence (then *cp is U+FFFD and
 * the caller should skip one byte).  ASCII, most of the text, is decoded
 * inline; the rest goes to utf8proc. */
int utf_decode_multi(const char *s, size_t n, int32_t *cp);
static inline int utf_decode(const char *s, size_t n, int32_t *cp)
{
	if ((unsigned char)s[0] < 0x80) {
		*cp = (unsigned char)s[0];
		return 1;
	}
	return utf_decode_multi(s, n, cp);
}

/* Is s[0..n) (n in bytes) valid UTF-8?  1 or 0.  NUL bytes are valid. */
int utf_valid(const char *s, size_t n);

/* Number of code points in valid UTF-8 s[0..n). */
size_t utf_count(const char *s, size_t n);

/* Append the match key of s[0..n) to out: NFKC, case-folded, diacritics
 * stripped, curly quotes and primes folded to ', dashes to -, the half
 * rings of ayn and hamza (U+02BE, U+02BF) and default-ignorable
 * characters such as the soft hyphen dropped.  Pure
 * ASCII takes a fast path that gives the same result. */
void utf_key(struct buf *out, const char *s, size_t n);

/* utf_key's fast path, for callers that keep the key themselves: if
 * s[0..n) is all ASCII, its key is n bytes; write them and a NUL to
 * key[0..n] (the caller's, n + 1 bytes) and return 1 if the key differs
 * from s, 0 if it is the same.  Returns -1 if s is not all ASCII: then
 * key holds nothing of use, and the key is utf_key's to make. */
int utf_key_ascii(char *key, const char *s, size_t n);

/* True if the NUL-terminated s starts with an upper-case letter. */
int utf_starts_upper(const char *s);

/* Character classes on code points, from utf8proc's category tables;
 * the ASCII range is answered inline without them. */
int utf_uni_space(int32_t cp);
int utf_uni_letter(int32_t cp);
int utf_uni_upper(int32_t cp);
int utf_uni_lower(int32_t cp);
int utf_uni_digit(int32_t cp);
int utf_uni_mark(int32_t cp);

static inline int utf_is_space(int32_t cp)
{
	if (cp < 0x80)
		return cp == ' ' || (cp >= '\t' && cp <= '\r');
	return utf_uni_space(cp);
}

static inline int utf_is_letter(int32_t cp)
{
	if (cp < 0x80)
		return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
	return utf_uni_letter(cp);
}

static inline int utf_is_upper(int32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z';
	return utf_uni_upper(cp);
}

static inline int utf_is_lower(int32_t cp)
{
	if (cp < 0x80)
		return cp >= 'a' && cp <= 'z';
	return utf_uni_lower(cp);
}

static inline int utf_is_digit(int32_t cp)
{
	if (cp < 0x80)
		return cp >= '0' && cp <= '9';
	return utf_uni_digit(cp);
}

static inline int utf_is_mark(int32_t cp)
{
	return cp >= 0x80 && utf_uni_mark(cp);
}

int utf_is_dash(int32_t cp);
int utf_is_apostrophe(int32_t cp);

#endif
