/* stage_link.c - ner-link: one entity behind many mentions.
 *
 * Per document, in order:
 *   1. acronyms: "Long Name (ACR)" tags ACR like the name, and later bare
 *      ACR tokens too; untagged capitalised words whose initials spell
 *      ACR become an ORG with it;
 *   2. partial names: an untagged run of capitalised words that is the
 *      end (or a two-word start) of a person named earlier is that person;
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
#include "utf.h"

/* One mention in the document being linked. */
struct mention {
	size_t i, n;		/* tokens */
	char *fold;		/* fold keys of its words, ' '-joined */
	const char *rank;	/* "rank=...;nato=..." or NULL */
};

/* fold key -> canonical name, for the whole run. */
struct canon_entry {
	char *fold, *canon;
};

struct link {
	int cross_doc;
	struct canon_entry *canon;
	size_t ncanon, capcanon;
	struct mention *m;
	size_t nm, capm;
	struct buf tmp;
};

static int starts_upper(const char *s)
{
	int32_t cp;

	return *s && utf_decode(s, strlen(s), &cp) > 0 && utf_is_upper(cp);
}

/* Fold keys of tokens [i, i+n), space-joined, connectors left out. */
static char *fold_tokens(const struct doc *d, size_t i, size_t n, struct buf *b)
{
	buf_reset(b);
	for (size_t k = i; k < i + n; k++) {
		if (k > i && fold_is_connector(d->toks[k].key))
			continue;
		if (b->len)
			buf_putc(b, ' ');
		fold_word(b, d->toks[k].key, strlen(d->toks[k].key));
	}
	return xstrdup(b->s ? b->s : "");
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

static void collect(struct link *l, const struct doc *d)
{
	for (size_t k = 0; k < l->nm; k++)
		free(l->m[k].fold);
	l->nm = 0;
	for (size_t i = 0; i < d->ntoks; i++) {
		size_t n = doc_mention_len(d, i);

		if (!n)
			continue;
		if (l->nm == l->capm) {
			l->capm = l->capm ? l->capm * 2 : 64;
			l->m = xrealloc(l->m, l->capm * sizeof(*l->m));
		}
		struct mention *m = &l->m[l->nm++];
		m->i = i;
		m->n = n;
		m->fold = fold_tokens(d, i, n, &l->tmp);
		m->rank = NULL;
		i += n - 1;
	}
}

static int is_type(const struct doc *d, const struct mention *m, const char *t)
{
	return strcmp(d->toks[m->i].type, t) == 0;
}

/* Is the word sequence a (space-separated) a suffix of b, or a prefix of
 * at least two words? */
static int part_of(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la >= lb)
		return 0;
	if (strcmp(b + lb - la, a) == 0 && b[lb - la - 1] == ' ')
		return 1;
	return strchr(a, ' ') && strncmp(a, b, la) == 0 && b[la] == ' ';
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
		if (!starts_upper(t))
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

static void tag_bare(struct doc *d, const char *acr, const char *type,
		     const char *canon)
{
	for (size_t k = 0; k < d->ntoks; k++)
		if (d->toks[k].pos == TAG_O && strcmp(d->toks[k].text, acr) == 0)
			doc_tag(d, k, 1, type, canon, "link:acronym", "");
}

/* The words before "(" at tokens [.., p) that could be a long name:
 * capitalised or minor, untagged, on the same line.  Returns the start. */
static size_t name_before(const struct doc *d, size_t p, const char *acr)
{
	for (size_t i = p; i-- > 0;) {
		const struct tok *t = &d->toks[i];

		if (t->pos != TAG_O || (!starts_upper(t->text) && !is_minor(t->key)))
			return p;
		if (starts_upper(t->text) && initials_spell(d, i, p, acr))
			return i;
		if (t->flags & (TOK_SENT | TOK_LINE))
			return p;
	}
	return p;
}

static void link_acronyms(struct link *l, struct doc *d)
{
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
			if (a->pos == TAG_O)
				doc_tag(d, k, 1, type, d->toks[s].canon,
					"link:acronym", "");
			tag_bare(d, a->text, type, d->toks[s].canon);
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
		doc_tag(d, k, 1, "ORG", canon, "link:acronym", "");
		tag_bare(d, a->text, "ORG", canon);
		free(canon);
	}
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
	       starts_upper(d->toks[i + n].text) && is_letters(d->toks[i + n].key) &&
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
		char *f = fold_tokens(d, i, n, &l->tmp);
		for (size_t k = 0; k < l->nm; k++) {
			const struct mention *m = &l->m[k];

			if (is_type(d, m, "PER") && m->n > n && part_of(f, m->fold)) {
				doc_tag(d, i, n, "PER", d->toks[m->i].canon,
					"link:partial", "");
				break;
			}
		}
		free(f);
		i += n - 1;
	}
}

