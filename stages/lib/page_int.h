/* page_int.h - the parts of the page module shared by its files: libxml2 tree helpers. */
#ifndef NERPIPE_PAGE_INT_H
#define NERPIPE_PAGE_INT_H

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "buf.h"
#include "page.h"

/* Parse the UTF-8 HTML in html (as page_decode leaves it) with libxml2's
 * HTML parser, recovering from errors, without network access and
 * without libxml2's 256-level depth limit (XML_PARSE_HUGE: callers check
 * html_depth), into a tree the caller frees with xmlFreeDoc.  base_url
 * may be NULL.  Returns NULL when libxml2 builds no tree. */
xmlDoc *html_parse(const struct buf *html, const char *base_url);

/* The <body> element of doc, else its root element, else NULL.  Owned
 * by doc. */
xmlNode *html_body(xmlDoc *doc);

/* True when n is an element. */
int html_is_elem(const xmlNode *n);

/* n's tag name (lower case from the HTML parser), or "" when n is not an
 * element.  Valid as long as n. */
const char *html_tag(const xmlNode *n);

/* True when n's tag name is one of the words in list, written as
 * " a b c ". */
int html_tag_in(const xmlNode *n, const char *list);

/* The value of attribute name (any case) of n without copying, "" when
 * it has no value, NULL when n has no such attribute.  Valid as long as
 * the node. */
const char *html_attr(const xmlNode *n, const char *name);

/* True when n's attribute name equals val, ignoring case. */
int html_attr_is(const xmlNode *n, const char *name, const char *val);

/* True when s (may be NULL) contains one of the NULL-terminated words,
 * ignoring ASCII case. */
int html_has_any(const char *s, const char *const *words);

/* Unlink n from its tree and free it with its subtree. */
void html_remove(xmlNode *n);

/* Append the text of the nodes from n on (siblings and their subtrees)
 * to b, bytes and whitespace as in the page, a <br> as a space. */
void html_text(const xmlNode *n, struct buf *b);

/* s with leading and trailing whitespace and the invisible
 * characters of html_invisible dropped and inner whitespace runs made one
 * space, as a new string the caller frees; NULL when nothing is left. */
char *html_trimmed_dup(const char *s);

/* Fill p's title, date, site and canonical from doc (not changed), as
 * ner-fetch(1) lists their sources.  JSON-LD is parsed with json-c; the
 * date and the body come from the object whose @type is an article type
 * (schema.org's Article and its subtypes), never from a WebPage or
 * WebSite beside or around it.  base_url (may be NULL) resolves a
 * relative canonical link.  When the page's JSON-LD articleBody or its
 * itemprop="articleBody" element gives the article body, *body (may be
 * NULL) gets it (UTF-8) as a new string the caller frees, else NULL. */
void page_meta_scan(struct page *p, xmlDoc *doc, const char *base_url,
		    char **body);

/* Find the article body of doc's <body> and put it in text (replaced):
 * paragraphs separated by a blank line, no final newline, no copy of
 * the headline.  Returns the headline (an <h1> or itemprop="headline",
 * the one in title when title is not NULL) as a new string the caller
 * frees, or NULL when the page has none.  When body_hint (may
 * be NULL) is the article body from structured data and agrees with the
 * text found, its boundaries are trusted.  doc's tree is not changed: the
 * scorer's attempts work on copies of its <body>.  The invisible
 * characters of html_invisible are left out.  The method
 * is Mozilla Readability's (github.com/mozilla/readability); see
 * page_text.c for what is added to it. */
char *page_text_find(struct buf *text, xmlDoc *doc, const char *title,
		     const char *body_hint);

/* Drop from text (paragraphs separated by blank lines, replaced) the
 * short lines that are boilerplate inside an article's block:
 * related-story labels and boxes, calls to subscribe or click, date and
 * credit lines; and everything after a comment-section heading in the
 * second half of the text.  See page_boiler.c for the lists. */
void page_text_drop_boilerplate(struct buf *text);

/* Element depth beyond which a page is refused: the tree walks recurse. */
#define PAGE_MAX_DEPTH 2048
#define PAGE_MAX_DEPTH_STR "2048"

/* The greatest node depth in doc (the root element is 1), counted
 * without recursion; counting stops past PAGE_MAX_DEPTH. */
size_t html_depth(const xmlDoc *doc);

/* Make each C1 control character U+0080-U+009F in doc's text the
 * windows-1252 character it stands for, as browsers read the numeric
 * references &#128;-&#159; that old pages use for quotes and dashes
 * (&#146; is a right single quote).  The five that windows-1252 leaves
 * unassigned stay, and html_invisible drops them. */
void html_map_c1(xmlDoc *doc);

/* The length in bytes of the invisible character that s starts with, or
 * 0: a format character (U+00AD soft hyphen, U+200B zero width space,
 * U+2060 word joiner, U+FEFF zero width no-break space) or a control
 * character other than whitespace (U+0001-U+001F but TAB, LF, VT, FF and
 * CR; U+007F-U+009F), which no page means to show. */
size_t html_invisible(const char *s);

#endif
