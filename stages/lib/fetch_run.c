/* fetch_run.c - ner-fetch's work: each input becomes one document of the stream, in input order. */
#define _GNU_SOURCE		/* memrchr */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include "alloc.h"
#include "buf.h"
#include "diag.h"
#include "doc.h"
#include "fetch.h"
#include "fetch_run.h"
#include "page.h"
#include "path.h"
#include "stream.h"
#include "strmap.h"
#include "utf.h"

#define ID_STEM_MAX 48
/* Less text than this (in characters) is worth a warning: the page
 * probably has no article, or the extractor missed it. */
#define MIN_ARTICLE 100

/* One input, a URL or a local file, in input order. */
struct item {
	char *arg;
	char *id;		/* its document id, unique in the run */
	int is_url;
	struct doc *doc;	/* finished, waiting for its turn; or NULL */
};

struct run {
	struct item *items;
	size_t nitems, capitems;
	size_t next_out;	/* first item not yet written */
	const char *save_dir, *text_dir;
	int no_headline;
	FILE *out;
	struct strmap ids;	/* the document ids given so far */
	int status;		/* worst exit status so far */
	int stop;		/* out failed, or libcurl did: stop working */
};

/* ---- inputs and ids ---------------------------------------------------- */

static void items_add(struct run *r, const char *arg)
{
	if (r->nitems == r->capitems) {
		r->capitems = r->capitems ? r->capitems * 2 : 16;
		r->items = xrealloc(r->items, r->capitems * sizeof *r->items);
	}
	r->items[r->nitems].arg = xstrdup(arg);
	r->items[r->nitems].is_url = path_is_url(arg);
	r->items[r->nitems].doc = NULL;
	r->nitems++;
}

/* Read URLs (or file names) from fp, one a line; blank lines and lines
 * starting with # are skipped.  Returns 0, or -1 on a read error. */
static int items_read(struct run *r, FILE *fp)
{
	struct buf line = BUF_INIT;
	ssize_t n;

	while ((n = buf_getline(&line, fp)) > 0) {
		char *s = line.s, *e = line.s + n;
		while (s < e && strchr(" \t\r\n", *s))
			s++;
		while (e > s && strchr(" \t\r\n", e[-1]))
			e--;
		*e = '\0';
		if (*s && *s != '#')
			items_add(r, s);
	}
	buf_free(&line);
	if (n < 0) {
		diag_warn("standard input: read error:");
		return -1;
	}
	return 0;
}

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Append s[0..n) to id with every run of bytes outside [A-Za-z0-9._-]
 * made one '-', leading and trailing '-' and '.' dropped. */
static void id_sanitise(struct buf *id, const char *s, size_t n)
{
	size_t start = id->len;

	for (size_t i = 0; i < n && id->len - start < ID_STEM_MAX; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
		    ch == '-')
			buf_putc(id, ch);
		else if (id->len > start && id->s[id->len - 1] != '-')
			buf_putc(id, '-');
	}
	while (id->len > start && strchr("-.", id->s[id->len - 1]))
		id->s[--id->len] = '\0';
	while (id->len > start && strchr("-.", id->s[start])) {
		memmove(id->s + start, id->s + start + 1, id->len - start);
		id->len--;
	}
}

static int segment_meaningless(const char *s, size_t n)
{
	static const char *const names[] = { "index", "default", "amp",
		NULL };
	const char *dot = memchr(s, '.', n);
	size_t stem = dot ? (size_t)(dot - s) : n;

	for (size_t i = 0; names[i]; i++)
		if (strlen(names[i]) == stem && strncmp(s, names[i], stem) == 0)
			return 1;
	return 0;
}

/* The document id of a URL: its last meaningful path segment (not
 * "index.html" or the like, extension dropped), else the host, made
 * safe and cut to ID_STEM_MAX bytes, then '-' and eight hex digits of
 * the FNV-1a hash of the whole URL, so that it is short, stable and
 * unique.  "https://x.org/world/army-chief-visits.html?a=1" gives
 * "army-chief-visits-" followed by the hash. */
static char *url_id(const char *url)
{
	struct buf id = BUF_INIT;
	const char *p = strstr(url, "://") + 3;
	const char *path = p + strcspn(p, "/?#");
	const char *end = path + strcspn(path, "?#");
	const char *seg = NULL;
	size_t segn = 0;

	for (const char *q = path; q < end;) {
		const char *s = ++q;
		while (q < end && *q != '/')
			q++;
		if (q > s && !segment_meaningless(s, (size_t)(q - s)))
			seg = s, segn = (size_t)(q - s);
	}
	if (seg) {
		const char *dot = memrchr(seg, '.', segn);
		if (dot && dot > seg && segn - (size_t)(dot - seg) <= 6)
			segn = (size_t)(dot - seg);
		id_sanitise(&id, seg, segn);
	}
	if (id.len == 0)
		id_sanitise(&id, p, (size_t)(path - p));
	buf_printf(&id, "%s%08x", id.len ? "-" : "page-", fnv1a(url));
	return id.s;
}

