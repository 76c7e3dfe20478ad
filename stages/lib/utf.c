/* utf.c - UTF-8 repair, counting and match keys, on top of utf8proc. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "bytetab.h"
#include "hash.h"
#include "utf.h"

#define REPLACEMENT "\xef\xbf\xbd"

int utf_decode_multi(const char *s, size_t n, int32_t *cp)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)s,
						(utf8proc_ssize_t)n, &c);

	if (len < 1) {
		*cp = 0xFFFD;
		return -1;
	}
	*cp = c;
	return (int)len;
}

size_t utf_count(const char *s, size_t n)
{
	size_t count = 0;

	/* Count bytes that are not continuation bytes: valid input only. */
	for (size_t i = 0; i < n; i++)
		count += ((unsigned char)s[i] & 0xC0) != 0x80;
	return count;
}

/* The length of the run of printable ASCII (0x20 to 0x7f) that starts
 * s[0..n).  Eight bytes a step: no byte of x is below 0x20 or from 0x80
 * when neither x nor x less 0x20 in each byte has a high bit set (the
 * lowest byte below 0x20 borrows, whatever the byte order). */
static size_t printable_run(const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	size_t i = 0;
	uint64_t x;

	for (; n - i >= 8; i += 8) {
		memcpy(&x, s + i, 8);
		if (((x - 0x20 * ones) | x) & high)
			break;
	}
	while (i < n && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x80)
		i++;
	return i;
}

size_t utf_repair(struct buf *out, const char *s, size_t n, int strip_bom,
		  utf_bad_fn *bad, void *arg)
{
	size_t i = 0, fixed = 0;

	if (strip_bom && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	buf_reserve(out, n);
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		int32_t cp;
		int len;

		if (c >= 0x20 && c < 0x80) {
			/* Most text is printable ASCII: copy the run at once. */
			size_t j = i + 1 + printable_run(s + i + 1, n - i - 1);

			buf_put(out, s + i, j - i);
			i = j;
			continue;
		}
		if (c == '\r') {
			buf_putc(out, '\n');
			i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
			continue;
		}
		if (c == 0) {
			if (bad)
				bad(i, "NUL byte", arg);
			buf_puts(out, REPLACEMENT);
			fixed++;
			i++;
			continue;
		}
		len = utf_decode(s + i, n - i, &cp);
		if (len < 0) {
			if (bad)
				bad(i, "invalid UTF-8", arg);
			buf_puts(out, REPLACEMENT);
			fixed++;
			i++;
			continue;
		}
		buf_put(out, s + i, (size_t)len);
		i += (size_t)len;
	}
	return fixed;
}

static int32_t fold_punct(int32_t cp)
{
	switch (cp) {
	case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032:
	case 0x02BC: case 0x02B9: case 0x0060: case 0x00B4: case 0xFF07:
		return '\'';
	case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033:
	case 0x00AB: case 0x00BB: case 0xFF02:
		return '"';
	}
	if (utf_is_dash(cp))
		return '-';
	return cp;
}

/* The key of each byte as utf_key has it for ASCII text: A-Z
 * lower-cased, ` made ' (fold_punct), the rest as it is. */
#define K_OF(c) ((c) >= 'A' && (c) <= 'Z' ? (c) | 0x20 : (c) == '`' ? '\'' : (c))

static const unsigned char ascii_key[256] = { BYTETAB(K_OF) };

#undef K_OF

int utf_key_ascii(char *key, const char *s, size_t n)
{
	unsigned char high = 0, diff = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned char k = ascii_key[c];

		high |= c;
		diff |= c ^ k;
		key[i] = (char)k;
	}
	key[n] = '\0';
	if (high & 0x80)
		return -1;
	return diff != 0;
}

/* Append to pre the text s[0..n) with quotes and dashes folded and the
 * half rings dropped: utf_key's first pass.  Bytes of an invalid
 * sequence are kept as they are. */
static void key_prefold(struct buf *pre, const char *s, size_t n)
{
	for (size_t j = 0; j < n;) {
		int32_t cp;
		int l = utf_decode(s + j, n - j, &cp);
		utf8proc_uint8_t enc[4];

		if (l < 0) {
			buf_putc(pre, s[j++]);
			continue;
		}
		j += (size_t)l;
		/* Half rings for ayn and hamza (Esmāʿil, Qāʾāni) are often
		 * left out of the same name: drop them so that both agree. */
		if (cp == 0x02BE || cp == 0x02BF)
			continue;
		buf_put(pre, enc, (size_t)utf8proc_encode_char(fold_punct(cp), enc));
	}
}

/* Append the key of non-ASCII s[0..n) to out: utf_key but for the fast
 * path. */
