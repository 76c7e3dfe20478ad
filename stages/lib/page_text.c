/* page_text.c - find the main text of a parsed page (after Mozilla Readability). */
#define _GNU_SOURCE		/* strcasestr */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "diag.h"
#include "page_int.h"
#include "utf.h"

/* The approach is Mozilla Readability's: score each paragraph by length
 * and commas, credit its ancestors, discount link-heavy containers, take
 * the best container and its good siblings, then clean out the parts of
 * it that look like widgets.  If that gives too little text the search
 * is made again, on a fresh copy of the parsed tree, with fewer of the
 * cleaning steps.  Added here: captions, author boxes and hover cards
 * go; on a listing page the first post is the article; link-only lines
 * go; structured data (JSON-LD or microdata articleBody) bounds the text
 * where it agrees with it; the headline leads; page_boiler.c drops
 * boilerplate lines. */
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
	const xmlNode *lead;	/* the article's first line: never a link line */
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
	const char *style = html_attr(n, "style");

	if (style && (strcasestr(style, "display:none") ||
		      strcasestr(style, "display: none") ||
		      strcasestr(style, "visibility:hidden") ||
		      strcasestr(style, "visibility: hidden")))
		return 1;
	if (html_attr(n, "hidden"))
		return 1;
	return html_attr_is(n, "aria-hidden", "true");
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
	const char *cls = html_attr(n, "class"), *id = html_attr(n, "id");
	const char *rel = html_attr(n, "rel"), *prop = html_attr(n, "itemprop");

	if (!has_word(cls, byline_words) && !has_word(id, byline_words) &&
	    !(rel && strcasecmp(rel, "author") == 0) &&
	    !(prop && has_word(prop, byline_words)))
		return 0;
	return text_chars(n) < 100;
}

static size_t count_tag(const xmlNode *n, const char *name)
{
	size_t c = 0;

	for (n = n->children; n; n = n->next)
		if (html_is_elem(n))
			c += (strcmp(html_tag(n), name) == 0) + count_tag(n, name);
	return c;
}

/* Parts of a class or id that name an image caption or credit. */
static const char *const caption_parts[] = { "caption", "credit", NULL };

/* Words of a class or id that name a box about the author. */
static const char *const author_words[] = {
	"author", "authors", "bio", "biography", "authorbio", NULL
};

/* ... or a card shown on hover (a person's related stories behind their
 * name in the text). */
static const char *const hover_parts[] = {
	"tooltip", "popover", "rollover", "hovercard", NULL
};

static const xmlNode *first_elem(const xmlNode *n)
{
	for (n = n->children; n; n = n->next)
		if (html_is_elem(n) ||
		    (n->type == XML_TEXT_NODE && n->content &&
		     n->content[strspn((const char *)n->content, " \t\r\n")]))
			return n;
	return NULL;
}

/* Image captions and credits, author boxes: not article text at any
 * length below that of an article (MIN_TEXT characters).  Hover cards
 * (a list of links can be long), up to four times that and without
 * paragraphs; but a hover wrapper that starts with the link or words it
 * decorates stays (the card inside it goes). */
static int is_caption(const xmlNode *n)
{
	const char *cls = html_attr(n, "class"), *id = html_attr(n, "id");
	const xmlNode *first;

	if (html_tag_in(n, " body html article main "))
		return 0;
	if (html_has_any(cls, hover_parts) || html_has_any(id, hover_parts)) {
		first = first_elem(n);
		if (first && (first->type == XML_TEXT_NODE ||
			      strcmp(html_tag(first), "a") == 0))
			return 0;
		return count_tag(n, "p") < 3 && text_chars(n) < 4 * MIN_TEXT;
	} else if (!html_has_any(cls, caption_parts) &&
		   !html_has_any(id, caption_parts) &&
		   !has_word(cls, author_words) && !has_word(id, author_words)) {
		return 0;
	}
	return text_chars(n) < MIN_TEXT;
}

