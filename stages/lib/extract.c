/* extract.c - decode an HTML page to UTF-8, find its main text and metadata. */
#define _GNU_SOURCE		/* strcasestr */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>

#include "diag.h"
#include "extract.h"
#include "utf.h"

/* ---- encoding ---------------------------------------------------------- */

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
		if (cs)
			return cs;
		p = gt;
	}
	return NULL;
}

static int utf8_valid(const char *s, size_t n)
{
	int32_t cp;

	for (size_t i = 0; i < n;) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		int k = utf_decode(s + i, n - i, &cp);
		if (k < 0)
			return 0;
		i += (size_t)k;
	}
	return 1;
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

size_t extract_decode(struct buf *out, const char *s, size_t n,
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
		cs = utf8_valid(s, n) ? "UTF-8" : "WINDOWS-1252";
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
	if (charset)
		*charset = cs;
	if (guessed)
		*guessed = guess;
	return nbad;
}

/* ---- small tree helpers ------------------------------------------------ */

static int is_elem(const xmlNode *n)
{
	return n && n->type == XML_ELEMENT_NODE;
}

static const char *tag(const xmlNode *n)
{
	return is_elem(n) ? (const char *)n->name : "";
}

/* True when n's tag name is one of the words in list, written as
 * " a b c ".  Tag names from the HTML parser are lower case. */
static int tag_in(const xmlNode *n, const char *list)
{
	const char *t = tag(n);
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
static const char *attr(const xmlNode *n, const char *name)
{
	if (!is_elem(n))
		return NULL;
	for (xmlAttr *a = n->properties; a; a = a->next)
		if (strcasecmp((const char *)a->name, name) == 0) {
			if (a->children && a->children->type == XML_TEXT_NODE)
				return (const char *)a->children->content;
			return "";
		}
	return NULL;
}

static int attr_is(const xmlNode *n, const char *name, const char *val)
{
	const char *v = attr(n, name);

	return v && strcasecmp(v, val) == 0;
}

static int has_any(const char *s, const char *const *words)
{
	if (!s || !*s)
		return 0;
	for (; *words; words++)
		if (strcasestr(s, *words))
			return 1;
	return 0;
}

static void remove_node(xmlNode *n)
{
	xmlUnlinkNode(n);
	xmlFreeNode(n);
}

/* Append the text of n's subtree to b, whitespace as in the page. */
static void node_text(const xmlNode *n, struct buf *b)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
			buf_puts(b, (const char *)n->content);
		else if (n->type == XML_ELEMENT_NODE)
			node_text(n->children, b);
	}
}

