/* test-page.c - charset decoding and main-text extraction of small pages. */
#include <stdlib.h>

#include "buf.h"
#include "check.h"
#include "page.h"

/* Decode s with content type ct; returns the UTF-8 (caller frees). */
static char *decoded(const char *s, const char *ct, const char **cs)
{
	struct buf b = BUF_INIT;

	page_decode(&b, s, strlen(s), ct, cs, NULL);
	return b.s ? b.s : calloc(1, 1);
}

static void test_decode(void)
{
	const char *cs;
	char *s;

	s = decoded("caf\xe9 \x93q\x94", NULL, &cs);
	CHECK_STR("no declaration, bad UTF-8: windows-1252", s,
		  "caf\xc3\xa9 \xe2\x80\x9cq\xe2\x80\x9d");
	free(s);
	s = decoded("caf\xc3\xa9", NULL, &cs);
	CHECK_STR("no declaration, valid UTF-8 stays", s, "caf\xc3\xa9");
	CHECK_STR("charset named", cs, "UTF-8");
	free(s);
	s = decoded("\xe3", "text/html; charset=ISO-8859-1", &cs);
	CHECK_STR("latin1 label means windows-1252", cs, "WINDOWS-1252");
	free(s);
	s = decoded("<meta charset=\"windows-1256\"><p>\xc7\xe1", NULL, &cs);
	CHECK_STR("meta charset windows-1256", s,
		  "<meta charset=\"windows-1256\"><p>\xd8\xa7\xd9\x84");
	free(s);
	s = decoded("<meta http-equiv=\"Content-Type\" content=\"text/html; "
		    "charset=utf-8\">\xff", "text/html; charset=windows-1252", &cs);
	CHECK_STR("HTTP charset wins over meta", cs, "WINDOWS-1252");
	free(s);
	s = decoded("\xef\xbb\xbfok", "text/html; charset=windows-1252", &cs);
	CHECK_STR("BOM wins and is dropped", s, "ok");
	free(s);
	s = decoded("a\xff" "b", "text/html; charset=utf-8", &cs);
	CHECK_STR("invalid UTF-8 becomes U+FFFD", s, "a\xef\xbf\xbd" "b");
	free(s);
	s = decoded("a\x81" "b", "text/html; charset=windows-1252", &cs);
	CHECK_STR("unmapped windows-1252 byte becomes U+FFFD", s,
		  "a\xef\xbf\xbd" "b");
	free(s);
}

static const char *page =
	"<html><head><title>T | Site</title>"
	"<meta property=\"og:site_name\" content=\"Site\">"
	"<script type=\"application/ld+json\">{\"@graph\":[{\"@type\":"
	"\"NewsArticle\",\"datePublished\":\"2026-01-02T03:04:05Z\"}]}</script>"
	"<link rel=\"canonical\" href=\"/a/b.html\"></head><body>"
	"<nav><a href=\"/\">Home</a> <a href=\"/x\">World</a></nav>"
	"<div class=\"story-body\"><h1>Head line</h1>"
	"<p>First paragraph of the story, with a comma, and another, and more "
	"words to make it long enough to count as real text.</p>"
	"<p>Second paragraph, also long enough, with commas, to be kept in the "
	"text of the article that we extract here.</p>"
	"<ul class=\"related-links\"><li><a href=\"/1\">Other story one</a></li>"
	"<li><a href=\"/2\">Other story two</a></li></ul></div>"
	"<footer>Copyright notice of the site</footer></body></html>";

static void test_page(void)
{
	struct page p;
	struct err e;

	page_init(&p);
	CHECK("page_read succeeds", page_read(&p, page, strlen(page),
		"text/html", "https://example.org/x/y.html", &e) == 0);
	CHECK_STR("title from <title>", p.title, "T | Site");
	CHECK_STR("site", p.site, "Site");
	CHECK_STR("date from JSON-LD @graph", p.date, "2026-01-02T03:04:05Z");
	CHECK_STR("canonical made absolute", p.canonical,
		  "https://example.org/a/b.html");
	CHECK("headline kept", p.text.s && strncmp(p.text.s, "Head line\n\n", 11) == 0);
	CHECK("paragraphs kept", p.text.s && strstr(p.text.s,
		"to count as real text.\n\nSecond paragraph"));
	CHECK("navigation dropped", p.text.s && !strstr(p.text.s, "World"));
	CHECK("related links dropped", p.text.s && !strstr(p.text.s, "Other story"));
	CHECK("footer dropped", p.text.s && !strstr(p.text.s, "Copyright"));
	CHECK("text ends in one newline", p.text.len > 2 &&
	      p.text.s[p.text.len - 1] == '\n' && p.text.s[p.text.len - 2] != '\n');
	page_free(&p);

	page_init(&p);
	CHECK("garbage does not fail", page_read(&p, "\0\1<<>>&&", 8,
						    NULL, NULL, &e) == 0);
	CHECK("garbage has no NUL in text", strlen(p.text.s ? p.text.s : "") ==
	      p.text.len);
	page_free(&p);
	page_free(NULL);

	page_init(&p);
	CHECK("an empty page is read", page_read(&p, "", 0, NULL, NULL, &e) == 0);
	CHECK("and has no text", p.text.len == 0);
	page_free(&p);

	static const char *empty_body = "<script type=\"application/ld+json\">"
		"{\"@type\":\"NewsArticle\",\"articleBody\":\"\","
		"\"datePublished\":\"\"}</script><p>Short.</p>";
	page_init(&p);
	CHECK("empty JSON-LD strings are read", page_read(&p, empty_body,
	      strlen(empty_body), NULL, NULL, &e) == 0);
	CHECK("and give no date", p.date == NULL);
	page_free(&p);
}