static int is_unlikely(const xmlNode *n)
{
	const char *cls = html_attr(n, "class"), *id = html_attr(n, "id");
	const char *role = html_attr(n, "role");

	if (html_tag_in(n, " body html article main a "))
		return 0;
	if (role && strstr(" menu menubar complementary navigation alert "
			   "alertdialog dialog ", role) && *role)
		return 1;
	if (!html_has_any(cls, unlikely_words) && !html_has_any(id, unlikely_words))
		return 0;
	if (html_has_any(cls, maybe_words) || html_has_any(id, maybe_words))
		return 0;
	if (html_attr_is(n, "itemprop", "articleBody"))
		return 0;
	return 1;
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
			html_remove(k);
		} else if (html_is_elem(k)) {
			if (html_tag_in(k, JUNK_TAGS) || is_hidden(k) ||
			    (strcmp(html_tag(k), "form") == 0 && !form_is_page(k)) ||
			    is_byline(k) || is_caption(k) ||
			    ((c->flags & F_STRIP_UNLIKELY) && is_unlikely(k)))
				html_remove(k);
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
		else if (html_is_elem(n))
			tstat_walk(t, n->children,
				   in_link || strcmp(html_tag(n), "a") == 0);
	}
}

static struct tstat tstat_of(const xmlNode *n)
{
	struct tstat t = { 0, 0, 0 };

	tstat_walk(&t, n->children, strcmp(html_tag(n), "a") == 0);
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
	const char *cls = html_attr(n, "class"), *id = html_attr(n, "id");

	if (!(c->flags & F_WEIGHT_CLASSES))
		return 0;
	if (html_has_any(cls, negative_words))
		w -= 25;
	if (html_has_any(cls, positive_words))
		w += 25;
	if (html_has_any(id, negative_words))
		w -= 25;
	if (html_has_any(id, positive_words))
		w += 25;
	if (html_attr_is(n, "itemprop", "articleBody"))
		w += 50;
	return w;
}

static struct score *score_of(const xmlNode *n)
{
	return html_is_elem(n) ? n->_private : NULL;
}

/* The score record of n, created with its starting score on first use. */
static struct score *score_init(struct ctx *c, xmlNode *n)
{
	struct score *s = n->_private;

	if (s)
		return s;
	s = xcalloc(1, sizeof *s);
	if (strcmp(html_tag(n), "div") == 0)
		s->score = 5;
	else if (html_tag_in(n, " pre td blockquote article "))
		s->score = 3;
	else if (html_tag_in(n, " address ol ul dl dd dt li form "))
		s->score = -3;
	else if (html_tag_in(n, " h1 h2 h3 h4 h5 h6 th "))
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
		if (html_tag_in(k, DIV_BLOCK_TAGS))
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
		else if (html_is_elem(k) && !html_tag_in(k, BLOCK_TAGS))
			tstat_walk(&t, k->children, strcmp(html_tag(k), "a") == 0);
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
	for (xmlNode *a = first; html_is_elem(a) && a->parent && level < 5;
	     a = a->parent, level++) {
		if (!html_is_elem(a->parent) && strcmp(html_tag(a), "html") == 0)
			break;
		double div = level == 0 ? 1 : level == 1 ? 2 : level * 3;
		score_init(c, a)->score += score / div;
	}
}

