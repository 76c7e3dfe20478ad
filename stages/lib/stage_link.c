/* stage_link.c - ner-link: one entity behind many mentions.
 *
 * Per document, in order:
 *   1. acronyms: "Long Name (ACR)" tags ACR like the name, and every
 *      bare ACR token of the document too; untagged capitalised words
 *      whose initials spell ACR become an ORG with it;
 *   2. partial names: an untagged run of capitalised words that is the
 *      whole name, the end, or a start of two words or more of a person
 *      named anywhere in the document is that person;
 *   3. canonical names: a person mention that is part of a longer one in
 *      the document takes its canonical name; across documents, names
 *      with the same fold key share the first canonical name seen;
 *   4. ranks: a person gets the rank right before it, else the rank of an
 *      earlier mention of the same person.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "buf.h"
#include "diag.h"
#include "fold.h"
#include "stage.h"
#include "strmap.h"
#include "utf.h"

/* One mention in the document being linked. */
struct mention {
	size_t i, n;		/* tokens */
	size_t words;		/* words in its fold key */
	const char *fold;	/* PER: fold keys of its words, ' '-joined,
				 * in the document's arena; others: "" */
	const char *rank;	/* "rank=...;nato=..." or NULL */
};

/* An acronym defined in the document: its type and canonical name. */
struct acronym {
	const char *type, *canon;
};

struct link {
	int cross_doc;
	char **canon;		/* canonical names seen in the run */
	size_t ncanon, capcanon;
	struct strmap registry;	/* fold key of a name -> index in canon */
	struct mention *m;
	size_t nm, capm;
	struct strmap parts;	/* a person's name part -> index in m */
	struct acronym *acr;
	size_t nacr, capacr;
	struct strmap acronyms;	/* acronym -> index in acr */
	struct strmap ranks;	/* canonical name -> last mention with a rank */
	struct buf tmp;
};

/* Fold keys of tokens [i, i+n), space-joined, connectors left out, in
 * b; returns b's text, valid until b changes. */
static const char *fold_tokens(const struct doc *d, size_t i, size_t n,
			       struct buf *b)
{
	buf_reset(b);
	buf_put(b, "", 0);
	for (size_t k = i; k < i + n; k++) {
		if (k > i && fold_is_connector(d->toks[k].key))
			continue;
		if (b->len)
			buf_putc(b, ' ');
		fold_word(b, d->toks[k].key, strlen(d->toks[k].key));
	}
	return b->s;
}

/* Fold key of a free-text name ("Mohammad Bagheri"). */
static char *fold_name(const char *name, struct buf *b)
{
	struct buf key = BUF_INIT;
	const char *p = name;

	buf_reset(b);
	while (*p) {
		size_t n = strcspn(p, " -");

		if (n) {
			buf_reset(&key);
			utf_key(&key, p, n);
			if (!fold_is_connector(key.s)) {
				if (b->len)
					buf_putc(b, ' ');
				fold_word(b, key.s, key.len);
			}
		}
		p += n + (p[n] != '\0');
	}
	buf_free(&key);
	return xstrdup(b->s ? b->s : "");
}

static void collect(struct link *l, struct doc *d)
{
	l->nm = 0;
	for (size_t i = 0; i < d->ntoks; i++) {
		size_t n = d->toks[i].pos == TAG_B ? doc_mention_len(d, i) : 0;

		if (!n)
			continue;
		if (l->nm == l->capm) {
			l->capm = l->capm ? l->capm * 2 : 64;
			l->m = xrealloc(l->m, l->capm * sizeof(*l->m));
		}
		struct mention *m = &l->m[l->nm++];
		m->i = i;
		m->n = n;
		/* Only people are looked up by their fold keys. */
		m->fold = strcmp(d->toks[i].type, "PER") != 0 ? "" :
			  doc_strdup(d, fold_tokens(d, i, n, &l->tmp));
		m->words = 1;
		for (const char *c = m->fold; *c; c++)
			m->words += *c == ' ';
		m->rank = NULL;
		i += n - 1;
	}
}

static int is_type(const struct doc *d, const struct mention *m, const char *t)
{
	return strcmp(d->toks[m->i].type, t) == 0;
}

/* Remember key as a part of mention k unless a longer (or an earlier
 * as long) mention has it already. */
static void put_part(struct link *l, const char *key, size_t k)
{
	size_t old;

	if (strmap_get(&l->parts, key, &old) && l->m[old].words >= l->m[k].words)
		return;
	strmap_put(&l->parts, key, k);
}

