/* page_meta.c - a page's title, date, site and canonical URL from its <head>, JSON-LD and microdata. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/uri.h>

#include "diag.h"
#include "page_int.h"

/* Decode the JSON string starting at the opening quote s into b.  Returns
 * 0, or -1 if it is not a well-formed string. */
static int json_string(const char *s, struct buf *b)
{
	if (*s++ != '"')
		return -1;
	for (; *s && *s != '"'; s++) {
		if (*s != '\\') {
			buf_putc(b, *s);
			continue;
		}
		s++;
		switch (*s) {
		case 'n': buf_putc(b, '\n'); break;
		case 't': buf_putc(b, '\t'); break;
		case 'r': buf_putc(b, '\r'); break;
		case 'b': case 'f': buf_putc(b, ' '); break;
		case 'u': {
			char hex[5] = { 0 };
			unsigned long cp;
			if (strlen(s + 1) < 4)
				return -1;
			memcpy(hex, s + 1, 4);
			cp = strtoul(hex, NULL, 16);
			s += 4;
			if (cp >= 0xD800 && cp < 0xDC00 && s[1] == '\\' &&
			    s[2] == 'u' && strlen(s + 3) >= 4) {
				memcpy(hex, s + 3, 4);
				cp = 0x10000 + ((cp - 0xD800) << 10) +
				     ((strtoul(hex, NULL, 16) - 0xDC00) & 0x3FF);
				s += 6;
			}
			if (cp == 0 || (cp >= 0xD800 && cp < 0xE000))
				cp = 0xFFFD;
			if (cp < 0x80) {
				buf_putc(b, (int)cp);
			} else if (cp < 0x800) {
				buf_putc(b, (int)(0xC0 | cp >> 6));
				buf_putc(b, (int)(0x80 | (cp & 0x3F)));
			} else if (cp < 0x10000) {
				buf_putc(b, (int)(0xE0 | cp >> 12));
				buf_putc(b, (int)(0x80 | (cp >> 6 & 0x3F)));
				buf_putc(b, (int)(0x80 | (cp & 0x3F)));
			} else {
				buf_putc(b, (int)(0xF0 | cp >> 18));
				buf_putc(b, (int)(0x80 | (cp >> 12 & 0x3F)));
				buf_putc(b, (int)(0x80 | (cp >> 6 & 0x3F)));
				buf_putc(b, (int)(0x80 | (cp & 0x3F)));
			}
			break;
		}
		case '\0': return -1;
		default: buf_putc(b, *s); break;
		}
	}
	return *s == '"' ? 0 : -1;
}

/* The string value of the first "key": "..." member in JSON text js, as a
 * new string, or NULL.  JSON-LD nests objects in arrays and @graph; a
 * search by key finds the member wherever it is. */
static char *json_find(const char *js, const char *key)
{
	size_t kn = strlen(key);

	for (const char *p = strchr(js, '"'); p; p = strchr(p + 1, '"')) {
		if (strncmp(p + 1, key, kn) != 0 || p[kn + 1] != '"')
			continue;
		const char *q = p + kn + 2;
		while (isspace((unsigned char)*q))
			q++;
		if (*q++ != ':')
			continue;
		while (isspace((unsigned char)*q))
			q++;
		struct buf b = BUF_INIT;
		if (json_string(q, &b) == 0 && b.len > 0)
			return b.s;
		buf_free(&b);
	}
	return NULL;
}

static int looks_like_date(const char *s)
{
	return s && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
	       isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) &&
	       s[4] == '-' && isdigit((unsigned char)s[5]) &&
	       isdigit((unsigned char)s[6]);
}

/* Candidate values, best source first; the first one found wins. */
enum { D_OG, D_JSONLD, D_ITEMPROP, D_META, D_TIME, D_N };

struct meta_scan {
	char *title_og, *title_tag, *site, *canonical;
	char *date[D_N];
	char *ld_body;		/* JSON-LD articleBody */
};

static void set_once(char **slot, const char *v)
{
	if (*slot || !v)
		return;
	*slot = html_trimmed_dup(v);
}

static void set_date(struct meta_scan *m, int which, const char *v)
{
	while (v && isspace((unsigned char)*v))
		v++;
	if (looks_like_date(v))
		set_once(&m->date[which], v);
}

