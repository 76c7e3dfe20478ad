/* page_boiler.c - drop the lines of boilerplate that sit inside an article's block. */
#define _GNU_SOURCE		/* strcasestr */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "page_int.h"
#include "utf.h"

/* The kinds of line dropped here are those a news page puts between or
 * after its paragraphs in the same block as the article: labels of
 * related-story boxes ("Read more: ...", "Related: ..."), calls to
 * subscribe or click, "Published / Updated" date lines, wire-service
 * credits and tag lists.  Everything is matched on short paragraphs
 * only (SHORT_LINE bytes; twice that for strong calls and credits), so
 * that article sentences that happen to hold a phrase stay.  The phrases
 * are English: other languages keep such lines. */

/* A label before a colon (or a whole short line) that names a box of
 * links or a metadata line, lower case. */
static const char *const labels[] = {
	"read more", "read also", "also read", "more", "see more", "see also",
	"also", "also on", "related", "related post", "related posts",
	"related tags", "related news", "related articles", "related stories",
	"related content", "related coverage", "related video", "recommended",
	"trending", "trending news", "tags", "tagged", "topics", "filed under",
	"posted in", "published", "updated", "first published",
	"last updated", "last modified", "sign up", "advertisement", "watch",
	"photo", "photos", "image", "images", "video", "credit", "source",
	"share", "share this", "share this article", "comments", "comment",
	"you may also like", "you might also like", "more from", "popular",
	"most popular", "most read", "see more photos", "click here",
	"leave a comment", "leave a reply", "tell us what you think",
	"join the discussion", "follow us", NULL
};

/* Calls to action: a short line holding one of these is a promotion. */
static const char *const calls[] = {
	"click here", "clicking here",
	"subscribe to", "subscribe now", "subscribe today", "newsletter",
	"follow us on", "follow him on", "follow her on", "follow them on",
	"download the app", "get the app", "share it with", "like this story",
	"use the code", "requires javascript", "\xC2\xA9",
	"all rights reserved", NULL
};

/* Calls strong enough to mark a longer line (a subscription offer, an
 * author's note) as a promotion. */
static const char *const strong_calls[] = {
	"use the code", "use code", "promo code", "coupon code",
	"follow him on", "follow her on", "follow us on", "follow them on",
	"click here", NULL
};

/* Openings of date and byline lines (short, with a digit). */
static const char *const date_openings[] = {
	"published ", "updated ", "posted on ", "posted by ", "first published",
	"last updated", "last modified", NULL
};

/* Openings of wire-service credit lines. */
static const char *const credit_openings[] = {
	"(reporting by", "reporting by ", "additional reporting by",
	"editing by ", "writing by ", "compiled by ", NULL
};

/* Parts of the heading of a box of links to other stories: the heading
 * and the short lines after it go. */
static const char *const box_heads[] = {
	"stories", "related", "recommended", "you may also like",
	"you might also like", "more from", "more on", "most popular",
	"most read", "trending", "don't miss", "don\xE2\x80\x99t miss",
	"further reading", "read next", "also read", "more news",
	"latest news", "top stories", "editor's picks", "editors' picks",
	NULL
};

/* Lines after which the rest is comments or a form. */
static const char *const enders[] = {
	"comments", "comment", "leave a comment", "leave a reply",
	"tell us what you think", "join the discussion", "add a comment",
	"post a comment", "show comments", "view comments", NULL
};

#define SHORT_LINE 200		/* bytes: longer lines are article text */
#define DATE_LINE 120		/* bytes: longer lines are not date lines */

static int memchr_digit(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (isdigit((unsigned char)s[i]))
			return 1;
	return 0;
}

static int in_list(const char *s, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && strncasecmp(s, *list, n) == 0)
			return 1;
	return 0;
}

/* s[0..n) with leading "[(" and trailing " .:!…" dropped, in *len. */
static const char *trim_label(const char *s, size_t n, size_t *len)
{
	while (n > 0 && strchr("[( ", *s))
		s++, n--;
	while (n > 0 && strchr(" .:!])", s[n - 1]))
		n--;
	if (n >= 3 && memcmp(s + n - 3, "\xE2\x80\xA6", 3) == 0)
		n -= 3;
	*len = n;
	return s;
}

