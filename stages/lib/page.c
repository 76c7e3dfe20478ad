/* page.c - read a page: decode, parse, take its metadata and main text. */
#include <stdlib.h>
#include <string.h>

#include "page_int.h"

void page_init(struct page *p)
{
	memset(p, 0, sizeof *p);
}

void page_free(struct page *p)
{
	if (!p)
		return;
	buf_free(&p->text);
	free(p->title);
	free(p->date);
	free(p->site);
	free(p->canonical);
	page_init(p);
}

int page_read(struct page *p, const char *s, size_t n,
	      const char *content_type, const char *base_url)
{
	struct buf html = BUF_INIT;
	xmlDoc *doc;

	p->nbad = page_decode(&html, s, n, content_type, &p->charset,
			      &p->charset_guessed);
	if (strspn(html.s ? html.s : "", " \t\r\n") == html.len) {
		buf_free(&html);
		return 0;	/* an empty page has no tree and no text */
	}
	doc = html_parse(&html, base_url);
	if (!doc) {
		buf_free(&html);
		return -1;
	}
	page_meta_scan(p, doc, base_url, NULL);
	xmlFreeDoc(doc);
	if (page_text_find(&p->text, &html, base_url) < 0) {
		buf_free(&html);
		return -1;
	}
	if (p->text.len)
		buf_putc(&p->text, '\n');
	buf_free(&html);
	return 0;
}