/* A file's id: its name without directory and .html/.htm. */
static char *file_id(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;
	char *id;

	base = base && base[1] ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".html") == 0)
		n -= 5;
	else if (n > 4 && strcmp(base + n - 4, ".htm") == 0)
		n -= 4;
	id = xmalloc(n + 1);
	memcpy(id, base, n);
	id[n] = '\0';
	return id;
}

/* ---- documents --------------------------------------------------------- */

static void iso_time(char *s, size_t n, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(s, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void meta_opt(struct doc *d, const char *key, const char *val)
{
	if (val && *val)
		doc_add_meta(d, key, val);
}

/* Add the text, one #text line per paragraph. */
static void doc_add_paragraphs(struct doc *d, const struct buf *text)
{
	const char *s = text->s, *end = s ? s + text->len : NULL;

	while (s < end) {
		const char *brk = strstr(s, "\n\n");
		const char *e = brk ? brk + 2 : end;
		doc_add_text(d, s, (size_t)(e - s));
		s = e;
	}
}

/* Add the document's text: the page's headline as its first paragraph
 * (names in headlines are news too) unless r says not, then the article
 * body. */
static void add_text(const struct run *r, struct doc *d,
		     const struct page *p)
{
	struct buf text = BUF_INIT;

	if (!p->headline || r->no_headline) {
		doc_add_paragraphs(d, &p->text);
		return;
	}
	buf_puts(&text, p->headline);
	buf_puts(&text, p->text.len ? "\n\n" : "\n");
	buf_put(&text, p->text.s ? p->text.s : "", p->text.len);
	doc_add_paragraphs(d, &text);
	buf_free(&text);
}

static int write_file(const char *dir, const char *id, const char *ext,
		      const char *s, size_t n)
{
	struct buf path = BUF_INIT;
	FILE *fp;
	int ret = 0;

	buf_printf(&path, "%s/%s%s", dir, id, ext);
	fp = fopen(path.s, "w");
	if (!fp || fwrite(s, 1, n, fp) != n || fclose(fp) != 0) {
		diag_warn("%s:", path.s);
		ret = -1;
		if (fp && ferror(fp))
			fclose(fp);
	}
	buf_free(&path);
	return ret;
}

static void worse(struct run *r, int status)
{
	static const int rank[] = { EX_OK, EX_DATAERR, EX_UNAVAILABLE,
				    EX_NOINPUT, EX_IOERR, EX_SOFTWARE };
	int a = 0, b = 0;

	for (int i = 0; i < 6; i++) {
		if (rank[i] == r->status)
			a = i;
		if (rank[i] == status)
			b = i;
	}
	if (b > a)
		r->status = status;
}

/* Fill d from a page's bytes: metadata, then text; report a page where
 * no text was found. */
static void doc_from_page(struct run *r, struct doc *d, const char *name,
			  const char *s, size_t n, const char *ctype,
			  const char *base)
{
	struct page p;
	struct err e;

	page_init(&p);
	if (page_read(&p, s, n, ctype, base, &e) < 0) {
		diag_warn("%s: %s", name, e.msg);
		doc_add_meta(d, "error", e.msg);
		worse(r, e.code);
		page_free(&p);
		return;
	}
	if (base && p.canonical && strcmp(p.canonical, base) != 0)
		meta_opt(d, "canonical_url", p.canonical);
	else if (!base)
		meta_opt(d, "canonical_url", p.canonical);
	meta_opt(d, "title", p.title);
	meta_opt(d, "date", p.date);
	meta_opt(d, "site", p.site);
	size_t chars = utf_count(p.text.s ? p.text.s : "", p.text.len);
	if (chars < MIN_ARTICLE)
		diag_warn("%s: no article found (%zu characters of text)",
			  name, chars);
	add_text(r, d, &p);
	if (r->text_dir && write_file(r->text_dir, d->id, ".txt", p.text.s ?
				      p.text.s : "", p.text.len) < 0)
		worse(r, EX_IOERR);
	page_free(&p);
}

static struct doc *doc_from_file(struct run *r, const char *path,
				 const char *id)
{
	struct doc *d = doc_new();
	struct buf body = BUF_INIT;
	FILE *fp = fopen(path, "rb");

	doc_set_id(d, id);
	doc_add_meta(d, "file", path);
	if (!fp || buf_slurp(&body, fp) < 0) {
		diag_warn("%s:", path);
		doc_add_meta(d, "error", strerror(errno));
		worse(r, EX_NOINPUT);
	} else {
		if (r->save_dir && write_file(r->save_dir, id, ".html",
					      body.s ? body.s : "", body.len) < 0)
			worse(r, EX_IOERR);
		doc_from_page(r, d, path, body.s ? body.s : "", body.len,
			      NULL, NULL);
	}
	if (fp)
		fclose(fp);
	buf_free(&body);
	return d;
}

static struct doc *doc_from_fetch(struct run *r, struct fetch_result *f,
				  const char *id)
{
	struct doc *d = doc_new();
	char when[32], status[24];

	doc_set_id(d, id);
	doc_add_meta(d, "url", f->url);
	if (f->final_url && strcmp(f->final_url, f->url) != 0)
		doc_add_meta(d, "final_url", f->final_url);
	if (r->save_dir && f->status) {
		if (write_file(r->save_dir, id, ".html", f->body.s ? f->body.s :
			       "", f->body.len) < 0 ||
		    write_file(r->save_dir, id, ".headers", f->headers.s ?
			       f->headers.s : "", f->headers.len) < 0)
			worse(r, EX_IOERR);
	}
	if (!f->error)
		doc_from_page(r, d, f->url, f->body.s ? f->body.s : "",
			      f->body.len, f->content_type,
			      f->final_url ? f->final_url : f->url);
	iso_time(when, sizeof when, f->fetched);
	doc_add_meta(d, "fetched", when);
	if (f->status) {
		snprintf(status, sizeof status, "%ld", f->status);
		doc_add_meta(d, "status", status);
	}
	if (f->error) {
		diag_warn("%s: %s", f->url, f->error);
		doc_add_meta(d, "error", f->error);
		worse(r, EX_UNAVAILABLE);
	}
	return d;
}

/* Give each item its document id, in input order: the URL's or file's
 * id, and when an earlier input took it (x/page.html and y/page.html),
 * that id with "~2", "~3"... after it, with a warning: one id for two
 * documents would make one of them, and one file of --save and
 * --text-dir, overwrite the other. */
static void items_name(struct run *r)
{
	for (size_t i = 0; i < r->nitems; i++) {
		struct item *it = &r->items[i];
		char *id = it->is_url ? url_id(it->arg) : file_id(it->arg);

		it->id = doc_id_take(&r->ids, id, strlen(id));
		if (strcmp(it->id, id) != 0)
			diag_warn("%s: document id '%s' is taken by an earlier "
				  "input; this one is '%s'", it->arg, id, it->id);
		free(id);
	}
}

/* ---- output in input order --------------------------------------------- */

static void flush_ready(struct run *r)
{
	while (r->next_out < r->nitems && r->items[r->next_out].doc) {
		struct item *it = &r->items[r->next_out++];
		if (!r->stop && stream_write(r->out, it->doc) < 0)
			r->stop = 1;
		doc_free(it->doc);
		it->doc = NULL;
	}
}

struct url_batch {
	struct run *run;
	size_t *index;		/* batch position -> item index */
};

static int on_fetched(size_t i, struct fetch_result *f, void *arg)
{
	struct url_batch *b = arg;
	struct run *r = b->run;

	struct item *it = &r->items[b->index[i]];

	it->doc = doc_from_fetch(r, f, it->id);
	flush_ready(r);
	return r->stop;
}

/* Fetch the run of URL items from first to before end. */
static void fetch_batch(struct run *r, const struct fetch_opts *o,
			size_t first, size_t end)
{
	size_t n = end - first;
	const char **urls = xmalloc(n * sizeof *urls);
	struct url_batch b = { r, xmalloc(n * sizeof *b.index) };
	struct err e;

	for (size_t i = 0; i < n; i++) {
		urls[i] = r->items[first + i].arg;
		b.index[i] = first + i;
	}
	if (fetch_all(o, urls, n, on_fetched, &b, &e) < 0) {
		diag_warn("%s", e.msg);
		worse(r, e.code);
		r->stop = 1;
	}
	free(urls);
	free(b.index);
}

static void run_items(struct run *r, const struct fetch_opts *o)
{
	for (size_t i = 0; i < r->nitems && !r->stop;) {
		if (!r->items[i].is_url) {
			r->items[i].doc = doc_from_file(r, r->items[i].arg,
							r->items[i].id);
			flush_ready(r);
			i++;
			continue;
		}
		size_t end = i;
		while (end < r->nitems && r->items[end].is_url)
			end++;
		fetch_batch(r, o, i, end);
		i = end;
	}
}

int fetch_run(const struct fetch_opts *o, const struct fetch_run_opts *ro,
	      char *const *inputs, size_t n, FILE *in, FILE *out)
{
	struct run r;

	memset(&r, 0, sizeof r);
	r.save_dir = ro->save_dir;
	r.text_dir = ro->text_dir;
	r.no_headline = ro->no_headline;
	r.out = out;
	if (inputs) {
		for (size_t i = 0; i < n; i++)
			items_add(&r, inputs[i]);
	} else if (items_read(&r, in) < 0) {
		worse(&r, EX_IOERR);
	}
	items_name(&r);
	run_items(&r, o);
	for (size_t i = 0; i < r.nitems; i++) {
		doc_free(r.items[i].doc);
		free(r.items[i].arg);
		free(r.items[i].id);
	}
	free(r.items);
	strmap_free(&r.ids);
	return r.status;
}
