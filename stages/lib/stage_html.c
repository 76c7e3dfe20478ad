/* stage_html.c - ner-html: tagged documents as one self-contained HTML page,
 * mentions highlighted by type, with an index of the most frequent entities.
 *
 * Each document is written as it arrives; only the entity counts are kept,
 * and the index goes at the end of the page.  Every <mark> in the page is a
 * mention, and nothing else is, so that counting them counts mentions. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "alloc.h"
#include "buf.h"
#include "diag.h"
#include "etype.h"
#include "mention.h"
#include "opt.h"
#include "stage.h"
#include "strmap.h"
#include "utf.h"
#include "version.h"

#define HTML_TOP_DEFAULT 50
#define HTML_TITLE_DEFAULT "Named entities"
#define REPLACEMENT "\xef\xbf\xbd"	/* U+FFFD */

/* An entity of the index: every mention with one entity id. */
struct html_entity {
	char id[ENTITY_ID_MAX];
	char *name;		/* the least canonical name by strcmp */
	char *type;
	size_t mentions, docs;
	size_t last_doc;	/* the last document it was seen in, from 1 */
};

struct html {
	const char *title;
	size_t top;		/* entities in the index; 0: no index */
	FILE *out;		/* where the page goes, once begun */
	int begun;
	size_t ndocs, nmentions;
	struct html_entity *ents;
	size_t nents, capents;
	struct strmap ids;	/* entity id -> index in ents */
	struct buf text, rank, nato, tip;
	/* The long document whose parts are being joined (ner-stream(5),
	 * "Parts"): its article stays open; the error of its first part,
	 * and one a later part brought, said at its end. */
	struct mention_join join;
	char *error, *late_error;
};

/* Is cp a code point HTML does not allow as it is in text: a control other
 * than TAB, LF and CR, or a noncharacter? */
static int html_forbidden(int32_t cp)
{
	if (cp < 0x20)
		return cp != '\t' && cp != '\n' && cp != '\r';
	if (cp >= 0x7f && cp < 0xa0)
		return 1;
	return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe;
}

/* Write s[0..n) as HTML text, fit for an element or a quoted attribute:
 * &, <, >, " and ' as character references; invalid UTF-8 and the code
 * points html_forbidden() refuses as U+FFFD. */
static void html_put(FILE *out, const char *s, size_t n)
{
	size_t done = 0;

	if (!n)
		return;
	for (size_t i = 0; i < n;) {
		const char *rep = NULL;
		int32_t cp;
		int len = utf_decode(s + i, n - i, &cp);

		switch (cp) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		}
		if (len < 0 || (!rep && html_forbidden(cp)))
			rep = REPLACEMENT;
		if (len < 0)
			len = 1;
		if (rep) {
			fwrite(s + done, 1, i - done, out);
			fputs(rep, out);
			done = i + (size_t)len;
		}
		i += (size_t)len;
	}
	fwrite(s + done, 1, n - done, out);
}

static void html_puts(FILE *out, const char *s)
{
	html_put(out, s, strlen(s));
}

/* The class of a mention type: a type of the table (etype.h) with a
 * style of its own is its name in lower case, any other type "other".
 * Writes out (room for HTML_CLASS_MAX bytes). */
#define HTML_CLASS_MAX 32

static const char *type_class(const char *type, char *out)
{
	const struct etype *t = etype_find(type);
	size_t k = 0;

	if (!t || !t->style || strlen(type) >= HTML_CLASS_MAX)
		return "other";
	for (; type[k]; k++)
		out[k] = (char)(type[k] >= 'A' && type[k] <= 'Z' ? type[k] + 32 : type[k]);
	out[k] = '\0';
	return out;
}

static const char style_head[] =
	"body{font:16px/1.5 Georgia,serif;max-width:50em;margin:0 auto;"
	"padding:1em;color:#222;background:#fff}\n"
	"h1,h2,th,.legend,.meta,nav,footer{font-family:Helvetica,Arial,sans-serif}\n"
	"article{border-top:1px solid #ccc;margin-top:2em}\n"
	".meta{color:#555;font-size:.9em}\n"
	".text{white-space:pre-wrap}\n"
	".error{color:#a00}\n"
	"mark,.legend span,td span{color:inherit;border-radius:3px;padding:0 .1em}\n";