static char *trimmed_dup(const char *s)
{
	struct buf b = BUF_INIT;
	int space = 0;

	for (; *s; s++) {
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

/* ---- metadata ---------------------------------------------------------- */

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
	*slot = trimmed_dup(v);
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
	const char *key = attr(n, "property");
	const char *val = attr(n, "content");

	if (!key)
		key = attr(n, "name");
	if (!key)
		key = attr(n, "itemprop");
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
	else if (has_any(key, (const char *const[]){ "pubdate", "publishdate",
			"publish-date", "published", "dc.date", "dcterms.date",
			"dcterms.created", "parsely-pub-date", "sailthru.date",
			"date", NULL }))
		set_date(m, D_META, val);
}

static void scan_jsonld(struct meta_scan *m, const xmlNode *n)
{
	struct buf js = BUF_INIT;
	char *v;

	node_text(n->children, &js);
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

	if (strcmp(tag(n), "meta") == 0) {
		scan_meta_tag(m, n);
	} else if (strcmp(tag(n), "title") == 0 && !m->title_tag) {
		node_text(n->children, &t);
		if (t.s)
			m->title_tag = trimmed_dup(t.s);
	} else if (strcmp(tag(n), "link") == 0 && attr_is(n, "rel", "canonical")) {
		set_once(&m->canonical, attr(n, "href"));
	} else if (strcmp(tag(n), "script") == 0 &&
		   attr_is(n, "type", "application/ld+json")) {
		scan_jsonld(m, n);
	} else if (attr_is(n, "itemprop", "datePublished")) {
		const char *v = attr(n, "datetime");
		if (!v)
			v = attr(n, "content");
		if (!v) {
			node_text(n->children, &t);
			v = t.s;
		}
		set_date(m, D_ITEMPROP, v);
	} else if (strcmp(tag(n), "time") == 0) {
		set_date(m, D_TIME, attr(n, "datetime"));
	}
	buf_free(&t);
}

static void scan_tree(struct meta_scan *m, const xmlNode *n)
{
	for (; n; n = n->next) {
		if (!is_elem(n))
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

static void meta_fill(struct extract_page *p, struct meta_scan *m,
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

/* ---- main text --------------------------------------------------------- */

/* The approach is Mozilla Readability's: score each paragraph by length
 * and commas, credit its ancestors, discount link-heavy containers, take
 * the best container and its good siblings, then clean out the parts of
 * it that look like widgets.  If that gives too little text the page is
 * parsed again with fewer of the cleaning steps. */
enum {
	F_STRIP_UNLIKELY = 1,	/* drop nodes whose class/id look like chrome */
	F_WEIGHT_CLASSES = 2,	/* let class/id names move scores */
	F_CLEAN = 4,		/* remove link-heavy or list-like blocks */
};

/* Text shorter than this (in characters) means the attempt failed. */
#define MIN_TEXT 500

struct score {
	double score;
};

struct ctx {
	int flags;
	struct score **scores;	/* every struct hung on a node's _private */
	size_t nscores, capscores;
};

static const char *const unlikely_words[] = {
	"-ad-", "ai2html", "banner", "breadcrumb", "combx", "comment",
	"community", "cover-wrap", "disqus", "extra", "footer", "gdpr",
	"header", "legends", "menu", "related", "remark", "replies", "rss",
	"shoutbox", "sidebar", "skyscraper", "social", "sponsor",
	"supplemental", "ad-break", "agegate", "pagination", "pager",
	"popup", "yom-remote", "cookie", "consent", "newsletter", "share",
	"sharing", "subscribe", "signup", "modal", "promo", "recirc",
	"most-popular", "mostpopular", "trending", NULL
};
static const char *const maybe_words[] = {
	"and", "article", "body", "column", "content", "main", "shadow", NULL
};
static const char *const positive_words[] = {
	"article", "body", "content", "entry", "hentry", "h-entry", "main",
	"page", "pagination", "post", "text", "blog", "story", NULL
};
static const char *const negative_words[] = {
	"-ad-", "hidden", "banner", "combx", "comment", "com-", "contact",
	"foot", "footer", "footnote", "gdpr", "masthead", "media", "meta",
	"outbrain", "promo", "related", "scroll", "shoutbox", "sidebar",
	"skyscraper", "sponsor", "shopping", "tags", "tool", "widget",
	"share", "social", "newsletter", NULL
};

/* Elements that never hold article text. */
#define JUNK_TAGS " script style noscript template iframe svg canvas nav " \
	"footer aside button select input textarea object embed " \
	"video audio map link meta head title dialog menu figcaption "
/* Block elements: they end the paragraph before and after them. */
#define BLOCK_TAGS " address article aside blockquote body center dd " \
	"details dialog dir div dl dt fieldset figcaption figure footer " \
	"form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p " \
	"pre section summary table tbody thead tfoot tr ul caption "
/* A div holding one of these is a container, not a paragraph. */
#define DIV_BLOCK_TAGS " blockquote dl div img ol p pre table ul section " \
	"article main header h1 h2 h3 h4 h5 h6 figure "

static size_t text_chars(const xmlNode *n);

static int is_hidden(const xmlNode *n)
{
	const char *style = attr(n, "style");

	if (style && (strcasestr(style, "display:none") ||
		      strcasestr(style, "display: none") ||
		      strcasestr(style, "visibility:hidden") ||
		      strcasestr(style, "visibility: hidden")))
		return 1;
	if (attr(n, "hidden"))
		return 1;
	return attr_is(n, "aria-hidden", "true");
}

/* True when a word of class or id (split at anything not a letter or
 * digit) is one of words. */
static int has_word(const char *s, const char *const *words)
{
	while (s && *s) {
		size_t n = 0;
		while (*s && !isalnum((unsigned char)*s))
			s++;
		while (isalnum((unsigned char)s[n]))
			n++;
		for (const char *const *w = words; *w && n; w++)
			if (strlen(*w) == n && strncasecmp(s, *w, n) == 0)
				return 1;
		s += n;
	}
	return 0;
}

static const char *const byline_words[] = {
	"byline", "author", "authors", "dateline", "date", "time",
	"timestamp", "published", "updated", "pubdate", "credit", "credits",
	"caption", "copyright", "tags", "share", "meta", "posted", NULL
};

/* Bylines, datelines, photo credits: short blocks named for what they
 * are.  The date goes to #meta date; the text is not article. */
static int is_byline(const xmlNode *n)
{
	const char *cls = attr(n, "class"), *id = attr(n, "id");
	const char *rel = attr(n, "rel"), *prop = attr(n, "itemprop");

	if (!has_word(cls, byline_words) && !has_word(id, byline_words) &&
	    !(rel && strcasecmp(rel, "author") == 0) &&
	    !(prop && has_word(prop, byline_words)))
		return 0;
	return text_chars(n) < 100;
}

static int is_unlikely(const xmlNode *n)
{
	const char *cls = attr(n, "class"), *id = attr(n, "id");
	const char *role = attr(n, "role");

	if (tag_in(n, " body html article main a "))
		return 0;
	if (role && strstr(" menu menubar complementary navigation alert "
			   "alertdialog dialog ", role) && *role)
		return 1;
	if (!has_any(cls, unlikely_words) && !has_any(id, unlikely_words))
		return 0;
	if (has_any(cls, maybe_words) || has_any(id, maybe_words))
		return 0;
	if (attr_is(n, "itemprop", "articleBody"))
		return 0;
	return 1;
}

static size_t count_tag(const xmlNode *n, const char *name)
{
	size_t c = 0;

	for (n = n->children; n; n = n->next)
		if (is_elem(n))
			c += (strcmp(tag(n), name) == 0) + count_tag(n, name);
	return c;
}

/* Some sites wrap the whole page in one <form>: such a form holds
 * paragraphs; a search box or comment form does not. */
static int form_is_page(const xmlNode *n)
{
	return count_tag(n, "p") >= 3;
}

/* Remove comments, junk elements, hidden elements and (with
 * F_STRIP_UNLIKELY) chrome-looking ones from n's children. */
static void prune(struct ctx *c, xmlNode *n)
{
	xmlNode *next;

	for (xmlNode *k = n->children; k; k = next) {
		next = k->next;
		if (k->type == XML_COMMENT_NODE || k->type == XML_PI_NODE) {
			remove_node(k);
		} else if (is_elem(k)) {
			if (tag_in(k, JUNK_TAGS) || is_hidden(k) ||
			    (strcmp(tag(k), "form") == 0 && !form_is_page(k)) ||
			    is_byline(k) ||
			    ((c->flags & F_STRIP_UNLIKELY) && is_unlikely(k)))
				remove_node(k);
			else
				prune(c, k);
		}
	}
}

struct tstat {
	size_t chars;		/* characters, whitespace runs counted once */
	size_t link_chars;
	size_t commas;
};

static void tstat_text(struct tstat *t, const char *s, int in_link)
{
	int space = 1;

	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (isspace(ch)) {
			if (!space)
				t->chars++, t->link_chars += in_link;
			space = 1;
			continue;
		}
		space = 0;
		if ((ch & 0xC0) == 0x80)
			continue;
		t->chars++;
		t->link_chars += in_link;
		if (ch == ',' || (ch == 0xD8 && s[1] == '\x8C'))
			t->commas++;	/* ASCII comma, Arabic comma */
	}
}

static void tstat_walk(struct tstat *t, const xmlNode *n, int in_link)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
			tstat_text(t, (const char *)n->content, in_link);
		else if (is_elem(n))
			tstat_walk(t, n->children,
				   in_link || strcmp(tag(n), "a") == 0);
	}
}

static struct tstat tstat_of(const xmlNode *n)
{
	struct tstat t = { 0, 0, 0 };

	tstat_walk(&t, n->children, strcmp(tag(n), "a") == 0);
	return t;
}

static size_t text_chars(const xmlNode *n)
{
	return tstat_of(n).chars;
}

static double link_density(const xmlNode *n)
{
	struct tstat t = tstat_of(n);

	return t.chars ? (double)t.link_chars / (double)t.chars : 0.0;
}

static int class_weight(const struct ctx *c, const xmlNode *n)
{
	int w = 0;
	const char *cls = attr(n, "class"), *id = attr(n, "id");

	if (!(c->flags & F_WEIGHT_CLASSES))
		return 0;
	if (has_any(cls, negative_words))
		w -= 25;
	if (has_any(cls, positive_words))
		w += 25;
	if (has_any(id, negative_words))
		w -= 25;
	if (has_any(id, positive_words))
		w += 25;
	if (attr_is(n, "itemprop", "articleBody"))
		w += 50;
	return w;
}

static struct score *score_of(const xmlNode *n)
{
	return is_elem(n) ? n->_private : NULL;
}

/* The score record of n, created with its starting score on first use. */
static struct score *score_init(struct ctx *c, xmlNode *n)
{
	struct score *s = n->_private;

	if (s)
		return s;
	s = xcalloc(1, sizeof *s);
	if (strcmp(tag(n), "div") == 0)
		s->score = 5;
	else if (tag_in(n, " pre td blockquote article "))
		s->score = 3;
	else if (tag_in(n, " address ol ul dl dd dt li form "))
		s->score = -3;
	else if (tag_in(n, " h1 h2 h3 h4 h5 h6 th "))
		s->score = -5;
	s->score += class_weight(c, n);
	if (c->nscores == c->capscores) {
		c->capscores = c->capscores ? c->capscores * 2 : 64;
		c->scores = xrealloc(c->scores, c->capscores * sizeof *c->scores);
	}
	c->scores[c->nscores++] = s;
	n->_private = s;
	return s;
}

static int has_block_child(const xmlNode *n)
{
	for (const xmlNode *k = n->children; k; k = k->next)
		if (tag_in(k, DIV_BLOCK_TAGS))
			return 1;
	return 0;
}

/* Statistics of the text directly inside container n: its text nodes
 * and inline children, as Readability wraps them into a paragraph. */
static struct tstat inline_tstat(const xmlNode *n)
{
	struct tstat t = { 0, 0, 0 };

	for (const xmlNode *k = n->children; k; k = k->next) {
		if (k->type == XML_TEXT_NODE)
			tstat_text(&t, (const char *)k->content, 0);
		else if (is_elem(k) && !tag_in(k, BLOCK_TAGS))
			tstat_walk(&t, k->children, strcmp(tag(k), "a") == 0);
	}
	return t;
}

/* Credit a paragraph's score to up to five ancestors, starting at
 * first: all of it, then half, then a third divided by the level. */
static void score_credit(struct ctx *c, xmlNode *first, const struct tstat *t)
{
	double score = 1.0 + (double)t->commas;
	size_t hundreds = t->chars / 100;
	int level = 0;

	score += (double)(hundreds < 3 ? hundreds : 3);
	for (xmlNode *a = first; is_elem(a) && a->parent && level < 5;
	     a = a->parent, level++) {
		if (!is_elem(a->parent) && strcmp(tag(a), "html") == 0)
			break;
		double div = level == 0 ? 1 : level == 1 ? 2 : level * 3;
		score_init(c, a)->score += score / div;
	}
}

static void score_tree(struct ctx *c, xmlNode *n)
{
	for (xmlNode *k = n->children; k; k = k->next) {
		if (!is_elem(k))
			continue;
		if (tag_in(k, " p pre td h2 h3 h4 h5 h6 ")) {
			struct tstat t = tstat_of(k);
			if (t.chars >= 25)
				score_credit(c, k->parent, &t);
		} else if (tag_in(k, " div section article main center font span ")) {
			struct tstat t = inline_tstat(k);
			int block = has_block_child(k);
			if (t.chars >= 25 && (block || strcmp(tag(k), "span")))
				score_credit(c, block ? k : k->parent, &t);
		}
		score_tree(c, k);
	}
}

static double final_score(const xmlNode *n)
{
	const struct score *s = score_of(n);

	return s ? s->score * (1.0 - link_density(n)) : 0.0;
}

/* Collect candidates (scored nodes) in document order. */
static void candidates(xmlNode *n, xmlNode ***v, size_t *len, size_t *cap)
{
	for (xmlNode *k = n->children; k; k = k->next) {
		if (!is_elem(k))
			continue;
		if (score_of(k)) {
			if (*len == *cap) {
				*cap = *cap ? *cap * 2 : 64;
				*v = xrealloc(*v, *cap * sizeof **v);
			}
			(*v)[(*len)++] = k;
		}
		candidates(k, v, len, cap);
	}
}

#define NTOP 5

static int is_ancestor(const xmlNode *a, const xmlNode *n)
{
	for (n = n->parent; n; n = n->parent)
		if (n == a)
			return 1;
	return 0;
}

/* Readability's step up from the best candidate: when several strong
 * candidates share an ancestor the article is that ancestor; and a
 * parent that scores better than its child is the better choice. */
static xmlNode *top_refine(xmlNode *top, xmlNode **best, size_t nbest,
			   double topscore, xmlNode *body)
{
	xmlNode *p;

	for (p = top->parent; is_elem(p) && p != body; p = p->parent) {
		int shared = 0;
		for (size_t i = 1; i < nbest; i++)
			if (final_score(best[i]) >= 0.75 * topscore &&
			    is_ancestor(p, best[i]))
				shared++;
		if (shared >= 3) {
			top = p;
			break;
		}
	}
	double last = final_score(top), threshold = last / 3;
	for (p = top->parent; is_elem(p) && p != body; p = p->parent) {
		if (!score_of(p))
			continue;
		double ps = final_score(p);
		if (ps < threshold)
			break;
		if (ps > last) {
			top = p;
			break;
		}
		last = ps;
	}
	while (top->parent && top->parent != body && is_elem(top->parent)) {
		int nelem = 0;
		for (xmlNode *k = top->parent->children; k; k = k->next)
			nelem += is_elem(k);
		if (nelem != 1)
			break;
		top = top->parent;
	}
	return top;
}

static xmlNode *top_find(xmlNode *body)
{
	xmlNode **v = NULL, *best[NTOP] = { NULL };
	double bs[NTOP] = { 0 };
	size_t len = 0, cap = 0, nbest = 0;

	candidates(body, &v, &len, &cap);
	for (size_t i = 0; i < len; i++) {
		double s = final_score(v[i]);
		size_t j = nbest < NTOP ? nbest++ : NTOP;
		while (j > 0 && bs[j - 1] < s) {
			if (j < NTOP)
				best[j] = best[j - 1], bs[j] = bs[j - 1];
			j--;
		}
		if (j < NTOP)
			best[j] = v[i], bs[j] = s;
	}
	free(v);
	if (nbest == 0 || strcmp(tag(best[0]), "body") == 0)
		return NULL;
	return top_refine(best[0], best, nbest, bs[0], body);
}

static int sibling_wanted(xmlNode *s, xmlNode *top, double threshold)
{
	const char *tc = attr(top, "class"), *sc = attr(s, "class");
	double bonus = 0;

	if (s == top)
		return 1;
	if (tc && sc && *tc && strcmp(tc, sc) == 0)
		bonus = final_score(top) * 0.2;
	if (score_of(s) && final_score(s) + bonus >= threshold)
		return 1;
	if (strcmp(tag(s), "p") == 0) {
		struct tstat t = tstat_of(s);
		double ld = t.chars ? (double)t.link_chars / (double)t.chars : 0;
		struct buf b = BUF_INIT;
		int ok;
		if (t.chars > 80)
			return ld < 0.25;
		node_text(s->children, &b);
		ok = t.chars > 0 && ld == 0 && b.s &&
		     (strstr(b.s, ". ") || b.s[b.len - 1] == '.');
		buf_free(&b);
		return ok;
	}
	return 0;
}

/* Move top and its wanted siblings into a new div appended to body, in
 * document order, and return the div. */
static xmlNode *gather(xmlNode *top, xmlNode *body)
{
	xmlNode *art = xmlNewNode(NULL, (const xmlChar *)"div");
	double threshold = final_score(top) * 0.2;
	xmlNode *next;

	if (!art)
		diag_oom();
	if (threshold < 10)
		threshold = 10;
	if (!top->parent || top->parent == body->parent) {
		xmlUnlinkNode(top);
		xmlAddChild(art, top);
	} else {
		for (xmlNode *s = top->parent->children; s; s = next) {
			next = s->next;
			if (is_elem(s) && sibling_wanted(s, top, threshold)) {
				xmlUnlinkNode(s);
				xmlAddChild(art, s);
			}
		}
	}
	xmlAddChild(body, art);
	return art;
}

struct tagcount {
	size_t p, img, li, input, embed, heading_chars;
};

static void count_tags(const xmlNode *n, struct tagcount *tc)
{
	for (n = n->children; n; n = n->next) {
		if (!is_elem(n))
			continue;
		const char *t = tag(n);
		tc->p += strcmp(t, "p") == 0;
		tc->img += strcmp(t, "img") == 0;
		tc->li += strcmp(t, "li") == 0;
		tc->input += strcmp(t, "input") == 0;
		tc->embed += tag_in(n, " object embed iframe ");
		if (tag_in(n, " h1 h2 h3 h4 h5 h6 "))
			tc->heading_chars += tstat_of(n).chars;
		count_tags(n, tc);
	}
}

static int has_ancestor_tag(const xmlNode *n, const char *name)
{
	for (n = n->parent; n; n = n->parent)
		if (strcmp(tag(n), name) == 0)
			return 1;
	return 0;
}

static size_t list_chars(const xmlNode *n)
{
	size_t sum = 0;

	for (n = n->children; n; n = n->next) {
		if (!is_elem(n))
			continue;
		if (tag_in(n, " ul ol "))
			sum += tstat_of(n).chars;
		else
			sum += list_chars(n);
	}
	return sum;
}

/* Readability's _cleanConditionally test: does this block look like a
 * widget rather than part of the article? */
static int looks_like_widget(const struct ctx *c, const xmlNode *n)
{
	struct tstat t = tstat_of(n);
	struct tagcount tc = { 0, 0, 0, 0, 0, 0 };
	int weight = class_weight(c, n);
	int is_list = tag_in(n, " ul ol ");
	double ld = t.chars ? (double)t.link_chars / (double)t.chars : 0;

	if (has_ancestor_tag(n, "code") || has_ancestor_tag(n, "pre"))
		return 0;
	if (!is_list && t.chars && (double)list_chars(n) / (double)t.chars > 0.9)
		is_list = 1;
	if (weight < 0)
		return 1;
	if (t.commas >= 10)
		return 0;
	count_tags(n, &tc);
	double heading = t.chars ? (double)tc.heading_chars / (double)t.chars : 0;
	long li = (long)tc.li - 100;
	int fig = has_ancestor_tag(n, "figure");
	return (tc.img > 1 && (double)tc.p / (double)tc.img < 0.5 && !fig) ||
	       (!is_list && li > (long)tc.p) ||
	       (tc.input > tc.p / 3) ||
	       (!is_list && heading < 0.9 && t.chars < 25 &&
		(tc.img == 0 || tc.img > 2) && !fig) ||
	       (!is_list && weight < 25 && ld > 0.2) ||
	       (is_list && ld > 0.5) ||
	       (weight >= 25 && ld > 0.5) ||
	       (tc.embed == 1 && t.chars < 75) || tc.embed > 1;
}

/* Clean n's subtree, children first so that a container is judged on
 * what survives inside it. */
static void clean(struct ctx *c, xmlNode *n)
{
	xmlNode *next;

	for (xmlNode *k = n->children; k; k = next) {
		next = k->next;
		if (!is_elem(k))
			continue;
		clean(c, k);
		if (tag_in(k, " h1 h2 h3 ") && class_weight(c, k) < 0) {
			remove_node(k);
		} else if (tag_in(k, " table ul ol div section fieldset ") &&
			   looks_like_widget(c, k)) {
			remove_node(k);
		}
	}
}

struct ser {
	struct buf out, para;
	int space;		/* a space is due before the next text */
	int pre;		/* inside <pre>: keep whitespace */
};

static void ser_break(struct ser *s)
{
	size_t n = s->para.len;

	while (n > 0 && (s->para.s[n - 1] == ' ' || s->para.s[n - 1] == '\n'))
		n--;
	if (n > 0) {
		if (s->out.len)
			buf_puts(&s->out, "\n\n");
		buf_put(&s->out, s->para.s, n);
	}
	buf_reset(&s->para);
	s->space = 0;
}

static void ser_text(struct ser *s, const char *t)
{
	if (s->pre) {
		buf_puts(&s->para, t);
		return;
	}
	for (; *t; t++) {
		if (isspace((unsigned char)*t) ||
		    (t[0] == '\xC2' && t[1] == '\xA0' && t++)) {
			s->space = 1;
			continue;
		}
		if (s->space && s->para.len &&
		    s->para.s[s->para.len - 1] != '\n')
			buf_putc(&s->para, ' ');
		s->space = 0;
		buf_putc(&s->para, *t);
	}
}

static void ser_node(struct ser *s, const xmlNode *n)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			ser_text(s, (const char *)n->content);
			continue;
		}
		if (!is_elem(n))
			continue;
		if (strcmp(tag(n), "br") == 0) {
			if (s->para.len)
				buf_putc(&s->para, '\n');
			s->space = 0;
		} else if (tag_in(n, " td th ")) {
			s->space = 1;
			ser_node(s, n->children);
			s->space = 1;
		} else if (tag_in(n, BLOCK_TAGS)) {
			int pre = s->pre;
			ser_break(s);
			s->pre = pre || strcmp(tag(n), "pre") == 0;
			ser_node(s, n->children);
			ser_break(s);
			s->pre = pre;
		} else if (!tag_in(n, " img picture source ")) {
			ser_node(s, n->children);
		}
	}
}

