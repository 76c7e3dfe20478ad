/* page.c - read a page: decode, parse, take its metadata and main text. */
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

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
	free(p->headline);
	free(p->title);
	free(p->date);
	free(p->site);
	free(p->canonical);
	page_init(p);
}

int page_read(struct page *p, const char *s, size_t n,
	      const char *content_type, const char *base_url, struct err *e)
{
	struct buf html = BUF_INIT;
	char *body = NULL;
	xmlDoc *doc;
	int ret = 0;

	page_decode(&html, s, n, content_type, NULL, NULL);
	if (strspn(html.s ? html.s : "", " \t\r\n") == html.len)
		goto out_free_html;	/* an empty page has no tree and no text */
	/* A form feed is white space in HTML, and no character at all to
	 * libxml2 (XML forbids it): "Gen\fAsim" would become "GenAsim". */
	for (char *f = memchr(html.s, '\f', html.len); f;
	     f = memchr(f, '\f', html.len - (size_t)(f - html.s)))
		*f = ' ';
	doc = html_parse(&html, base_url);
	if (!doc) {
		ret = err_set(e, EX_DATAERR, "could not parse the page");
		goto out_free_html;
	}
	if (html_depth(doc) > PAGE_MAX_DEPTH) {
		ret = err_set(e, EX_DATAERR, "page nested deeper than "
			      PAGE_MAX_DEPTH_STR " elements");
		goto out_free_doc;
	}
	html_map_c1(doc);
	page_meta_scan(p, doc, base_url, &body);
	p->headline = page_text_find(&p->text, doc, p->title, body);
	if (p->text.len)
		buf_putc(&p->text, '\n');
	free(body);
out_free_doc:
	xmlFreeDoc(doc);
out_free_html:
	buf_free(&html);
	return ret;
}
