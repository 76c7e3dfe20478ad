/* page_html.c - parse a decoded page with libxml2 and small helpers over its tree. */
#define _GNU_SOURCE		/* strcasestr */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "page_int.h"

xmlDoc *html_parse(const struct buf *html, const char *base_url)
{
	return htmlReadMemory(html->s ? html->s : "", (int)html->len, base_url,
			      "UTF-8", HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
			      HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
			      HTML_PARSE_IGNORE_ENC | HTML_PARSE_COMPACT |
			      XML_PARSE_HUGE);
}

xmlNode *html_body(xmlDoc *doc)
{
	xmlNode *root = xmlDocGetRootElement(doc);

	if (!root)
		return NULL;
	for (xmlNode *k = root->children; k; k = k->next)
		if (strcmp(html_tag(k), "body") == 0)
			return k;
	return root;
}
int html_is_elem(const xmlNode *n)
{
	return n && n->type == XML_ELEMENT_NODE;
}

const char *html_tag(const xmlNode *n)
{
	return html_is_elem(n) ? (const char *)n->name : "";
}

/* True when n's tag name is one of the words in list, written as
 * " a b c ".  Tag names from the HTML parser are lower case. */
int html_tag_in(const xmlNode *n, const char *list)
{
	const char *t = html_tag(n);
	size_t len = strlen(t);

	if (len == 0)
		return 0;
	for (const char *p = strstr(list, t); p; p = strstr(p + 1, t))
		if (p[-1] == ' ' && p[len] == ' ')
			return 1;
	return 0;
}

/* The value of attribute name on n without copying, or NULL.  Valid as
 * long as the node. */
const char *html_attr(const xmlNode *n, const char *name)
{
	if (!html_is_elem(n))
		return NULL;
	for (xmlAttr *a = n->properties; a; a = a->next)
		if (strcasecmp((const char *)a->name, name) == 0) {
			if (a->children && a->children->type == XML_TEXT_NODE)
				return (const char *)a->children->content;
			return "";
		}
	return NULL;
}

int html_attr_is(const xmlNode *n, const char *name, const char *val)
{
	const char *v = html_attr(n, name);

	return v && strcasecmp(v, val) == 0;
}

int html_has_any(const char *s, const char *const *words)
{
	if (!s || !*s)
		return 0;
	for (; *words; words++)
		if (strcasestr(s, *words))
			return 1;
	return 0;
}

void html_remove(xmlNode *n)
{
	xmlUnlinkNode(n);
	xmlFreeNode(n);
}

/* Append the text of n's subtree to b, whitespace as in the page. */
void html_text(const xmlNode *n, struct buf *b)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
			buf_puts(b, (const char *)n->content);
		else if (n->type == XML_ELEMENT_NODE && html_tag_in(n, " br "))
			buf_putc(b, ' ');	/* "Army chief<br>visits" */
		else if (n->type == XML_ELEMENT_NODE)
			html_text(n->children, b);
	}
}

char *html_trimmed_dup(const char *s)
{
	struct buf b = BUF_INIT;
	int space = 0;

	for (; *s; s++) {
		size_t k = html_invisible(s);
		if (k) {
			s += k - 1;
			continue;
		}
		if (isspace((unsigned char)*s)) {
			space = b.len > 0;
			continue;
		}
		if (space)
			buf_putc(&b, ' ');
		space = 0;
		buf_putc(&b, *s);
	}
	if (!b.s)
		return NULL;
	return b.s;
}

size_t html_depth(const xmlDoc *doc)
{
	const xmlNode *root = xmlDocGetRootElement(doc), *n = root;
	size_t depth = 1, max = root ? 1 : 0;

	while (n && max <= PAGE_MAX_DEPTH) {
		if (n->children) {
			n = n->children;
			if (++depth > max)
				max = depth;
			continue;
		}
		while (n != root && !n->next) {
			n = n->parent;
			depth--;
		}
		if (n == root)
			break;
		n = n->next;
	}
	return max;
}

/* What HTML makes of the numeric references &#128;-&#159;: the
 * windows-1252 characters (WHATWG HTML, numeric character reference end
 * state); 0 for the five it leaves as controls. */
static const uint16_t c1_cp1252[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

/* Map the C1 characters of one text node (see html_map_c1). */
static void map_c1_text(xmlNode *n)
{
	const char *s = (const char *)n->content;
	struct buf b = BUF_INIT;
	int changed = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)s[1];

		if ((unsigned char)s[0] == 0xC2 && c >= 0x80 && c <= 0x9F &&
		    c1_cp1252[c - 0x80]) {
			uint16_t cp = c1_cp1252[c - 0x80];

			if (cp < 0x800) {
				buf_putc(&b, 0xC0 | (cp >> 6));
			} else {
				buf_putc(&b, 0xE0 | (cp >> 12));
				buf_putc(&b, 0x80 | ((cp >> 6) & 0x3F));
			}
			buf_putc(&b, 0x80 | (cp & 0x3F));
			s++;
			changed = 1;
		} else {
			buf_putc(&b, *s);
		}
	}
	if (changed)
		xmlNodeSetContent(n, (const xmlChar *)b.s);
	buf_free(&b);
}

void html_map_c1(xmlDoc *doc)
{
	xmlNode *root = xmlDocGetRootElement(doc), *n = root;

	while (n) {
		if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) &&
		    n->content && strstr((const char *)n->content, "\xC2"))
			map_c1_text(n);
		if (n->children && n->type == XML_ELEMENT_NODE) {
			n = n->children;
			continue;
		}
		while (n != root && !n->next)
			n = n->parent;
		if (n == root)
			break;
		n = n->next;
	}
}

size_t html_invisible(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if ((u[0] && u[0] < 0x20 && !isspace(u[0])) || u[0] == 0x7F)
		return 1;
	if (u[0] == 0xC2 && (u[1] == 0xAD || (u[1] >= 0x80 && u[1] <= 0x9F)))
		return 2;
	if (u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0x8B)
		return 3;
	if (u[0] == 0xE2 && u[1] == 0x81 && u[2] == 0xA0)
		return 3;
	if (u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
		return 3;
	return 0;
}
