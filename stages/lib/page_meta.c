/* page_meta.c - a page's title, date, site and canonical URL from its <head>, JSON-LD and microdata. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>
#include <libxml/uri.h>

#include "alloc.h"
#include "diag.h"
#include "page_int.h"
#include "utf.h"

static int looks_like_date(const char *s)
{
	return s && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
	       isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) &&
	       s[4] == '-' && isdigit((unsigned char)s[5]) &&
	       isdigit((unsigned char)s[6]);
}

/* Candidate values, best source first; the first one found wins. */
enum { D_OG, D_JSONLD, D_ITEMPROP, D_META, D_JSONLD_OTHER, D_TIME, D_N };

struct meta_scan {
	char *title_og, *title_tag, *site, *canonical;
	char *date[D_N];
	char *ld_body;		/* JSON-LD articleBody */
	char *md_body;		/* text of the microdata itemprop="articleBody" */
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

/* schema.org types of a news or blog article (Article and its subtypes
 * as listed at schema.org/Article). */
static const char *const article_types[] = {
	"Article", "NewsArticle", "AnalysisNewsArticle", "AskPublicNewsArticle",
	"BackgroundNewsArticle", "OpinionNewsArticle", "ReportageNews",
	"ReviewNewsArticle", "BlogPosting", "LiveBlogPosting", "Report",
	"ScholarlyArticle", "TechArticle", "SatiricalArticle",
	"AdvertiserContentArticle", "SocialMediaPosting", "DiscussionForumPosting",
	NULL
};

static int json_type_is_article(json_object *type)
{
	if (json_object_is_type(type, json_type_array)) {
		size_t n = json_object_array_length(type);
		for (size_t i = 0; i < n; i++)
			if (json_type_is_article(json_object_array_get_idx(type, i)))
				return 1;
		return 0;
	}
	if (!json_object_is_type(type, json_type_string))
		return 0;
	const char *t = json_object_get_string(type);
	const char *colon = strrchr(t, ':'), *slash = strrchr(t, '/');
	if (slash && (!colon || slash > colon))
		colon = slash;
	if (colon)
		t = colon + 1;	/* "schema:NewsArticle", "http://schema.org/NewsArticle" */
	for (const char *const *a = article_types; *a; a++)
		if (strcmp(t, *a) == 0)
			return 1;
	return 0;
}

/* The string member key of object o as clean UTF-8 (json-c passes lone
 * surrogates and NUL through), a new string, or NULL. */
static char *json_str(json_object *o, const char *key)
{
	json_object *v;
	struct buf b = BUF_INIT;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	utf_repair(&b, json_object_get_string(v),
		   (size_t)json_object_get_string_len(v), 1, NULL, NULL);
	if (b.len == 0) {
		buf_free(&b);	/* utf_repair leaves an empty buffer unterminated */
		return NULL;
	}
	return b.s;
}

/* Take date and body from the first article-typed object found in o,
 * looking through arrays, @graph and nested values in document order.
 * Returns 1 once one was found. */
static int jsonld_article(struct meta_scan *m, json_object *o, int depth)
{
	json_object *v;

	if (depth > 32)
		return 0;
	if (json_object_is_type(o, json_type_array)) {
		size_t n = json_object_array_length(o);
		for (size_t i = 0; i < n; i++)
			if (jsonld_article(m, json_object_array_get_idx(o, i),
					   depth + 1))
				return 1;
		return 0;
	}
	if (!json_object_is_type(o, json_type_object))
		return 0;
	if (json_object_object_get_ex(o, "@type", &v) &&
	    json_type_is_article(v)) {
		char *date = json_str(o, "datePublished");
		set_date(m, D_JSONLD, date);
		free(date);
		if (!m->ld_body)
			m->ld_body = json_str(o, "articleBody");
		return 1;
	}
	json_object_object_foreach(o, key, val) {
		(void)key;
		if (jsonld_article(m, val, depth + 1))
			return 1;
	}
	return 0;
}

/* Without an article object: the datePublished of a top-level object
 * (or of a member of a top-level array or @graph), never of one nested
 * inside another (a WebSite's, an isPartOf's). */
static void jsonld_any_date(struct meta_scan *m, json_object *o, int depth)
{
	json_object *g;

	if (json_object_is_type(o, json_type_array) && depth < 2) {
		size_t n = json_object_array_length(o);
		for (size_t i = 0; i < n; i++)
			jsonld_any_date(m, json_object_array_get_idx(o, i),
					depth + 1);
	} else if (json_object_is_type(o, json_type_object)) {
		char *date = json_str(o, "datePublished");
		set_date(m, D_JSONLD_OTHER, date);
		free(date);
		if (json_object_object_get_ex(o, "@graph", &g))
			jsonld_any_date(m, g, depth + 1);
	}
}

/* Parse one JSON-LD script with json-c.  Text that is not JSON (json-c
 * rejects it) gives nothing. */
static void scan_jsonld(struct meta_scan *m, const xmlNode *n)
{
	struct buf js = BUF_INIT;
	json_tokener *tok;
	json_object *o;

	html_text(n->children, &js);
	if (!js.s)
		return;
	tok = json_tokener_new();
	if (!tok)
		diag_oom();
	o = json_tokener_parse_ex(tok, js.s, (int)js.len);
	if (o && json_tokener_get_error(tok) == json_tokener_success) {
		if (!jsonld_article(m, o, 0))
			jsonld_any_date(m, o, 0);
	}
	json_object_put(o);
	json_tokener_free(tok);
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
	} else if (html_attr_is(n, "itemprop", "articleBody") && !m->md_body &&
		   strcmp(html_tag(n), "meta") != 0) {
		html_text(n->children, &t);
		m->md_body = t.s;
		t.s = NULL;
		t.len = t.cap = 0;
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
	if (!m.ld_body || strlen(m.ld_body) < strlen(m.md_body ? m.md_body : "") / 2) {
		free(m.ld_body);	/* none, or a summary of the microdata body */
		m.ld_body = m.md_body;
		m.md_body = NULL;
	}
	free(m.md_body);
	if (body)
		*body = m.ld_body;
	else
		free(m.ld_body);
}
