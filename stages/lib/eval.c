/* eval.c - exact and partial precision, recall and F1 of entity spans. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "alloc.h"
#include "buf.h"
#include "err.h"
#include "eval.h"

static int cmp_span(const void *pa, const void *pb)
{
	const struct eval_span *a = pa, *b = pb;
	int c = strcmp(a->doc, b->doc);

	if (c)
		return c;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	return strcmp(a->type, b->type);
}

static int column(char **names, size_t n, const char *want)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(names[i], want) == 0)
			return (int)i;
	return -1;
}

/* Split s at TABs in place; at most max fields. */
static size_t split(char *s, char **f, size_t max)
{
	size_t k = 0;

	while (k < max) {
		f[k++] = s;
		s = strchr(s, '\t');
		if (!s)
			break;
		*s++ = '\0';
	}
	return k;
}

static int type_wanted(const char *types, const char *t)
{
	size_t n = strlen(t);

	for (const char *p = types; p && *p;) {
		size_t len = strcspn(p, ",");

		if (len == n && strncasecmp(p, t, n) == 0)
			return 1;
		p += len + (p[len] == ',');
	}
	return !types || !*types;
}

static void add_span(struct eval_set *s, const char *doc, long start, long end,
		     const char *type)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->spans = xrealloc(s->spans, s->cap * sizeof(*s->spans));
	}
	struct eval_span *sp = &s->spans[s->n++];

	sp->doc = xstrdup(doc);
	sp->start = start;
	sp->end = end;
	snprintf(sp->type, sizeof(sp->type), "%s", type);
	for (char *c = sp->type; *c; c++)
		if (*c >= 'a' && *c <= 'z')
			*c = (char)(*c - 32);
}

static void dedup(struct eval_set *s)
{
	size_t k = 0;

	qsort(s->spans, s->n, sizeof(*s->spans), cmp_span);
	for (size_t i = 0; i < s->n; i++) {
		if (k && cmp_span(&s->spans[k - 1], &s->spans[i]) == 0) {
			free(s->spans[i].doc);
			continue;
		}
		s->spans[k++] = s->spans[i];
	}
	s->n = k;
}

int eval_load(struct eval_set *s, FILE *fp, const char *path,
	      const char *types, struct err *e)
{
	struct buf line = BUF_INIT, head = BUF_INIT;
	char *names[64], *f[64];
	size_t nnames = 0, lineno = 1;
	int col[4], ret = 0;

	ssize_t got;

	memset(s, 0, sizeof(*s));
	if ((got = buf_getline(&head, fp)) <= 0) {
		if (got < 0)
			goto out_read;
		goto out;	/* an empty file has no spans */
	}
	head.s[strcspn(head.s, "\r\n")] = '\0';
	nnames = split(head.s, names, 64);
	col[0] = column(names, nnames, "doc");
	col[1] = column(names, nnames, "start");
	col[2] = column(names, nnames, "end");
	col[3] = column(names, nnames, "type");
	for (int i = 0; i < 4; i++)
		if (col[i] < 0) {
			ret = err_set(e, EX_DATAERR, "%s:1: header lacks column '%s'",
				      path, (const char *[]){ "doc", "start", "end",
							     "type" }[i]);
			goto out;
		}
	while ((got = buf_getline(&line, fp)) > 0) {
		char *end1, *end2;

		lineno++;
		line.s[strcspn(line.s, "\r\n")] = '\0';
		if (!line.s[0] || line.s[0] == '#')
			continue;
		size_t n = split(line.s, f, 64);
		int need = col[0] > col[1] ? col[0] : col[1];
		need = need > col[2] ? need : col[2];
		need = need > col[3] ? need : col[3];
		long a = n > (size_t)need ? strtol(f[col[1]], &end1, 10) : 0;
		long b = n > (size_t)need ? strtol(f[col[2]], &end2, 10) : 0;
		if (n <= (size_t)need || *end1 || *end2 || a < 0 || b < a) {
			ret = err_set(e, EX_DATAERR, "%s:%zu: bad row", path, lineno);
			goto out;
		}
		if (strlen(f[col[3]]) > EVAL_TYPE_MAX) {
			ret = err_set(e, EX_DATAERR, "%s:%zu: type longer than %d "
				      "characters", path, lineno, EVAL_TYPE_MAX);
			goto out;
		}
		if (type_wanted(types, f[col[3]]))
			add_span(s, f[col[0]], a, b, f[col[3]]);
	}
	if (got < 0)
		goto out_read;
	dedup(s);
	goto out;
out_read:
	ret = err_set(e, EX_DATAERR, "%s: read error:", path);
out:
	buf_free(&line);
	buf_free(&head);
	return ret;
}

void eval_set_free(struct eval_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->spans[i].doc);
	free(s->spans);
	memset(s, 0, sizeof(*s));
}