static xmlNode *find_body(xmlDoc *doc)
{
	xmlNode *root = xmlDocGetRootElement(doc);

	if (!root)
		return NULL;
	for (xmlNode *k = root->children; k; k = k->next)
		if (strcmp(tag(k), "body") == 0)
			return k;
	return root;
}

static void ctx_free(struct ctx *c)
{
	for (size_t i = 0; i < c->nscores; i++)
		free(c->scores[i]);
	free(c->scores);
	c->scores = NULL;
	c->nscores = c->capscores = 0;
}

static xmlDoc *parse(const struct buf *html, const char *base_url)
{
	return htmlReadMemory(html->s ? html->s : "", (int)html->len, base_url,
			      "UTF-8", HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
			      HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
			      HTML_PARSE_IGNORE_ENC | HTML_PARSE_COMPACT);
}

/* One extraction attempt with the given flags; the text goes to out. */
static int text_attempt(const struct buf *html, const char *base_url,
			int flags, struct buf *out)
{
	struct ctx c = { flags, NULL, 0, 0 };
	struct ser s = { BUF_INIT, BUF_INIT, 0, 0 };
	xmlDoc *doc = parse(html, base_url);
	xmlNode *body, *top, *art;

	if (!doc)
		return -1;
	body = find_body(doc);
	if (body) {
		prune(&c, body);
		score_tree(&c, body);
		top = top_find(body);
		art = top ? gather(top, body) : body;
		if (flags & F_CLEAN)
			clean(&c, art);
		ser_node(&s, art->children);
		ser_break(&s);
	}
	ctx_free(&c);
	xmlFreeDoc(doc);
	buf_free(&s.para);
	buf_reset(out);
	if (s.out.len)
		buf_put(out, s.out.s, s.out.len);
	buf_free(&s.out);
	return 0;
}