static void scan_meta_tag(struct meta_scan *m, const xmlNode *n)
{
	const char *key = html_attr(n, "property");
	const char *val = html_attr(n, "content");

	if (!key)
		key = html_attr(n, "name");
	if (!key)
		key = html_attr(n, "itemprop");
	if (!key || !val)
		return;
	if (strcasecmp(key, "og:title") == 0)
		set_once(&m->title_og, val);
	else if (strcasecmp(key, "og:site_name") == 0)
		set_once(&m->site, val);
	else if (strcasecmp(key, "article:published_time") == 0)
		set_date(m, D_OG, val);
	else if (strcasecmp(key, "datePublished") == 0)
		set_date(m, D_ITEMPROP, val);
	else if (html_has_any(key, (const char *const[]){ "pubdate", "publishdate",
			"publish-date", "published", "dc.date", "dcterms.date",
			"dcterms.created", "parsely-pub-date", "sailthru.date",
			"date", NULL }))
		set_date(m, D_META, val);
}

static void scan_jsonld(struct meta_scan *m, const xmlNode *n)
{
	struct buf js = BUF_INIT;
	char *v;

	html_text(n->children, &js);
	if (!js.s)
		return;
	if ((v = json_find(js.s, "datePublished"))) {
		set_date(m, D_JSONLD, v);
		free(v);
	}
	if (!m->ld_body)
		m->ld_body = json_find(js.s, "articleBody");
	buf_free(&js);
}

static void scan_node(struct meta_scan *m, const xmlNode *n)
{
	struct buf t = BUF_INIT;

	if (strcmp(html_tag(n), "meta") == 0) {
		scan_meta_tag(m, n);
	} else if (strcmp(html_tag(n), "title") == 0 && !m->title_tag) {
		html_text(n->children, &t);
		if (t.s)
			m->title_tag = html_trimmed_dup(t.s);
	} else if (strcmp(html_tag(n), "link") == 0 && html_attr_is(n, "rel", "canonical")) {
		set_once(&m->canonical, html_attr(n, "href"));
	} else if (strcmp(html_tag(n), "script") == 0 &&
		   html_attr_is(n, "type", "application/ld+json")) {
		scan_jsonld(m, n);
	} else if (html_attr_is(n, "itemprop", "datePublished")) {
		const char *v = html_attr(n, "datetime");
		if (!v)
			v = html_attr(n, "content");
		if (!v) {
			html_text(n->children, &t);
			v = t.s;
		}
		set_date(m, D_ITEMPROP, v);
	} else if (strcmp(html_tag(n), "time") == 0) {
		set_date(m, D_TIME, html_attr(n, "datetime"));
	}
	buf_free(&t);
}

static void scan_tree(struct meta_scan *m, const xmlNode *n)
{
	for (; n; n = n->next) {
		if (!html_is_elem(n))
			continue;
		scan_node(m, n);
		scan_tree(m, n->children);
	}
}

static char *resolve_url(const char *href, const char *base)
{
	xmlChar *u;
	char *r;

	if (!base)
		return xstrdup(href);
	u = xmlBuildURI((const xmlChar *)href, (const xmlChar *)base);
	if (!u)
		return xstrdup(href);
	r = xstrdup((const char *)u);
	xmlFree(u);
	return r;
}

static void meta_fill(struct page *p, struct meta_scan *m,
		      const char *base_url)
{
	p->title = m->title_og ? m->title_og : m->title_tag;
	if (p->title == m->title_og)
		free(m->title_tag);
	else
		free(m->title_og);
	p->site = m->site;
	if (m->canonical && *m->canonical)
		p->canonical = resolve_url(m->canonical, base_url);
	free(m->canonical);
	for (int i = 0; i < D_N; i++) {
		if (!p->date)
			p->date = m->date[i];
		else
			free(m->date[i]);
	}
}
void page_meta_scan(struct page *p, xmlDoc *doc, const char *base_url,
		    char **body)
{
	struct meta_scan m;

	memset(&m, 0, sizeof m);
	scan_tree(&m, xmlDocGetRootElement(doc));
	meta_fill(p, &m, base_url);
	if (body)
		*body = m.ld_body;
	else
		free(m.ld_body);
}