static const char style_tail[] =
	".other{background:#e4e4e4;border-bottom:2px solid #777}\n"
	"mark[title]{cursor:help}\n"
	"mark:hover{outline:1px solid #222}\n"
	"table{border-collapse:collapse}\n"
	"th,td{padding:.2em .6em;text-align:left;border-bottom:1px solid #ddd}\n"
	"td.n{text-align:right}\n";

/* The style sheet: a class for each type of the table with a style. */
static void put_style(FILE *out)
{
	char cls[HTML_CLASS_MAX];

	fputs(style_head, out);
	for (const struct etype *t = etype_all(); t->name; t++)
		if (t->style)
			fprintf(out, ".%s{%s}\n", type_class(t->name, cls), t->style);
	fputs(style_tail, out);
}

/* The legend: each type of the table with a style, then the others. */
static void put_legend(FILE *out)
{
	char cls[HTML_CLASS_MAX];

	fputs("<p class=\"legend\">Mentions: ", out);
	for (const struct etype *t = etype_all(); t->name; t++) {
		if (!t->style)
			continue;
		fprintf(out, "<span class=\"%s\">", type_class(t->name, cls));
		html_puts(out, t->name);
		fputc(' ', out);
		html_puts(out, t->what);
		fputs("</span> ", out);
	}
	fputs("<span class=\"other\">other types</span>; "
	      "hover over one for its canonical name, rank and NATO code.</p>\n",
	      out);
}

/* The head of the page, the title, the legend and the link to the index. */
static void page_begin(struct html *h, FILE *out)
{
	h->out = out;
	h->begun = 1;
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, "
	      "initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"ner-html " NERPIPE_VERSION
	      "\">\n<title>", out);
	html_puts(out, h->title);
	fputs("</title>\n<style>\n", out);
	put_style(out);
	fputs("</style>\n</head>\n<body>\n<header>\n<h1>", out);
	html_puts(out, h->title);
	fputs("</h1>\n", out);
	put_legend(out);
	if (h->top)
		fputs("<nav><a href=\"#index\">Most frequent entities</a></nav>\n",
		      out);
	fputs("</header>\n<main>\n", out);
}

/* Count a mention of the entity id (of type, named name) in the current
 * document and set *index to the entity's place in h->ents.  Returns 1
 * for the entity's first mention, which the caller gives the anchor
 * e<index + 1>, and 0 for the others. */
static int count_entity(struct html *h, const char *id, const char *type,
			const char *name, size_t *index)
{
	struct html_entity *e;
	int first = 0;

	if (!strmap_get(&h->ids, id, index)) {
		if (h->nents == h->capents) {
			h->capents = h->capents ? 2 * h->capents : 64;
			h->ents = xrealloc(h->ents, h->capents * sizeof(*h->ents));
		}
		*index = h->nents++;
		e = &h->ents[*index];
		memset(e, 0, sizeof(*e));
		memcpy(e->id, id, ENTITY_ID_MAX);
		e->name = xstrdup(name);
		e->type = xstrdup(type);
		strmap_put(&h->ids, id, *index);
		first = 1;
	}
	e = &h->ents[*index];
	if (strcmp(name, e->name) < 0) {
		free(e->name);
		e->name = xstrdup(name);
	}
	e->mentions++;
	if (e->last_doc != h->ndocs) {
		e->last_doc = h->ndocs;
		e->docs++;
	}
	return first;
}

/* Append part to the hover text, after a separator unless it is the first
 * part; empty parts and a part equal to the one before are left out. */
static void tip_add(struct buf *tip, const char *part, const char **last)
{
	if (!*part || (*last && strcmp(part, *last) == 0))
		return;
	if (tip->len)
		buf_puts(tip, " \xc2\xb7 ");	/* U+00B7 middle dot */
	buf_puts(tip, part);
	*last = part;
}

/* The opening tag of mention m: its type, entity id, and the canonical
 * name, rank and NATO code in the title attribute. */