/* Index the name parts of every person: the whole name, each ending
 * ("Mirza", "Shamshad Mirza") and each start of two words or more
 * ("Zaheer Ahmad"), each pointing at the longest person having it. */
static void index_parts(struct link *l, const struct doc *d)
{
	strmap_clear(&l->parts);
	for (size_t k = 0; k < l->nm; k++) {
		const char *f = l->m[k].fold;

		if (!is_type(d, &l->m[k], "PER"))
			continue;
		put_part(l, f, k);
		for (const char *c = f; (c = strchr(c, ' ')); c++) {
			put_part(l, c + 1, k);
			buf_reset(&l->tmp);
			buf_put(&l->tmp, f, (size_t)(c - f));
			if (strchr(l->tmp.s, ' '))
				put_part(l, l->tmp.s, k);
		}
	}
}

/* The longest person whose name has the part f, or NULL. */
static const struct mention *person_with(const struct link *l, const char *f)
{
	size_t k;

	return strmap_get(&l->parts, f, &k) ? &l->m[k] : NULL;
}

/* --- 1. acronyms ------------------------------------------------------ */

static int is_acronym(const char *s)
{
	size_t n = strlen(s), upper = 0;

	if (n < 2 || n > 10)
		return 0;
	for (size_t k = 0; k < n; k++) {
		if (s[k] >= 'A' && s[k] <= 'Z')
			upper++;
		else if (!(s[k] >= '0' && s[k] <= '9') && s[k] != '-' && s[k] != '&')
			return 0;
	}
	return upper >= 2;
}

static int is_minor(const char *key)
{
	static const char *const minor[] = { "of", "the", "and", "for", "in",
					     "on", "al", "-", "&", NULL };

	for (int k = 0; minor[k]; k++)
		if (strcmp(key, minor[k]) == 0)
			return 1;
	return 0;
}

/* Do the capitalised words of tokens [i, j) spell acr?  An all-capital
 * word may give all its letters ("US Central Command (USCENTCOM)" is not
 * matched, but "IRGC Navy (IRGCN)" is). */
static int initials_spell(const struct doc *d, size_t i, size_t j, const char *acr)
{
	size_t a = 0;

	for (size_t k = i; k < j; k++) {
		const char *t = d->toks[k].text;
		size_t n = strlen(t);

		if (is_minor(d->toks[k].key))
			continue;
		if (!utf_starts_upper(t))
			return 0;
		if (n > 1 && strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == n &&
		    strncmp(acr + a, t, n) == 0) {
			a += n;
			continue;
		}
		if (acr[a] != t[0])
			return 0;
		a++;
	}
	return acr[a] == '\0';
}

/* Remember acr as a name of type with canonical canon. */
static void define_acronym(struct link *l, struct doc *d, const char *acr,
			   const char *type, const char *canon)
{
	size_t k;

	if (strmap_get(&l->acronyms, acr, &k))
		return;
	if (l->nacr == l->capacr) {
		l->capacr = l->capacr ? l->capacr * 2 : 16;
		l->acr = xrealloc(l->acr, l->capacr * sizeof(*l->acr));
	}
	l->acr[l->nacr].type = doc_strdup(d, type);
	l->acr[l->nacr].canon = doc_strdup(d, canon);
	strmap_put(&l->acronyms, acr, l->nacr++);
}

/* Tag every untagged use of a defined acronym. */
static void tag_acronyms(struct link *l, struct doc *d)
{
	size_t k;

	if (!l->nacr)
		return;
	for (size_t i = 0; i < d->ntoks; i++)
		if (d->toks[i].pos == TAG_O && is_acronym(d->toks[i].text) &&
		    strmap_get(&l->acronyms, d->toks[i].text, &k))
			doc_tag(d, i, 1, l->acr[k].type, l->acr[k].canon,
				"link:acronym", "");
}

/* The words before "(" at tokens [.., p) that could be a long name:
 * capitalised or minor, untagged, on the same line.  Returns the start. */
static size_t name_before(const struct doc *d, size_t p, const char *acr)
{
	for (size_t i = p; i-- > 0;) {
		const struct tok *t = &d->toks[i];

		if (t->pos != TAG_O || (!utf_starts_upper(t->text) && !is_minor(t->key)))
			return p;
		if (utf_starts_upper(t->text) && initials_spell(d, i, p, acr))
			return i;
		if (t->flags & (TOK_SENT | TOK_LINE))
			return p;
	}
	return p;
}