/* --- 3. canonical names ----------------------------------------------- */

static const char *registry_canon(struct link *l, const char *canon)
{
	char *f = fold_name(canon, &l->tmp);

	for (size_t k = 0; k < l->ncanon; k++)
		if (strcmp(l->canon[k].fold, f) == 0) {
			free(f);
			return l->canon[k].canon;
		}
	if (l->ncanon == l->capcanon) {
		l->capcanon = l->capcanon ? l->capcanon * 2 : 256;
		l->canon = xrealloc(l->canon, l->capcanon * sizeof(*l->canon));
	}
	l->canon[l->ncanon].fold = f;
	l->canon[l->ncanon].canon = xstrdup(canon);
	return l->canon[l->ncanon++].canon;
}

static void link_canon(struct link *l, struct doc *d)
{
	for (size_t k = 0; k < l->nm; k++) {
		struct mention *m = &l->m[k];
		struct tok *t = &d->toks[m->i];

		if (!is_type(d, m, "PER"))
			continue;
		/* The longest earlier-or-later full name this one is part of. */
		const struct mention *best = NULL;
		for (size_t j = 0; j < l->nm; j++)
			if (j != k && is_type(d, &l->m[j], "PER") &&
			    part_of(m->fold, l->m[j].fold) &&
			    (!best || l->m[j].n > best->n))
				best = &l->m[j];
		if (best)
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
 * name: next to it, or with "(retd)" between? */
static int rank_before(const struct doc *d, size_t end, size_t name)
{
	return end == name ||
	       (end + 3 == name && strcmp(d->toks[end].text, "(") == 0 &&
		strcmp(d->toks[end + 2].text, ")") == 0);
}

static void link_ranks(struct link *l, struct doc *d)
{
	for (size_t k = 0; k < l->nm; k++) {
		struct mention *m = &l->m[k];

		if (!is_type(d, m, "PER"))
			continue;
		if (k > 0 && is_type(d, &l->m[k - 1], "RANK") &&
		    rank_before(d, l->m[k - 1].i + l->m[k - 1].n, m->i))
			m->rank = rank_attrs(l, d, &d->toks[l->m[k - 1].i]);
		for (size_t j = k; !m->rank && j-- > 0;)
			if (l->m[j].rank &&
			    strcmp(d->toks[l->m[j].i].canon, d->toks[m->i].canon) == 0)
				m->rank = l->m[j].rank;
		if (m->rank)
			d->toks[m->i].attrs = m->rank;
	}
}

static int link_run(void *state, struct doc *d, FILE *out)
{
	struct link *l = state;

	(void)out;
	link_acronyms(l, d);
	collect(l, d);
	link_partials(l, d);
	collect(l, d);
	link_canon(l, d);
	link_ranks(l, d);
	return EX_OK;
}

static void link_free(void *state)
{
	struct link *l = state;

	if (!l)
		return;
	for (size_t k = 0; k < l->nm; k++)
		free(l->m[k].fold);
	free(l->m);
	for (size_t k = 0; k < l->ncanon; k++) {
		free(l->canon[k].fold);
		free(l->canon[k].canon);
	}
	free(l->canon);
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
		case 'h':
			stage_usage(stdout, &stage_link, "[STREAM...]",
				    "  -d, --per-document  do not share canonical names across documents\n");
			link_free(l);
			return STAGE_DONE;
		case 'V':
			printf("%s %s\n", stage_link.name, NERPIPE_VERSION);
			link_free(l);
			return STAGE_DONE;
		default:
			fprintf(stderr, "Try '%s --help'.\n", stage_link.name);
			link_free(l);
			return EX_USAGE;
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
	.init = link_init,
	.run = link_run,
	.free = link_free,
};