static void key_slow(struct buf *out, const char *s, size_t n)
{
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t len;
	/* Quotes and dashes first: NFKC would turn an acute accent U+00B4
	 * used as an apostrophe into a space and a combining mark. */
	struct buf pre = BUF_INIT;

	key_prefold(&pre, s, n);
	/* Folded to ASCII (’s, a dash): NFKC, case folding and the rest
	 * leave ASCII as it is but for A-Z, so the fast path gives the
	 * same key. */
	buf_reserve(out, pre.len);
	if (utf_key_ascii(out->s + out->len, pre.s ? pre.s : "", pre.len) >= 0) {
		out->len += pre.len;
		buf_free(&pre);
		return;
	}
	out->s[out->len] = '\0';
	len = utf8proc_map((const utf8proc_uint8_t *)pre.s, (utf8proc_ssize_t)pre.len,
			   &mapped, UTF8PROC_STABLE | UTF8PROC_COMPAT |
			   UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
			   UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
	buf_free(&pre);
	if (len < 0) {
		/* Only invalid UTF-8 gets here; ner-norm has already
		 * repaired it, so keep the bytes as they are. */
		buf_put(out, s, n);
		return;
	}
	for (utf8proc_ssize_t j = 0; j < len;) {
		utf8proc_int32_t cp;
		utf8proc_uint8_t enc[4];
		utf8proc_ssize_t step = utf8proc_iterate(mapped + j, len - j, &cp);

		if (step < 1)
			break;
		j += step;
		cp = fold_punct(cp);
		buf_put(out, enc, (size_t)utf8proc_encode_char(cp, enc));
	}
	free(mapped);
}

/* key_slow costs thousands of instructions for a name with diacritics,
 * and news text says its names again and again: a memo of the keys of
 * short non-ASCII texts, one for each thread (so no lock), of a fixed
 * size (KEY_MEMO entries, each text at most KEY_MEMO_TEXT bytes and
 * its key at most KEY_MEMO_KEY).  An entry is found by a hash of the
 * text and holds the text itself, so a key comes only from equal text:
 * a memo that forgets changes nothing but time. */
#define KEY_MEMO 64
#define KEY_MEMO_TEXT 32
#define KEY_MEMO_KEY 48

struct key_memo {
	unsigned char textlen, keylen;	/* textlen 0: a free entry */
	char text[KEY_MEMO_TEXT], key[KEY_MEMO_KEY];
};

static _Thread_local struct key_memo key_memo[KEY_MEMO];

void utf_key(struct buf *out, const char *s, size_t n)
{
	struct key_memo *m = NULL;
	size_t from = out->len;

	buf_reserve(out, n);
	if (utf_key_ascii(out->s + out->len, s, n) >= 0) {
		out->len += n;
		return;
	}
	out->s[out->len] = '\0';	/* the fast path wrote past it */
	if (n <= KEY_MEMO_TEXT) {
		m = &key_memo[hash_fnv1a(s, n, HASH_FNV1A_INIT) % KEY_MEMO];
		if (m->textlen == n && memcmp(m->text, s, n) == 0) {
			buf_put(out, m->key, m->keylen);
			return;
		}
	}
	key_slow(out, s, n);
	if (m && out->len - from <= KEY_MEMO_KEY) {
		m->textlen = (unsigned char)n;
		memcpy(m->text, s, n);
		m->keylen = (unsigned char)(out->len - from);
		memcpy(m->key, out->s + from, m->keylen);
	}
}

static utf8proc_category_t cat(int32_t cp)
{
	return utf8proc_category(cp);
}

/* The non-ASCII halves of utf_is_space() and the rest (utf.h). */
int utf_uni_space(int32_t cp)
{
	utf8proc_category_t c = cat(cp);
	return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL ||
	       c == UTF8PROC_CATEGORY_ZP || cp == 0x85 || cp == 0x200B ||
	       cp == 0xFEFF;
}

int utf_uni_letter(int32_t cp)
{
	utf8proc_category_t c = cat(cp);
	return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

int utf_uni_upper(int32_t cp)
{
	utf8proc_category_t c = cat(cp);
	return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

int utf_uni_lower(int32_t cp)
{
	return cat(cp) == UTF8PROC_CATEGORY_LL;
}

int utf_uni_digit(int32_t cp)
{
	return cat(cp) == UTF8PROC_CATEGORY_ND;
}

int utf_uni_mark(int32_t cp)
{
	utf8proc_category_t c = cat(cp);
	return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC ||
	       c == UTF8PROC_CATEGORY_ME;
}

int utf_is_dash(int32_t cp)
{
	if (cp < 0x80)
		return cp == '-';
	return cat(cp) == UTF8PROC_CATEGORY_PD || cp == 0x2212;
}

int utf_is_apostrophe(int32_t cp)
{
	return cp == '\'' || cp == 0x2019 || cp == 0x2018 || cp == 0x02BC ||
	       cp == 0x2032 || cp == 0x0060 || cp == 0x00B4;
}

int utf_starts_upper(const char *s)
{
	int32_t cp;
	unsigned char c = (unsigned char)s[0];

	if (c < 0x80)
		return c >= 'A' && c <= 'Z';
	return utf_decode(s, strlen(s), &cp) > 0 && utf_is_upper(cp);
}

int utf_valid(const char *s, size_t n)
{
	int32_t cp;

	for (size_t i = 0; i < n;) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		int k = utf_decode_multi(s + i, n - i, &cp);
		if (k < 0)
			return 0;
		i += (size_t)k;
	}
	return 1;
}