static void link_acronyms(struct link *l, struct doc *d)
{
	strmap_clear(&l->acronyms);
	l->nacr = 0;
	for (size_t k = 2; k + 1 < d->ntoks; k++) {
		struct tok *a = &d->toks[k];

		if (strcmp(d->toks[k - 1].text, "(") || strcmp(d->toks[k + 1].text, ")") ||
		    !is_acronym(a->text))
			continue;
		size_t p = k - 1;
		if (d->toks[p - 1].pos != TAG_O) {
			size_t s = p - 1;

			while (d->toks[s].pos == TAG_I)
				s--;
			const char *type = d->toks[s].type;
			/* Only an acronym of the name itself: "(CJCSC)" after
			 * "Joint Chiefs of Staff Committee" names a role. */
			if ((strcmp(type, "ORG") && strcmp(type, "LOC")) ||
			    !initials_spell(d, s, p, a->text))
				continue;
			define_acronym(l, d, a->text, type, d->toks[s].canon);
			continue;
		}
		size_t s = name_before(d, p, a->text);
		if (s == p || a->pos != TAG_O)
			continue;
		buf_reset(&l->tmp);
		for (size_t t = s; t < p; t++) {
			if (t > s)
				buf_puts(&l->tmp, d->toks[t].gap);
			buf_puts(&l->tmp, d->toks[t].text);
		}
		char *canon = xstrdup(l->tmp.s);
		doc_tag(d, s, p - s, "ORG", canon, "link:acronym", "");
		define_acronym(l, d, a->text, "ORG", canon);
		free(canon);
	}
	tag_acronyms(l, d);
}

/* --- 2. partial names ------------------------------------------------- */

static int is_letters(const char *key)
{
	int32_t cp;

	return *key && utf_decode(key, strlen(key), &cp) > 0 && utf_is_letter(cp);
}

/* The untagged run of capitalised words starting at toks[i]. */
static size_t cap_run(const struct doc *d, size_t i)
{
	size_t n = 0;

	while (i + n < d->ntoks && d->toks[i + n].pos == TAG_O &&
	       utf_starts_upper(d->toks[i + n].text) && is_letters(d->toks[i + n].key) &&
	       (n == 0 || !(d->toks[i + n].flags & (TOK_SENT | TOK_LINE))))
		n++;
	return n;
}

static void link_partials(struct link *l, struct doc *d)
{
	for (size_t i = 0; i < d->ntoks; i++) {
		size_t n = cap_run(d, i);

		if (!n)
			continue;
		const char *f = fold_tokens(d, i, n, &l->tmp);
		const struct mention *m = person_with(l, f);
		size_t from = i;

		/* "Later Munir said": the first word of a sentence may be
		 * capitalised only for being first. */
		if (!m && n > 1 && (d->toks[i].flags & TOK_SENT)) {
			f = fold_tokens(d, i + 1, n - 1, &l->tmp);
			m = person_with(l, f);
			from = i + 1;
		}
		if (m)
			doc_tag(d, from, n - (from - i), "PER", d->toks[m->i].canon,
				"link:partial", "");
		i += n - 1;
	}
}

/* --- 3. canonical names ----------------------------------------------- */

static const char *registry_canon(struct link *l, const char *canon)
{
	char *f = fold_name(canon, &l->tmp);
	size_t k;

	if (!strmap_get(&l->registry, f, &k)) {
		if (l->ncanon == l->capcanon) {
			l->capcanon = l->capcanon ? l->capcanon * 2 : 256;
			l->canon = xrealloc(l->canon, l->capcanon * sizeof(*l->canon));
		}
		k = l->ncanon++;
		l->canon[k] = xstrdup(canon);
		strmap_put(&l->registry, f, k);
	}
	free(f);
	return l->canon[k];
}

static void link_canon(struct link *l, struct doc *d)
{
	for (size_t k = 0; k < l->nm; k++) {
		struct mention *m = &l->m[k];
		struct tok *t = &d->toks[m->i];

		if (!is_type(d, m, "PER"))
			continue;
		/* The longest full name in the document this one is part of. */
		const struct mention *best = person_with(l, m->fold);

		if (best && best != m)
			t->canon = d->toks[best->i].canon;
		if (l->cross_doc)
			t->canon = doc_strdup(d, registry_canon(l, t->canon));
	}
}

/* --- 4. ranks ---------------------------------------------------------- */