static void mark_open(struct html *h, const struct doc *d,
		      const struct mention *m, FILE *out)
{
	const char *last = NULL, *name = m->canon;
	char id[ENTITY_ID_MAX], cls[HTML_CLASS_MAX];
	size_t index;

	if (!*name) {
		mention_text(d, m, &h->text);
		name = h->text.s;
	}
	entity_id(m->type, name, id);
	mention_rank(m, &h->rank);
	mention_attr(m->attrs, "nato", &h->nato);
	buf_reset(&h->tip);
	tip_add(&h->tip, name, &last);
	tip_add(&h->tip, h->rank.s, &last);
	tip_add(&h->tip, h->nato.s, &last);
	h->nmentions++;
	fprintf(out, "<mark class=\"%s\"", type_class(m->type, cls));
	if (count_entity(h, id, m->type, name, &index))
		fprintf(out, " id=\"e%zu\"", index + 1);
	fputs(" data-type=\"", out);
	html_puts(out, m->type);
	fputs("\" data-entity=\"", out);
	html_puts(out, id);
	fputs("\" title=\"", out);
	html_put(out, h->tip.s, h->tip.len);
	fputs("\">", out);
}

/* Write the #text chunks that stand before token i, from line *li on. */
static void put_chunks(const struct doc *d, size_t *li, size_t i, FILE *out)
{
	const char *s;
	size_t n;

	for (; *li < d->nlines && d->lines[*li].before <= i; (*li)++)
		if (d->lines[*li].kind == DL_TEXT) {
			s = doc_line_text(d, &d->lines[*li], &n);
			html_put(out, s, n);
		}
}

/* The document text, in the order of ner-stream(5)'s text invariant,
 * with each mention's tokens (and the gaps between them) in a <mark>. */
static void put_text(struct html *h, const struct doc *d, FILE *out)
{
	struct mention m = MENTION_INIT;
	int more = mention_next(d, &m);
	size_t li = 0;

	for (size_t i = 0; i <= d->ntoks; i++) {
		put_chunks(d, &li, i, out);
		if (i == d->ntoks)
			break;
		size_t gl;
		const char *gap = tok_gap(d, &d->toks[i], &gl);

		html_put(out, gap, gl);
		if (more && i == m.tok)
			mark_open(h, d, &m, out);
		html_puts(out, tok_text(d, &d->toks[i]));
		if (more && i == m.tok + m.ntoks - 1) {
			fputs("</mark>", out);
			more = mention_next(d, &m);
		}
	}
}

/* Write url as an href value: the bytes a URL may not hold as they are
 * (controls, space, quotes, angle brackets, backslash, ^, `, {, |, } and
 * every byte of a non-ASCII character) percent-encoded, as browsers
 * encode them, and & and ' as character references. */
static void put_href(FILE *out, const char *url)
{
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7f || strchr("\"<>\\^`{|}", *p))
			fprintf(out, "%%%02X", *p);
		else if (*p == '&')
			fputs("&amp;", out);
		else if (*p == '\'')
			fputs("&#39;", out);
		else
			putc(*p, out);
	}
}

static int is_web_url(const char *s)
{
	return strncasecmp(s, "http://", 7) == 0 ||
	       strncasecmp(s, "https://", 8) == 0;
}

/* The line under a document's heading: id, site, date and URL (a link
 * only for http and https, so that no other scheme becomes clickable). */
static void put_meta(const struct doc *d, FILE *out)
{
	const char *site = doc_meta(d, "site"), *date = doc_meta(d, "date");
	const char *url = doc_meta(d, "url"), *file = doc_meta(d, "file");

	fputs("<p class=\"meta\">", out);
	html_puts(out, d->id);
	if (site && *site) {
		fputs(" \xc2\xb7 ", out);
		html_puts(out, site);
	}
	if (date && *date) {
		fputs(" \xc2\xb7 <span class=\"date\">", out);
		html_puts(out, date);
		fputs("</span>", out);
	}
	if (url && *url && is_web_url(url)) {
		fputs(" \xc2\xb7 <a href=\"", out);
		put_href(out, url);
		fputs("\">", out);
		html_puts(out, url);
		fputs("</a>", out);
	} else if (url && *url) {
		fputs(" \xc2\xb7 <span class=\"url\">", out);
		html_puts(out, url);
		fputs("</span>", out);
	} else if (file && *file) {
		fputs(" \xc2\xb7 <span class=\"file\">", out);
		html_puts(out, file);
		fputs("</span>", out);
	}
	fputs("</p>\n", out);
}

