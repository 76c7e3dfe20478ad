/* fuzz-page.c - ner-fetch's HTML page reader (page_read): any bytes as a
 * page, under one of a few declared content types chosen by the first
 * byte.  Besides crashes, leaks and hangs, it checks what page_read
 * promises: on success every string it gives is valid UTF-8 without NUL
 * or other C0 controls than TAB and LF; on failure it says why, as
 * EX_DATAERR. */
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "fuzz.h"
#include "page.h"
#include "utf.h"

/* The content types a server may send, from none to wrong. */
static const char *const ctypes[] = {
	NULL,
	"text/html",
	"text/html; charset=utf-8",
	"text/html; charset=windows-1256",
	"text/html; charset=ISO-8859-1",
	"text/html; charset=no-such-charset",
	"application/octet-stream",
	"text/html; charset=",
};

/* Abort unless s[0..n) is valid UTF-8 free of NUL and of C0 controls
 * other than TAB and LF. */
static void check_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		int32_t cp;
		int len = utf_decode(s + i, n - i, &cp);

		if (len < 0 || (cp < 0x20 && cp != '\t' && cp != '\n'))
			abort();
		i += (size_t)len;
	}
}

static void check_str(const char *s)
{
	if (s)
		check_text(s, strlen(s));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *ctype = NULL;
	struct page p;
	struct err e;

	if (size > 0) {
		ctype = ctypes[data[0] % (sizeof ctypes / sizeof ctypes[0])];
		data++;
		size--;
	}
	page_init(&p);
	if (page_read(&p, (const char *)data, size, ctype,
		      "https://example.org/news/a.html", &e) == 0) {
		if (p.text.len && strlen(p.text.s) != p.text.len)
			abort();
		check_text(p.text.s ? p.text.s : "", p.text.len);
		check_str(p.headline);
		check_str(p.title);
		check_str(p.date);
		check_str(p.site);
		check_str(p.canonical);
	} else if (e.code != EX_DATAERR || !e.msg[0]) {
		abort();
	}
	page_free(&p);
	return 0;
}