static const char *graph_page =
	"<html><head><script type=\"application/ld+json\">{\"@graph\":["
	"{\"@type\":\"WebPage\",\"isPartOf\":{\"@type\":\"WebSite\","
	"\"datePublished\":\"2001-01-01\"}},{\"@type\":\"NewsArticle\","
	"\"datePublished\":\"2026-05-06T07:00:00Z\"}]}</script></head>"
	"<body><div><h1>Chad and Niger hold border talks</h1></div><div>"
	"<p>Officials from Chad and Niger met in N'Djamena on Monday to talk "
	"about the border, which runs through the Sahara, and agreed to meet "
	"again in Niamey.</p><p>The talks were the first since 2024, when the "
	"two countries recalled their envoys, and they will go on next year, "
	"the Nigerien foreign ministry said.</p><p>Soldiers from both "
	"countries will patrol the border near Agadez to\xc2\xadgether.</p>"
	"</div></body></html>";

static void test_graph_and_headline(void)
{
	struct page p;
	struct err e;

	page_init(&p);
	CHECK("graph page read", page_read(&p, graph_page, strlen(graph_page),
					   NULL, NULL, &e) == 0);
	CHECK_STR("date from the NewsArticle, not the WebSite", p.date,
		  "2026-05-06T07:00:00Z");
	CHECK_STR("the headline outside the block is found", p.headline,
		  "Chad and Niger hold border talks");
	CHECK("and the body starts after it", p.text.s &&
	      strncmp(p.text.s, "Officials from Chad", 19) == 0);
	CHECK("soft hyphen dropped", p.text.s && strstr(p.text.s, "together."));
	page_free(&p);
}

static void test_deep(void)
{
	struct buf b = BUF_INIT;
	struct page p;
	struct err e;

	buf_puts(&b, "<html><body>");
	for (int i = 0; i < 2100; i++)
		buf_puts(&b, "<div>");
	buf_puts(&b, "<p>Text deep inside.</p></body></html>");
	page_init(&p);
	CHECK("too deep a page fails", page_read(&p, b.s, b.len, NULL, NULL, &e) < 0);
	CHECK_STR("and says why", e.msg,
		  "page nested deeper than 2048 elements");
	page_free(&p);
	buf_free(&b);
}

/* What browsers do with old pages: &#146; is a quote, a form feed is a
 * space, a UTF-16 label in a <meta> means UTF-8. */
static void test_legacy(void)
{
	static const char c1[] =
		"<html><head><title>Pakistan&#146;s army &#150; news</title>"
		"</head><body><h1>Army&#146;s chief</h1><p>Gen\fAsim Munir met "
		"officials &#129;in Tehran.</p></body></html>";
	static const char u16[] =
		"<html><head><meta charset=\"utf-16\"><title>Caf\xC3\xA9</title>"
		"</head><body><p>Talks.</p></body></html>";
	static const char br[] =
		"<html><body><div><h1>Army chief<br>visits Tehran</h1><p>Officials "
		"met in Tehran.</p></div></body></html>";
	struct page p;
	struct err e;

	page_init(&p);
	CHECK("legacy page read", page_read(&p, c1, strlen(c1), NULL, NULL, &e) == 0);
	CHECK_STR("&#146; and &#150; are windows-1252's quote and dash",
		  p.title, "Pakistan\xE2\x80\x99s army \xE2\x80\x93 news");
	CHECK_STR("in the headline too", p.headline, "Army\xE2\x80\x99s chief");
	CHECK("a form feed parts words, &#129; is dropped", p.text.s &&
	      strcmp(p.text.s, "Gen Asim Munir met officials in Tehran.\n") == 0);
	page_free(&p);
	page_init(&p);
	CHECK("utf-16 page read", page_read(&p, u16, strlen(u16), NULL, NULL, &e) == 0);
	CHECK_STR("a utf-16 <meta> means UTF-8", p.title, "Caf\xC3\xA9");
	page_free(&p);
	page_init(&p);
	CHECK("br page read", page_read(&p, br, strlen(br), NULL, NULL, &e) == 0);
	CHECK_STR("a <br> in the headline is a space", p.headline,
		  "Army chief visits Tehran");
	CHECK("and its copy in the block is not in the body", p.text.s &&
	      strncmp(p.text.s, "Officials met", 13) == 0);
	page_free(&p);
}

int main(void)
{
	test_legacy();
	test_decode();
	test_page();
	test_graph_and_headline();
	test_deep();
	return CHECK_DONE();
}