/* End the article of the long document whose parts were joined. */
static void join_end(struct html *h, FILE *out)
{
	fputs("</div>\n", out);
	if (h->late_error) {
		fputs("<p class=\"error\">", out);
		html_puts(out, h->late_error);
		fputs("</p>\n", out);
	}
	fputs("</article>\n", out);
	free(h->error);
	free(h->late_error);
	h->error = h->late_error = NULL;
	mention_join_free(&h->join);
}

/* A later part of a long document: its text goes on in the article,
 * with an error of its own kept for the article's end. */
static void put_next_part(struct html *h, const struct doc *d, FILE *out)
{
	const char *error = doc_meta(d, "error");

	if (error && *error && !(h->error && strcmp(error, h->error) == 0)) {
		free(h->late_error);
		h->late_error = xstrdup(error);
	}
	put_text(h, d, out);
}

static int html_run(void *state, struct doc *d, FILE *out)
{
	struct html *h = state;
	const char *title = doc_meta(d, "title"), *error = doc_meta(d, "error");
	const char *why;
	int kind = mention_part_of(&h->join, d, &why);

	if (kind < 0) {
		diag_warn("%s: %s", d->id, why);
		return EX_DATAERR;
	}
	if (kind != MJ_NEXT && h->join.id)
		join_end(h, out);
	mention_join_take(&h->join, d, kind);
	if (!h->begun)
		page_begin(h, out);
	if (kind == MJ_NEXT) {
		put_next_part(h, d, out);
		return EX_OK;
	}
	h->ndocs++;
	fprintf(out, "<article id=\"d%zu\">\n<h2>", h->ndocs);
	html_puts(out, title && *title ? title : d->id);
	fputs("</h2>\n", out);
	put_meta(d, out);
	if (error && *error) {
		fputs("<p class=\"error\">", out);
		html_puts(out, error);
		fputs("</p>\n", out);
	}
	fputs("<div class=\"text\">", out);
	put_text(h, d, out);
	if (kind == MJ_FIRST) {
		h->error = error && *error ? xstrdup(error) : NULL;
		return EX_OK;	/* join_end ends the article */
	}
	fputs("</div>\n</article>\n", out);
	return EX_OK;
}

/* Most mentions first; ties by name, type, then id, so that the order
 * is the same for the same counts whatever the order of the input. */
static int entity_cmp(const void *a, const void *b)
{
	const struct html_entity *x = *(const struct html_entity *const *)a;
	const struct html_entity *y = *(const struct html_entity *const *)b;
	int c;

	if (x->mentions != y->mentions)
		return x->mentions > y->mentions ? -1 : 1;
	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	if ((c = strcmp(x->type, y->type)) != 0)
		return c;
	return strcmp(x->id, y->id);
}

/* The index: the h->top entities with the most mentions. */
static void put_index(struct html *h, FILE *out)
{
	struct html_entity **order = xcalloc(h->nents ? h->nents : 1,
					     sizeof(*order));
	size_t n = h->nents < h->top ? h->nents : h->top;
	char cls[HTML_CLASS_MAX];

	for (size_t k = 0; k < h->nents; k++)
		order[k] = &h->ents[k];
	qsort(order, h->nents, sizeof(*order), entity_cmp);
	fprintf(out, "<section id=\"index\">\n<h2>Most frequent entities</h2>\n"
		"<p>%zu document%s, %zu mention%s, %zu entit%s",
		h->ndocs, h->ndocs == 1 ? "" : "s",
		h->nmentions, h->nmentions == 1 ? "" : "s",
		h->nents, h->nents == 1 ? "y" : "ies");
	if (n < h->nents)
		fprintf(out, "; the first %zu", n);
	fputs(".</p>\n", out);
	if (n)
		fputs("<table>\n<thead><tr><th>entity</th><th>type</th>"
		      "<th>mentions</th><th>documents</th></tr></thead>\n<tbody>\n",
		      out);
	for (size_t k = 0; k < n; k++) {
		const struct html_entity *e = order[k];

		fprintf(out, "<tr><td><a href=\"#e%zu\" title=\"",
			(size_t)(e - h->ents) + 1);
		html_puts(out, e->id);
		fprintf(out, "\"><span class=\"%s\">", type_class(e->type, cls));
		html_puts(out, e->name);
		fputs("</span></a></td><td>", out);
		html_puts(out, e->type);
		fprintf(out, "</td><td class=\"n\">%zu</td><td class=\"n\">%zu"
			"</td></tr>\n", e->mentions, e->docs);
	}
	if (n)
		fputs("</tbody>\n</table>\n", out);
	fputs("</section>\n", out);
	free(order);
}