/* Try the attempts in order until one gives MIN_TEXT characters.  When
 * none does, keep the first (strictest) one unless it found nothing:
 * a short page is better served short than with its menus. */
static int find_text(struct buf *text, const struct buf *html,
		     const char *base_url)
{
	static const int tries[] = {
		F_STRIP_UNLIKELY | F_WEIGHT_CLASSES | F_CLEAN,
		F_WEIGHT_CLASSES | F_CLEAN,
		F_CLEAN,
		0,
	};
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
		if (text_attempt(html, base_url, tries[i], &b) < 0) {
			buf_free(&b);
			return -1;
		}
		int enough = utf_count(b.s ? b.s : "", b.len) >= MIN_TEXT;
		if (i == 0 || enough || (text->len == 0 && b.len > 0)) {
			buf_reset(text);
			if (b.len)
				buf_put(text, b.s, b.len);
		}
		if (enough)
			break;
	}
	buf_free(&b);
	return 0;
}

/* ---- the page ---------------------------------------------------------- */

void extract_init(struct extract_page *p)
{
	memset(p, 0, sizeof *p);
}

void extract_free(struct extract_page *p)
{
	if (!p)
		return;
	buf_free(&p->text);
	free(p->title);
	free(p->date);
	free(p->site);
	free(p->canonical);
	extract_init(p);
}

int extract_page(struct extract_page *p, const char *s, size_t n,
		 const char *content_type, const char *base_url)
{
	struct buf html = BUF_INIT;
	struct meta_scan m;
	xmlDoc *doc;

	memset(&m, 0, sizeof m);
	p->nbad = extract_decode(&html, s, n, content_type, &p->charset,
				 &p->charset_guessed);
	if (strspn(html.s ? html.s : "", " \t\r\n") == html.len) {
		buf_free(&html);
		return 0;	/* an empty page has no tree and no text */
	}
	doc = parse(&html, base_url);
	if (!doc) {
		buf_free(&html);
		return -1;
	}
	scan_tree(&m, xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
	meta_fill(p, &m, base_url);
	free(m.ld_body);
	if (find_text(&p->text, &html, base_url) < 0) {
		buf_free(&html);
		return -1;
	}
	if (p->text.len)
		buf_putc(&p->text, '\n');
	buf_free(&html);
	return 0;
}