static int has_doc(const struct eval_set *gold, const char *doc)
{
	size_t lo = 0, hi = gold->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(gold->spans[mid].doc, doc);

		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

struct tally {
	char type[EVAL_TYPE_MAX + 1];
	size_t gold, pred, tp, ptp;
};

/* The tally of type in *t (grown as needed), *n of them so far. */
static struct tally *tally_for(struct tally **t, size_t *n, const char *type)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*t)[i].type, type) == 0)
			return &(*t)[i];
	*t = xrealloc(*t, (*n + 1) * sizeof(**t));
	memset(&(*t)[*n], 0, sizeof(**t));
	snprintf((*t)[*n].type, sizeof((*t)[*n].type), "%s", type);
	return &(*t)[(*n)++];
}

static int cmp_tally(const void *a, const void *b)
{
	return strcmp(((const struct tally *)a)->type, ((const struct tally *)b)->type);
}

static void prf(size_t tp, size_t np, size_t ng, double *p, double *r, double *f)
{
	*p = np ? (double)tp / (double)np : 0.0;
	*r = ng ? (double)tp / (double)ng : 0.0;
	*f = *p + *r > 0 ? 2 * *p * *r / (*p + *r) : 0.0;
}

static void row(FILE *out, const char *name, size_t ng, size_t np, size_t tp,
		size_t ptp)
{
	double p, r, f, pp, pr, pf;

	prf(tp, np, ng, &p, &r, &f);
	prf(ptp, np, ng, &pp, &pr, &pf);
	fprintf(out, "%-6s %5zu %5zu %6.3f %6.3f %6.3f   %6.3f %6.3f %6.3f\n",
		name, ng, np, p, r, f, pp, pr, pf);
}

/* Exact hits by merging the two sorted sets; partial hits greedily: each
 * prediction, in order, takes the first unused overlapping gold span of
 * its document and type. */
static void count(struct eval_set *gold, struct eval_set *pred,
		  struct tally **t, size_t *nt, char *gold_hit, char *pred_hit)
{
	char *used = xcalloc(gold->n ? gold->n : 1, 1);

	for (size_t i = 0; i < gold->n; i++)
		tally_for(t, nt, gold->spans[i].type)->gold++;
	for (size_t j = 0, i = 0; j < pred->n; j++) {
		const struct eval_span *p = &pred->spans[j];
		struct tally *tt = tally_for(t, nt, p->type);

		tt->pred++;
		while (i < gold->n && cmp_span(&gold->spans[i], p) < 0)
			i++;
		if (i < gold->n && cmp_span(&gold->spans[i], p) == 0) {
			tt->tp++;
			gold_hit[i] = pred_hit[j] = 1;
		}
		for (size_t g = 0; g < gold->n; g++) {
			const struct eval_span *s = &gold->spans[g];

			if (!used[g] && strcmp(s->doc, p->doc) == 0 &&
			    strcmp(s->type, p->type) == 0 && s->start < p->end &&
			    p->start < s->end) {
				used[g] = 1;
				tt->ptp++;
				break;
			}
		}
	}
	free(used);
}

double eval_report(struct eval_set *gold, struct eval_set *pred, int errors,
		   FILE *out)
{
	struct tally *t = NULL;
	size_t nt = 0, k = 0, sum[4] = { 0, 0, 0, 0 };
	char *gold_hit = xcalloc(gold->n + 1, 1), *pred_hit;
	double p, r, f;

	for (size_t i = 0; i < pred->n; i++) {
		if (has_doc(gold, pred->spans[i].doc))
			pred->spans[k++] = pred->spans[i];
		else
			free(pred->spans[i].doc);
	}
	pred->n = k;
	pred_hit = xcalloc(pred->n + 1, 1);
	count(gold, pred, &t, &nt, gold_hit, pred_hit);
	qsort(t, nt, sizeof(*t), cmp_tally);
	fprintf(out, "%-6s %5s %5s %6s %6s %6s   %6s %6s %6s\n", "type", "gold",
		"pred", "P", "R", "F1", "P~", "R~", "F1~");
	for (size_t i = 0; i < nt; i++) {
		row(out, t[i].type, t[i].gold, t[i].pred, t[i].tp, t[i].ptp);
		sum[0] += t[i].gold;
		sum[1] += t[i].pred;
		sum[2] += t[i].tp;
		sum[3] += t[i].ptp;
	}
	row(out, "micro", sum[0], sum[1], sum[2], sum[3]);
	for (size_t i = 0; errors && i < gold->n; i++)
		if (!gold_hit[i])
			fprintf(out, "FN\t%s\t%ld\t%ld\t%s\n", gold->spans[i].doc,
				gold->spans[i].start, gold->spans[i].end,
				gold->spans[i].type);
	for (size_t i = 0; errors && i < pred->n; i++)
		if (!pred_hit[i])
			fprintf(out, "FP\t%s\t%ld\t%ld\t%s\n", pred->spans[i].doc,
				pred->spans[i].start, pred->spans[i].end,
				pred->spans[i].type);
	prf(sum[2], sum[1], sum[0], &p, &r, &f);
	fprintf(out, "micro F1 exact %.3f\n", f);
	free(gold_hit);
	free(pred_hit);
	free(t);
	return f;
}