/* Close the page: the index, and a note when the input stopped on an
 * error (cut_short) before the end of the stream. */
static void page_end(struct html *h, int cut_short)
{
	FILE *out = h->out;

	if (!h->ndocs)
		fputs("<p>No documents.</p>\n", out);
	if (cut_short)
		fputs("<p class=\"error\">The input stopped on an error: this "
		      "page holds the documents read before it.</p>\n", out);
	fputs("</main>\n", out);
	if (h->top)
		put_index(h, out);
	fputs("<footer><p class=\"meta\">Written by ner-html " NERPIPE_VERSION
	      " (nerpipe).</p></footer>\n</body>\n</html>\n", out);
}

/* The end of the page, with the index.  When the input stopped on an
 * error the page still ends whole, with the documents read before it
 * and a note; a page not begun then (the very first line was bad) is
 * not written at all. */
static int html_finish(void *state, FILE *out, int status)
{
	struct html *h = state;
	int broke = status != EX_OK && status != EX_NOINPUT;

	if (h->join.id)
		join_end(h, out);
	if (!h->begun && broke)
		return EX_OK;
	if (!h->begun)
		page_begin(h, out);
	page_end(h, broke);
	return ferror(out) ? EX_IOERR : EX_OK;
}

static void html_free(void *state)
{
	struct html *h = state;

	if (!h)
		return;
	for (size_t k = 0; k < h->nents; k++) {
		free(h->ents[k].name);
		free(h->ents[k].type);
	}
	free(h->ents);
	strmap_free(&h->ids);
	buf_free(&h->text);
	buf_free(&h->rank);
	buf_free(&h->nato);
	buf_free(&h->tip);
	mention_join_free(&h->join);
	free(h->error);
	free(h->late_error);
	free(h);
}

static int html_init(int argc, char **argv, int *argind, void **state)
{
	struct html *h = xcalloc(1, sizeof(*h));
	int c, st = EX_OK;
	long top;

	h->title = HTML_TITLE_DEFAULT;
	h->top = HTML_TOP_DEFAULT;
	opt_start();
	while (st == EX_OK && (c = opt_next(&stage_html.cli, argc, argv)) != -1) {
		switch (c) {
		case 't':
			h->title = optarg;
			if (!*optarg) {
				diag_warn("--title: want a non-empty title");
				st = EX_USAGE;
			}
			break;
		case 'n':
			top = opt_parse_count(optarg);
			if (top < 0) {
				diag_warn("-n: want a count, not '%s'", optarg);
				st = EX_USAGE;
			}
			h->top = (size_t)top;
			break;
		default:
			st = stage_opt_status(c);
		}
	}
	if (st != EX_OK) {
		html_free(h);
		return st;
	}
	*argind = optind;
	*state = h;
	return EX_OK;
}

static const struct opt html_opts[] = {
	{ "title", 't', "TEXT", "the page's title (default \"" HTML_TITLE_DEFAULT "\")" },
	{ "top", 'n', "N", "entities in the index (default 50; 0: no index)" },
	{ NULL, 0, NULL, NULL },
};

const struct stage_ops stage_html = {
	.cli = {
		.name = "ner-html",
		.usage = "[options] [STREAM...]",
		.about = "Write the tagged documents as one self-contained HTML page:\n"
			 "mentions highlighted by type, an index of the most frequent\n"
			 "entities.\n",
		.opts = html_opts,
		.footer = "See ner-html(1).\n",
		.in_order = 1,
	},
	.init = html_init,
	.run = html_run,
	.finish = html_finish,
	.free = html_free,
	.tail = 1,
	.repairs_utf8 = 1,
};
