/* stage_tsv.c - ner-tsv: the analyst TSV, one row per mention. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "buf.h"
#include "diag.h"
#include "stage.h"
#include "stream.h"

struct tsv {
	char **meta;		/* extra columns from #meta keys */
	size_t nmeta;
	char *meta_arg;
	int header, header_done, text_mode;
	struct buf surface, val;
};

/* Value of key in "k=v;k=v" attrs into out (empty if absent). */
static void attr_get(const char *attrs, const char *key, struct buf *out)
{
	size_t klen = strlen(key);
	const char *p = attrs;

	buf_reset(out);
	while (*p) {
		size_t n = strcspn(p, ";");

		if (n > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
			buf_put(out, p + klen + 1, n - klen - 1);
			return;
		}
		p += n + (p[n] == ';');
	}
}

static void put_header(struct tsv *t, FILE *out)
{
	if (!t->header || t->header_done)
		return;
	fputs("doc\tstart\tend\ttype\ttext\tcanonical\tsource\trank\tnato", out);
	for (size_t k = 0; k < t->nmeta; k++) {
		putc('\t', out);
		stream_puts_escaped(out, t->meta[k]);
	}
	putc('\n', out);
	t->header_done = 1;
}

static void put_field(FILE *out, const char *s)
{
	putc('\t', out);
	stream_puts_escaped(out, s);
}

static void put_row(struct tsv *t, const struct doc *d, size_t i, size_t n,
		    FILE *out)
{
	const struct tok *first = &d->toks[i], *last = &d->toks[i + n - 1];

	buf_reset(&t->surface);
	buf_puts(&t->surface, first->text);
	for (size_t k = 1; k < n; k++) {
		buf_puts(&t->surface, d->toks[i + k].gap);
		buf_puts(&t->surface, d->toks[i + k].text);
	}
	stream_puts_escaped(out, d->id);
	putc('\t', out);
	stream_put_u64(out, first->start);
	putc('\t', out);
	stream_put_u64(out, last->end);
	putc('\t', out);
	fputs(first->type, out);
	put_field(out, t->surface.s);
	put_field(out, first->canon);
	put_field(out, first->source);
	attr_get(first->attrs, strcmp(first->type, "RANK") == 0 ? "full" : "rank",
		 &t->val);
	put_field(out, t->val.s ? t->val.s : "");
	attr_get(first->attrs, "nato", &t->val);
	put_field(out, t->val.s ? t->val.s : "");
	for (size_t k = 0; k < t->nmeta; k++) {
		const char *v = doc_meta(d, t->meta[k]);

		put_field(out, v ? v : "");
	}
	putc('\n', out);
}

static int tsv_run(void *state, struct doc *d, FILE *out)
{
	struct tsv *t = state;

	if (t->text_mode) {
		doc_text(d, &t->surface);
		fwrite(t->surface.s ? t->surface.s : "", 1, t->surface.len, out);
		return EX_OK;
	}
	put_header(t, out);
	for (size_t i = 0; i < d->ntoks; i++) {
		size_t n = doc_mention_len(d, i);

		if (n) {
			put_row(t, d, i, n, out);
			i += n - 1;
		}
	}
	return EX_OK;
}

static int tsv_finish(void *state, FILE *out)
{
	struct tsv *t = state;

	if (!t->text_mode)
		put_header(t, out);
	return ferror(out) ? EX_IOERR : EX_OK;
}

static void tsv_free(void *state)
{
	struct tsv *t = state;

	if (!t)
		return;
	free(t->meta);
	free(t->meta_arg);
	buf_free(&t->surface);
	buf_free(&t->val);
	free(t);
}

/* "url,date" -> two column names. */
static int parse_meta(struct tsv *t, const char *arg)
{
	free(t->meta_arg);
	free(t->meta);
	t->meta_arg = xstrdup(arg);
	t->meta = NULL;
	t->nmeta = 0;
	for (char *save = NULL, *k = strtok_r(t->meta_arg, ",", &save); k;
	     k = strtok_r(NULL, ",", &save)) {
		if (strpbrk(k, "\t\n\\") || !*k)
			return -1;
		t->meta = xrealloc(t->meta, (t->nmeta + 1) * sizeof(*t->meta));
		t->meta[t->nmeta++] = k;
	}
	return t->nmeta ? 0 : -1;
}

static int tsv_init(int argc, char **argv, int *argind, void **state)
{
	static const struct option longopts[] = {
		{ "meta", required_argument, NULL, 'm' },
		{ "no-header", no_argument, NULL, 'H' },
		{ "text", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct tsv *t = xcalloc(1, sizeof(*t));
	int c, st = EX_OK;

	t->header = 1;
	optind = 1;
	while (st == EX_OK &&
	       (c = getopt_long(argc, argv, "+m:HthV", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (parse_meta(t, optarg) < 0) {
				diag_warn("--meta: want KEY[,KEY...], e.g. url,date");
				st = EX_USAGE;
			}
			break;
		case 'H':
			t->header = 0;
			break;
		case 't':
			t->text_mode = 1;
			break;
		default:
			st = stage_common_option(&stage_tsv, c);
		}
	}
	if (st != EX_OK) {
		tsv_free(t);
		return st;
	}
	*argind = optind;
	*state = t;
	return EX_OK;
}

const struct stage_ops stage_tsv = {
	.name = "ner-tsv",
	.summary = "Write one TSV row per mention: doc, offsets, type, text, "
		   "canonical name, source, rank.",
	.args = "[STREAM...]",
	.options = "  -m, --meta KEYS  add columns from #meta keys, e.g. url,date\n"
		   "  -H, --no-header  leave out the header line\n"
		   "  -t, --text       print each document's text instead\n",
	.init = tsv_init,
	.run = tsv_run,
	.finish = tsv_finish,
	.free = tsv_free,
	.tail = 1,
};
