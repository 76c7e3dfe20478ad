/* test-utf.c - UTF-8 repair, counting and match keys. */
#include <stdlib.h>

#include "buf.h"
#include "check.h"
#include "utf.h"

static size_t bad_offsets[8], nbad;

static void note_bad(size_t off, const char *what, void *arg)
{
	(void)what;
	(void)arg;
	if (nbad < 8)
		bad_offsets[nbad++] = off;
}

static const char *repair(const char *s, size_t n, int bom)
{
	static struct buf b;

	buf_reset(&b);
	nbad = 0;
	utf_repair(&b, s, n, bom, note_bad, NULL);
	return b.s ? b.s : "";
}

static const char *key(const char *s)
{
	static struct buf b;

	buf_reset(&b);
	utf_key(&b, s, strlen(s));
	return b.s ? b.s : "";
}

int main(void)
{
	CHECK_STR("repair keeps valid text", repair("Tehran \xe2\x80\x93 Iran", 15, 1),
		  "Tehran \xe2\x80\x93 Iran");
	CHECK_STR("repair replaces an invalid byte", repair("a\xffz", 3, 1),
		  "a\xef\xbf\xbdz");
	CHECK("repair reports the byte offset", nbad == 1 && bad_offsets[0] == 1);
	CHECK_STR("repair replaces each byte of a truncated sequence",
		  repair("x\xe2\x80", 3, 1), "x\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_STR("repair replaces NUL", repair("a\0b", 3, 1), "a\xef\xbf\xbd" "b");
	CHECK_STR("repair strips a BOM", repair("\xef\xbb\xbfGen", 6, 1), "Gen");
	CHECK_STR("repair keeps a BOM when told", repair("\xef\xbb\xbfGen", 6, 0),
		  "\xef\xbb\xbfGen");
	CHECK_STR("repair makes CRLF and CR into LF", repair("a\r\nb\rc", 6, 1),
		  "a\nb\nc");
	CHECK_STR("repair rejects overlong encodings", repair("\xc0\xaf", 2, 1),
		  "\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_STR("repair rejects surrogates", repair("\xed\xa0\x80", 3, 1),
		  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");

	CHECK("count code points", utf_count("Baq\xc3\xa9ri \xe2\x80\x93", 11) == 8);

	CHECK_STR("key lower-cases ASCII", key("TEHRAN"), "tehran");
	CHECK_STR("key strips diacritics", key("Qom\xc3\xa9 \xc3\x9c"), "qome u");
	CHECK_STR("key folds curly apostrophe", key("Iran\xe2\x80\x99s"), "iran's");
	CHECK_STR("key folds curly double quotes", key("\xe2\x80\x9cIRNA\xe2\x80\x9d"), "\"irna\"");
	CHECK_STR("key folds an acute accent used as apostrophe", key("O\xc2\xb4" "Brien"), "o'brien");
	CHECK_STR("key folds en dash", key("\xe2\x80\x93"), "-");
	CHECK_STR("key applies NFKC", key("\xef\xac\x81" "eld"), "field");
	CHECK_STR("key case-folds non-ASCII", key("\xc3\x89TAT"), "etat");
	CHECK_STR("key keeps Arabic letters", key("\xd8\xaa\xd9\x87\xd8\xb1\xd8\xa7\xd9\x86"),
		  "\xd8\xaa\xd9\x87\xd8\xb1\xd8\xa7\xd9\x86");

	CHECK("starts upper", utf_starts_upper("\xc3\x89lan") && utf_starts_upper("Iran") &&
	      !utf_starts_upper("\xc3\xa9lan") && !utf_starts_upper("iran") &&
	      !utf_starts_upper("") && !utf_starts_upper("2024"));
	CHECK("space: NBSP", utf_is_space(0xA0));
	CHECK("upper: E acute", utf_is_upper(0xC9));
	CHECK("dash: em dash", utf_is_dash(0x2014));
	CHECK("apostrophe: right single quote", utf_is_apostrophe(0x2019));
	return CHECK_DONE();
}