static const char *rank_attrs(struct link *l, struct doc *d, const struct tok *r)
{
	const char *a = r->attrs, *full = NULL, *nato = NULL;
	size_t fl = 0, nl = 0;

	while (*a) {
		size_t n = strcspn(a, ";");

		if (n > 5 && strncmp(a, "full=", 5) == 0)
			full = a + 5, fl = n - 5;
		else if (n > 5 && strncmp(a, "nato=", 5) == 0)
			nato = a + 5, nl = n - 5;
		a += n + (a[n] == ';');
	}
	buf_reset(&l->tmp);
	buf_puts(&l->tmp, "rank=");
	if (full)
		buf_put(&l->tmp, full, fl);
	else
		buf_puts(&l->tmp, r->canon);
	if (nato) {
		buf_puts(&l->tmp, ";nato=");
		buf_put(&l->tmp, nato, nl);
	}
	return doc_strdup(d, l->tmp.s);
}

/* Does a rank ending at token end stand right before a name at token
 * name: next to it, or with a short bracket such as "(retd)" or
 * "(retd.)" between? */
static int rank_before(const struct doc *d, size_t end, size_t name)
{
	return end == name ||
	       (name >= end + 3 && name <= end + 4 &&
		strcmp(d->toks[end].text, "(") == 0 &&
		strcmp(d->toks[name - 1].text, ")") == 0);
}

/* attrs with its rank= and nato= pairs replaced by those of rank. */
static const char *with_rank(struct link *l, struct doc *d, const char *attrs,
			     const char *rank)
{
	const char *a = attrs;

	buf_reset(&l->tmp);
	buf_puts(&l->tmp, rank);
	while (*a) {
		size_t n = strcspn(a, ";");

		if (n && strncmp(a, "rank=", 5) != 0 && strncmp(a, "nato=", 5) != 0) {
			buf_putc(&l->tmp, ';');
			buf_put(&l->tmp, a, n);
		}
		a += n + (a[n] == ';');
	}
	return doc_strdup(d, l->tmp.s);
}

static void link_ranks(struct link *l, struct doc *d)
{
	strmap_clear(&l->ranks);
	for (size_t k = 0; k < l->nm; k++) {
		struct mention *m = &l->m[k];

		if (!is_type(d, m, "PER"))
			continue;
		const char *canon = d->toks[m->i].canon;
		size_t j;

		if (k > 0 && is_type(d, &l->m[k - 1], "RANK") &&
		    rank_before(d, l->m[k - 1].i + l->m[k - 1].n, m->i))
			m->rank = rank_attrs(l, d, &d->toks[l->m[k - 1].i]);
		if (m->rank)
			strmap_put(&l->ranks, canon, k);
		else if (strmap_get(&l->ranks, canon, &j))
			m->rank = l->m[j].rank;
		if (m->rank)
			d->toks[m->i].attrs = with_rank(l, d, d->toks[m->i].attrs,
							 m->rank);
	}
}

static int link_run(void *state, struct doc *d, FILE *out)
{
	struct link *l = state;

	(void)out;
	link_acronyms(l, d);
	collect(l, d);
	index_parts(l, d);
	link_partials(l, d);
	collect(l, d);
	index_parts(l, d);
	link_canon(l, d);
	link_ranks(l, d);
	return EX_OK;
}

static void link_free(void *state)
{
	struct link *l = state;

	if (!l)
		return;
	free(l->m);
	for (size_t k = 0; k < l->ncanon; k++)
		free(l->canon[k]);
	free(l->canon);
	free(l->acr);
	strmap_free(&l->registry);
	strmap_free(&l->parts);
	strmap_free(&l->acronyms);
	strmap_free(&l->ranks);
	buf_free(&l->tmp);
	free(l);
}

static int link_init(int argc, char **argv, int *argind, void **state)
{
	static const struct option longopts[] = {
		{ "per-document", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct link *l = xcalloc(1, sizeof(*l));
	int c;

	l->cross_doc = 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+dhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			l->cross_doc = 0;
			break;
		default:
			link_free(l);
			return stage_common_option(&stage_link, c);
		}
	}
	*argind = optind;
	*state = l;
	return EX_OK;
}

const struct stage_ops stage_link = {
	.name = "ner-link",
	.summary = "Link partial names and acronyms to full ones, give people "
		   "their ranks and one canonical name per entity.",
	.args = "[STREAM...]",
	.options = "  -d, --per-document  do not share canonical names across documents\n",
	.init = link_init,
	.run = link_run,
	.free = link_free,
};