/* "Label: ..." or a line that is only a label. */
static int is_label_line(const char *s, size_t n)
{
	const char *colon = memchr(s, ':', n < 30 ? n : 30);
	size_t len;
	const char *l = trim_label(s, colon ? (size_t)(colon - s) : n, &len);

	return in_list(l, len, labels);
}

/* Does s[0..n) hold one of the phrases of list as whole words (ASCII
 * case ignored)? */
static int has_phrase(const char *s, size_t n, const char *const *list)
{
	for (; *list; list++) {
		size_t k = strlen(*list);
		int c0 = tolower((unsigned char)(*list)[0]);

		for (size_t i = 0; i + k <= n; i++) {
			/* The first letter first: most places fail there. */
			if (tolower((unsigned char)s[i]) != c0 ||
			    strncasecmp(s + i, *list, k) != 0)
				continue;
			if ((i == 0 || !isalnum((unsigned char)s[i - 1])) &&
			    (i + k == n || !isalnum((unsigned char)s[i + k]) ||
			     !isalnum((unsigned char)(*list)[k - 1])))
				return 1;
		}
	}
	return 0;
}

static int starts_with_any(const char *s, size_t n, const char *const *list)
{
	while (n > 0 && strchr("[( ", *s) && !(*s == '(' && list == credit_openings))
		s++, n--;
	for (; *list; list++) {
		size_t k = strlen(*list);
		if (k <= n && strncasecmp(s, *list, k) == 0)
			return 1;
	}
	return 0;
}

static int is_boilerplate(const char *s, size_t n)
{
	if (n >= SHORT_LINE * 2)
		return 0;
	if (starts_with_any(s, n, credit_openings))
		return 1;
	if (n < DATE_LINE && starts_with_any(s, n, date_openings) &&
	    memchr_digit(s, n))
		return 1;
	if (has_phrase(s, n, strong_calls))
		return 1;
	return n < SHORT_LINE && (is_label_line(s, n) || has_phrase(s, n, calls));
}

/* Ten words or more ending in a full stop (a quote may follow): a
 * sentence of the article, not the title of a linked story. */
static int is_sentence(const char *s, size_t n)
{
	size_t words = 0;

	while (n > 0 && strchr("\"')\x9D\x99\x80\xE2 ", s[n - 1]))
		n--;
	if (n == 0 || s[n - 1] != '.')
		return 0;
	for (size_t i = 0; i < n; i++)
		words += s[i] != ' ' && (i == 0 || s[i - 1] == ' ');
	return words >= 10;
}

/* A short line naming a box of links: "More Great Stories", "Trending:"
 * (not "Related: a story's title", which is one link). */
static int is_box_head(const char *s, size_t n)
{
	const char *colon = memchr(s, ':', n);

	if (n >= 60 || (colon && colon[1 + strspn(colon + 1, " ")] != '\0' &&
			(size_t)(colon - s) + 1 + strspn(colon + 1, " ") < n))
		return 0;
	return has_phrase(s, n, box_heads);
}

void page_text_drop_boilerplate(struct buf *text)
{
	struct buf out = BUF_INIT;
	const char *s = text->s, *end = s ? s + text->len : NULL;
	int in_box = 0;

	while (s && s < end) {
		const char *brk = strstr(s, "\n\n");
		const char *e = brk ? brk : end;
		size_t n = (size_t)(e - s), len;
		const char *l = trim_label(s, n, &len);
		if (in_list(l, len, enders) &&
		    (size_t)(s - text->s) * 2 >= text->len)
			break;
		if (is_box_head(s, n))
			in_box = 1;
		else if (n >= SHORT_LINE || is_sentence(s, n))
			in_box = 0;
		if (!in_box && !is_boilerplate(s, n)) {
			if (out.len)
				buf_puts(&out, "\n\n");
			buf_put(&out, s, n);
		}
		s = brk ? brk + 2 : end;
	}
	buf_reset(text);
	if (out.len)
		buf_put(text, out.s, out.len);
	buf_free(&out);
}