static void score_tree(struct ctx *c, xmlNode *n)
{
	for (xmlNode *k = n->children; k; k = k->next) {
		if (!html_is_elem(k))
			continue;
		if (html_tag_in(k, " p pre td h2 h3 h4 h5 h6 ")) {
			struct tstat t = tstat_of(k);
			if (t.chars >= 25)
				score_credit(c, k->parent, &t);
		} else if (html_tag_in(k, " div section article main center font span ")) {
			struct tstat t = inline_tstat(k);
			int block = has_block_child(k);
			if (t.chars >= 25 && (block || strcmp(html_tag(k), "span")))
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
		if (!html_is_elem(k))
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

	for (p = top->parent; html_is_elem(p) && p != body; p = p->parent) {
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
	for (p = top->parent; html_is_elem(p) && p != body; p = p->parent) {
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
	while (top->parent && top->parent != body && html_is_elem(top->parent)) {
		int nelem = 0;
		for (xmlNode *k = top->parent->children; k; k = k->next)
			nelem += html_is_elem(k);
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
	if (nbest == 0 || strcmp(html_tag(best[0]), "body") == 0)
		return NULL;
	return top_refine(best[0], best, nbest, bs[0], body);
}

static int sibling_wanted(xmlNode *s, xmlNode *top, double threshold)
{
	const char *tc = html_attr(top, "class"), *sc = html_attr(s, "class");
	double bonus = 0;

	if (s == top)
		return 1;
	if (strcmp(html_tag(s), "article") == 0 &&
	    strcmp(html_tag(top), "article") == 0)
		return 0;	/* the next post */
	if (tc && sc && *tc && strcmp(tc, sc) == 0)
		bonus = final_score(top) * 0.2;
	if (score_of(s) && final_score(s) + bonus >= threshold)
		return 1;
	if (strcmp(html_tag(s), "p") == 0) {
		struct tstat t = tstat_of(s);
		double ld = t.chars ? (double)t.link_chars / (double)t.chars : 0;
		struct buf b = BUF_INIT;
		int ok;
		if (t.chars > 80)
			return ld < 0.25;
		html_text(s->children, &b);
		ok = t.chars > 0 && ld == 0 && b.s &&
		     (strstr(b.s, ". ") || b.s[b.len - 1] == '.');
		buf_free(&b);
		return ok;
	}
	return 0;
}

/* Append to v the outermost <article> elements under n. */
static void outer_articles(xmlNode *n, xmlNode **v, size_t *len, size_t cap)
{
	for (xmlNode *k = n->children; k && *len < cap; k = k->next) {
		if (!html_is_elem(k))
			continue;
		if (strcmp(html_tag(k), "article") == 0)
			v[(*len)++] = k;
		else
			outer_articles(k, v, len, cap);
	}
}

/* On a listing or blog page the best container holds several posts,
 * each its own <article>: the page's own post is the first of them
 * that holds a good share (30%) of the container's text. */
static xmlNode *first_post(xmlNode *top)
{
	xmlNode *v[16];
	size_t n = 0, total;

	if (strcmp(html_tag(top), "article") == 0)
		return top;
	outer_articles(top, v, &n, 16);
	if (n < 2)
		return top;
	total = text_chars(top);
	for (size_t i = 0; i < n; i++)
		if (text_chars(v[i]) * 10 >= total * 3)
			return v[i];
	return top;
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
			if (html_is_elem(s) && sibling_wanted(s, top, threshold)) {
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
		if (!html_is_elem(n))
			continue;
		const char *t = html_tag(n);
		tc->p += strcmp(t, "p") == 0;
		tc->img += strcmp(t, "img") == 0;
		tc->li += strcmp(t, "li") == 0;
		tc->input += strcmp(t, "input") == 0;
		tc->embed += html_tag_in(n, " object embed iframe ");
		if (html_tag_in(n, " h1 h2 h3 h4 h5 h6 "))
			tc->heading_chars += tstat_of(n).chars;
		count_tags(n, tc);
	}
}

static int has_ancestor_tag(const xmlNode *n, const char *name)
{
	for (n = n->parent; n; n = n->parent)
		if (strcmp(html_tag(n), name) == 0)
			return 1;
	return 0;
}

static size_t list_chars(const xmlNode *n)
{
	size_t sum = 0;

	for (n = n->children; n; n = n->next) {
		if (!html_is_elem(n))
			continue;
		if (html_tag_in(n, " ul ol "))
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
	int is_list = html_tag_in(n, " ul ol ");
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

/* A short paragraph, list item or heading that is mostly one link: a
 * related story, a "read more" or app promotion, a tag. */
static int is_link_line(const xmlNode *n)
{
	struct tstat t;

	if (!html_tag_in(n, " p li h2 h3 h4 h5 h6 dt dd "))
		return 0;
	t = tstat_of(n);
	return t.chars > 0 && t.chars < 200 && t.link_chars * 10 >= t.chars * 8;
}

/* The first paragraph, list item or heading under n that holds text. */
static const xmlNode *first_line(const xmlNode *n)
{
	for (n = n->children; n; n = n->next) {
		const xmlNode *f;
		if (!html_is_elem(n))
			continue;
		if (html_tag_in(n, " p li h2 h3 h4 h5 h6 dt dd "))
			return text_chars(n) ? n : NULL;
		if ((f = first_line(n)))
			return f;
	}
	return NULL;
}

/* Clean n's subtree, children first so that a container is judged on
 * what survives inside it. */
static void clean(struct ctx *c, xmlNode *n)
{
	xmlNode *next;

	for (xmlNode *k = n->children; k; k = next) {
		next = k->next;
		if (!html_is_elem(k))
			continue;
		clean(c, k);
		if (html_tag_in(k, " h1 h2 h3 ") && class_weight(c, k) < 0) {
			html_remove(k);
		} else if (html_tag_in(k, " table ul ol div section fieldset ") &&
			   looks_like_widget(c, k)) {
			html_remove(k);
		} else if (k != c->lead && is_link_line(k)) {
			html_remove(k);
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
	size_t k;

	for (; *t; t++) {
		if ((k = html_invisible(t)) > 0) {
			t += k - 1;
			continue;
		}
		if (s->pre) {
			buf_putc(&s->para, *t);
			continue;
		}
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
		if (!html_is_elem(n))
			continue;
		if (strcmp(html_tag(n), "br") == 0) {
			if (s->para.len)
				buf_putc(&s->para, '\n');
			s->space = 0;
		} else if (html_tag_in(n, " td th ")) {
			s->space = 1;
			ser_node(s, n->children);
			s->space = 1;
		} else if (html_tag_in(n, BLOCK_TAGS)) {
			int pre = s->pre;
			ser_break(s);
			s->pre = pre || strcmp(html_tag(n), "pre") == 0;
			ser_node(s, n->children);
			ser_break(s);
			s->pre = pre;
		} else if (!html_tag_in(n, " img picture source ")) {
			ser_node(s, n->children);
		}
	}
}

static void ctx_free(struct ctx *c)
{
	for (size_t i = 0; i < c->nscores; i++)
		free(c->scores[i]);
	free(c->scores);
	c->scores = NULL;
	c->nscores = c->capscores = 0;
}

/* ---- headline and structured-data boundaries ---------------------------- */

/* Is h (an <h1> or an element marked itemprop="headline") the page's
 * headline?  Not when it sits in navigation, a footer or an aside, or is
 * hidden. */
static int headline_usable(const xmlNode *h)
{
	for (const xmlNode *a = h; html_is_elem(a); a = a->parent)
		if (html_tag_in(a, " nav footer aside template noscript ") ||
		    is_hidden(a))
			return 0;
	return 1;
}

static void headline_walk(xmlNode *n, const char *title, char **first,
			  char **match)
{
	for (xmlNode *k = n->children; k && !*match; k = k->next) {
		if (!html_is_elem(k))
			continue;
		if ((strcmp(html_tag(k), "h1") == 0 ||
		     html_attr_is(k, "itemprop", "headline")) &&
		    !html_tag_in(k, " meta link ") && headline_usable(k)) {
			struct buf b = BUF_INIT;
			char *t;
			html_text(k->children, &b);
			t = b.s ? html_trimmed_dup(b.s) : NULL;
			buf_free(&b);
			if (t && title && strstr(title, t) && strlen(t) >= 10)
				*match = t;
			else if (t && !*first && strlen(t) >= 10)
				*first = t;
			else
				free(t);
			continue;
		}
		headline_walk(k, title, first, match);
	}
}

/* The page's headline: the first usable <h1> (or itemprop="headline")
 * whose text is part of title, else the first usable one, as a new
 * string; NULL when there is none. */
static char *headline_find(xmlNode *body, const char *title)
{
	char *first = NULL, *match = NULL;

	headline_walk(body, title, &first, &match);
	if (match) {
		free(first);
		return match;
	}
	return first;
}

/* One paragraph of a text: s[0..n). */
struct para {
	const char *s;
	size_t n;
};

/* Split text at blank lines into a new array (caller frees) of *np
 * paragraphs pointing into text. */
static struct para *paras_split(const struct buf *text, size_t *np)
{
	struct para *v = NULL;
	size_t n = 0, cap = 0;
	const char *s = text->s, *end = s ? s + text->len : NULL;

	while (s && s < end) {
		const char *brk = strstr(s, "\n\n");
		const char *e = brk ? brk : end;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[n].s = s;
		v[n++].n = (size_t)(e - s);
		s = brk ? brk + 2 : end;
	}
	*np = n;
	return v;
}

/* Join the paragraphs whose keep[] is set back into text. */
static void paras_join(struct buf *text, const struct para *v, size_t n,
		       const char *keep)
{
	struct buf out = BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		if (!keep[i])
			continue;
		if (out.len)
			buf_puts(&out, "\n\n");
		buf_put(&out, v[i].s, v[i].n);
	}
	buf_reset(text);
	if (out.len)
		buf_put(text, out.s, out.len);
	buf_free(&out);
}

/* s[0..n) folded for comparison: letters and digits kept (ASCII ones
 * lower-cased), every run of anything else made one space; into b
 * (replaced). */
static void fold_words(struct buf *b, const char *s, size_t n)
{
	buf_reset(b);
	buf_puts(b, "");
	for (size_t i = 0; i < n;) {
		int32_t cp;
		int k = utf_decode(s + i, n - i, &cp);
		if (k <= 0)
			k = 1, cp = 0xFFFD;
		if (utf_is_letter(cp) || utf_is_digit(cp)) {
			if (cp < 0x80)
				buf_putc(b, tolower((int)cp));
			else
				buf_put(b, s + i, (size_t)k);
		} else if (b->len && b->s[b->len - 1] != ' ') {
			buf_putc(b, ' ');
		}
		i += (size_t)k;
	}
	if (b->len && b->s[b->len - 1] == ' ')
		b->s[--b->len] = '\0';
}

/* Does the folded paragraph p occur in the folded article body?  A long
 * paragraph whose inline markup came out differently counts when its
 * first and last 40 bytes both occur. */
static int para_in(const char *body, const struct buf *p)
{
	if (p->len == 0)
		return 1;
	if (strstr(body, p->s))
		return 1;
	if (p->len < 120)
		return 0;
	char head[41], tail[41];
	memcpy(head, p->s, 40);
	head[40] = '\0';
	memcpy(tail, p->s + p->len - 40, 40);
	tail[40] = '\0';
	return strstr(body, head) && strstr(body, tail);
}

/* Cut text to the article body the page's structured data gives (JSON-LD
 * articleBody or the microdata articleBody element): when the two agree
 * (at least half of the text is found in the body and it covers at least
 * half of the body), what follows the body's last paragraph goes, and so
 * do short lines before its first (under 200 bytes) or inside it (under
 * 40 bytes, a "Trending" or "Related" label) that it does not hold. */
static void text_trim_to(struct buf *text, const char *hint)
{
	struct buf body = BUF_INIT, p = BUF_INIT;
	size_t n, found = 0, total = 0;
	struct para *v = paras_split(text, &n);
	char *keep = xcalloc(n ? n : 1, 1);

	fold_words(&body, hint, strlen(hint));
	for (size_t i = 0; i < n; i++) {
		fold_words(&p, v[i].s, v[i].n);
		keep[i] = (char)para_in(body.s, &p);
		total += p.len;
		found += keep[i] ? p.len : 0;
	}
	if (body.len >= MIN_TEXT && found * 2 >= total && found * 2 >= body.len) {
		size_t first = 0, last = n;
		while (first < n && !keep[first])
			first++;
		while (last > first && !keep[last - 1])
			last--;
		for (size_t i = 0; i < n; i++)
			if (!keep[i])
				keep[i] = i < first ? v[i].n >= 200 :
					  i < last ? v[i].n >= 40 : 0;
		paras_join(text, v, n, keep);
	}
	free(keep);
	free(v);
	buf_free(&p);
	buf_free(&body);
}

/* Is p the text s, white space aside (a line break in p where s has a
 * space, as a headline with a <br> comes out)? */
static int para_is(const struct para *p, const char *s)
{
	const char *a = p->s, *end = p->s + p->n;

	while (a < end && *s) {
		if (isspace((unsigned char)*a) && isspace((unsigned char)*s)) {
			while (a < end && isspace((unsigned char)*a))
				a++;
			while (isspace((unsigned char)*s))
				s++;
		} else if (*a++ != *s++) {
			return 0;
		}
	}
	return a == end && !*s;
}

/* Take the headline out of text: a copy of it among the first
 * paragraphs, the short paragraphs before that copy (a kicker, a
 * breadcrumb, a date), and any later copy. */
static void text_drop_headline(struct buf *text, const char *headline)
{
	size_t n, at = (size_t)-1;
	struct para *v = paras_split(text, &n);
	char *keep = xcalloc(n ? n : 1, 1);

	for (size_t i = 0; i < n && i < 4 && at == (size_t)-1; i++)
		if (para_is(&v[i], headline))
			at = i;
	for (size_t i = 0; i < at && i < n; i++)
		if (v[i].n >= 120)
			at = (size_t)-1;
	for (size_t i = 0; i < n; i++) {
		keep[i] = !para_is(&v[i], headline) && (at == (size_t)-1 || i > at);
	}
	paras_join(text, v, n, keep);
	free(keep);
	free(v);
}

/* One extraction attempt with the given flags on a copy of body; the
 * text goes to out (replaced). */
static void text_attempt(xmlNode *body, int flags, struct buf *out)
{
	struct ctx c = { flags, NULL, 0, 0, NULL };
	struct ser s = { BUF_INIT, BUF_INIT, 0, 0 };
	xmlNode *copy = xmlDocCopyNode(body, body->doc, 1), *top, *art;

	if (!copy)
		diag_oom();
	prune(&c, copy);
	score_tree(&c, copy);
	top = top_find(copy);
	if (top)
		top = first_post(top);
	art = top ? gather(top, copy) : copy;
	if (flags & F_CLEAN) {
		c.lead = first_line(art);
		clean(&c, art);
	}
	ser_node(&s, art->children);
	ser_break(&s);
	ctx_free(&c);
	xmlFreeNode(copy);
	buf_free(&s.para);
	buf_reset(out);
	if (s.out.len)
		buf_put(out, s.out.s, s.out.len);
	buf_free(&s.out);
}

/* Try the attempts in order until one gives MIN_TEXT characters.  When
 * none does, keep the first (strictest) one unless it found nothing:
 * a short page is better served short than with its menus.  Each
 * attempt works on its own copy of the tree, which is parsed once. */
static void text_best(xmlNode *body, struct buf *text)
{
	static const int tries[] = {
		F_STRIP_UNLIKELY | F_WEIGHT_CLASSES | F_CLEAN,
		F_WEIGHT_CLASSES | F_CLEAN,
		F_CLEAN,
		0,
	};
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
		text_attempt(body, tries[i], &b);
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
}

char *page_text_find(struct buf *text, xmlDoc *doc, const char *title,
		     const char *body_hint)
{
	xmlNode *body = html_body(doc);
	char *headline;

	buf_reset(text);
	if (!body)
		return NULL;
	headline = headline_find(body, title);
	text_best(body, text);
	if (body_hint)
		text_trim_to(text, body_hint);
	page_text_drop_boilerplate(text);
	if (headline)
		text_drop_headline(text, headline);
	return headline;
}
