/* page_charset.c - decode a page's bytes to UTF-8 from its declared or guessed encoding. */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "page.h"
#include "utf.h"

/* How far into the page a <meta> charset declaration is looked for.  The
 * HTML standard's prescan stops at 1024 bytes; real pages put long
 * scripts first, so look further. */
#define SNIFF_BYTES 4096

/* Canonical iconv names for the labels pages use.  ISO-8859-1 and ASCII
 * labels mean windows-1252 in every browser, and pages rely on that for
 * curly quotes in the 0x80-0x9F range. */
static const char *charset_canonical(const char *label, size_t n)
{
	static const struct { const char *label, *name; } map[] = {
		{ "utf-8", "UTF-8" }, { "utf8", "UTF-8" },
		{ "unicode-1-1-utf-8", "UTF-8" },
		{ "iso-8859-1", "WINDOWS-1252" }, { "iso8859-1", "WINDOWS-1252" },
		{ "latin1", "WINDOWS-1252" }, { "l1", "WINDOWS-1252" },
		{ "us-ascii", "WINDOWS-1252" }, { "ascii", "WINDOWS-1252" },
		{ "windows-1252", "WINDOWS-1252" }, { "cp1252", "WINDOWS-1252" },
		{ "x-cp1252", "WINDOWS-1252" }, { "iso_8859-1", "WINDOWS-1252" },
		{ "windows-1256", "WINDOWS-1256" }, { "cp1256", "WINDOWS-1256" },
		{ "x-cp1256", "WINDOWS-1256" },
		{ "windows-1251", "WINDOWS-1251" }, { "cp1251", "WINDOWS-1251" },
		{ "iso-8859-6", "ISO-8859-6" }, { "iso-8859-15", "ISO-8859-15" },
		{ "iso-8859-2", "ISO-8859-2" }, { "koi8-r", "KOI8-R" },
		{ "utf-16le", "UTF-16LE" }, { "utf-16be", "UTF-16BE" },
		{ "utf-16", "UTF-16LE" },
		{ "shift_jis", "SHIFT_JIS" }, { "euc-jp", "EUC-JP" },
		{ "gb2312", "GB18030" }, { "gbk", "GB18030" },
		{ "gb18030", "GB18030" }, { "big5", "BIG5" },
		{ "euc-kr", "EUC-KR" },
	};

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strlen(map[i].label) == n &&
		    strncasecmp(map[i].label, label, n) == 0)
			return map[i].name;
	return NULL;
}

/* Find "charset=" in s[0..n) and return the canonical name of its value,
 * or NULL when there is none or it names an encoding we do not know. */
static const char *charset_param(const char *s, size_t n)
{
	const char *end = s + n, *p;

	for (p = s; p + 8 <= end; p++)
		if (strncasecmp(p, "charset", 7) == 0)
			break;
	if (p + 8 > end)
		return NULL;
	p += 7;
	while (p < end && (*p == ' ' || *p == '='))
		p++;
	while (p < end && (*p == '"' || *p == '\''))
		p++;
	const char *v = p;
	while (p < end && (isalnum((unsigned char)*p) || strchr("-_.:", *p)))
		p++;
	return charset_canonical(v, (size_t)(p - v));
}

/* The encoding a <meta> tag declares in the first SNIFF_BYTES, or NULL.
 * Like the HTML standard's prescan, this only looks inside <meta ...>
 * tags; the page itself is parsed by libxml2 after decoding. */
static const char *charset_meta(const char *s, size_t n)
{
	const char *end = s + (n < SNIFF_BYTES ? n : SNIFF_BYTES);

	for (const char *p = s; p + 5 < end; p++) {
		if (*p != '<' || strncasecmp(p + 1, "meta", 4) != 0)
			continue;
		const char *gt = memchr(p, '>', (size_t)(end - p));
		if (!gt)
			return NULL;
		const char *cs = charset_param(p, (size_t)(gt - p));
		/* A page that can declare its encoding in ASCII is not
		 * UTF-16, whatever it says (WHATWG HTML, prescan). */
		if (cs && strncmp(cs, "UTF-16", 6) == 0)
			return "UTF-8";
		if (cs)
			return cs;
		p = gt;
	}
	return NULL;
}

/* Convert with iconv, turning each byte it cannot convert into U+FFFD.
 * Returns the number of replacements, or (size_t)-1 if iconv does not
 * know the encoding. */
static size_t decode_iconv(struct buf *out, const char *from, const char *s,
			   size_t n)
{
	iconv_t cd = iconv_open("UTF-8", from);
	char *in = (char *)s;
	size_t left = n, nbad = 0;

	if (cd == (iconv_t)-1)
		return (size_t)-1;
	while (left > 0) {
		buf_reserve(out, left < 65536 ? left * 3 + 16 : 65536 * 3);
		char *o = out->s + out->len;
		size_t room = out->cap - out->len - 1;
		size_t r = iconv(cd, &in, &left, &o, &room);
		out->len = (size_t)(o - out->s);
		if (r == (size_t)-1 && errno != E2BIG) {
			/* EILSEQ or a truncated sequence at the end */
			buf_put(out, "\xEF\xBF\xBD", 3);
			in++;
			left--;
			nbad++;
			iconv(cd, NULL, NULL, NULL, NULL);
		}
	}
	iconv_close(cd);
	buf_reserve(out, 0);
	out->s[out->len] = '\0';
	return nbad;
}

size_t page_decode(struct buf *out, const char *s, size_t n,
		   const char *content_type, const char **charset,
		   int *guessed)
{
	const char *cs = NULL;
	int guess = 0;
	size_t skip = 0, nbad;

	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		cs = "UTF-8", skip = 3;
	else if (n >= 2 && memcmp(s, "\xFF\xFE", 2) == 0)
		cs = "UTF-16LE", skip = 2;
	else if (n >= 2 && memcmp(s, "\xFE\xFF", 2) == 0)
		cs = "UTF-16BE", skip = 2;
	if (!cs && content_type)
		cs = charset_param(content_type, strlen(content_type));
	if (!cs)
		cs = charset_meta(s, n);
	if (!cs) {
		guess = 1;
		cs = utf_valid(s, n) ? "UTF-8" : "WINDOWS-1252";
	}
	s += skip;
	n -= skip;
	if (strcmp(cs, "UTF-8") == 0) {
		nbad = utf_repair(out, s, n, 1, NULL, NULL);
	} else {
		struct buf tmp = BUF_INIT;
		nbad = decode_iconv(&tmp, cs, s, n);
		if (nbad == (size_t)-1) {
			cs = "UTF-8";
			guess = 1;
			buf_reset(&tmp);
			buf_put(&tmp, s, n);
			nbad = 0;
		}
		/* iconv output is valid UTF-8 but may hold NUL or CR */
		nbad += utf_repair(out, tmp.s ? tmp.s : "", tmp.len, 1,
				   NULL, NULL);
		buf_free(&tmp);
	}
	buf_reserve(out, 0);
	out->s[out->len] = '\0';	/* also when nothing was decoded */
	if (charset)
		*charset = cs;
	if (guessed)
		*guessed = guess;
	return nbad;
}