/* stage_tok.c - ner-tok: split each document's #text into tokens. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "alloc.h"
#include "buf.h"
#include "diag.h"
#include "stage.h"
#include "tokenize.h"

struct tok_stage {
	/* The #text run being gathered: bytes [from, from + len) of the
	 * document's old store while its chunks lie end to end there (as
	 * the stream reader and ner-norm leave them), else a copy in text
	 * (copy set). */
	size_t from, len;
	int copy;
	struct buf text;
	/* Holds the previous document's tokens and lines while d is
	 * rebuilt, and their storage for reuse afterwards. */
	struct doc *old;
};

/* Add the #text chunk s[0..n), at offset off of old's store, to the run. */
static void gather(struct tok_stage *ts, const char *s, size_t n, size_t off)
{
	if (ts->len == 0 && !ts->copy) {
		ts->from = off;
		ts->len = n;
		return;
	}
	if (!ts->copy && off == ts->from + ts->len) {
		ts->len += n;
		return;
	}
	if (!ts->copy) {
		buf_reset(&ts->text);
		buf_put(&ts->text, ts->old->store.s + ts->from, ts->len);
		ts->copy = 1;
	}
	buf_put(&ts->text, s, n);
}

/* Tokenise the run gathered so far and keep its trailing whitespace.
 * Returns 0, or -1 if d cannot hold it. */
static int flush(struct tok_stage *ts, struct doc *d, struct tokenize_state *st)
{
	size_t n = ts->copy ? ts->text.len : ts->len;

	if (n == 0) {
		ts->copy = 0;
		return 0;	/* and an empty store may have no buffer */
	}
	const char *s = ts->copy ? ts->text.s : ts->old->store.s + ts->from;

	ts->len = 0;
	ts->copy = 0;
	size_t rest = tokenize_text(d, st, s, n);

	if (rest == SIZE_MAX || (rest && doc_add_text(d, s + n - rest, rest) < 0))
		return -1;
	return 0;
}

/* Rebuild d's token and line arrays: runs of #text become tokens, all
 * else (tokens from an earlier run, other directives) stays in place. */
static int tok_run(void *state, struct doc *d, FILE *out)
{
	struct tok_stage *ts = state;
	struct doc *old = ts->old;
	struct tokenize_state st;
	struct doc_part part;
	size_t li = 0, n;
	int err = 0;

	(void)out;
	if (doc_part(d, &part) < 0) {
		diag_warn("%s: bad #meta part, part_start or part_sentence", d->id);
		return EX_DATAERR;
	}
	doc_rebuild_begin(d, old);
	tokenize_begin(&st);
	/* A later part of a long document goes on where the one before
	 * stopped: its first token is on the same line, unless the white
	 * space it starts with says otherwise. */
	if (part.n > 1) {
		st.offset = part.start;
		st.line_start = st.sent_start = 0;
		st.after_final = part.sentence;
	}
	ts->len = 0;
	ts->copy = 0;
	for (size_t i = 0; i <= old->ntoks && !err; i++) {
		for (; li < old->nlines && old->lines[li].before <= i && !err; li++) {
			if (old->lines[li].kind == DL_TEXT) {
				const char *s = doc_line_text(old, &old->lines[li], &n);

				gather(ts, s, n, (size_t)(s - old->store.s));
				continue;
			}
			err = flush(ts, d, &st) || doc_copy_line(d, old, li);
		}
		if (i == old->ntoks || err)
			break;
		err = flush(ts, d, &st) || doc_copy_tok(d, old, i);

		const struct tok *t = &old->toks[i];
		const char *text = tok_text(old, t);

		st.offset = tok_end(old, t);
		st.line_start = st.sent_start = 0;
		st.after_final = strchr(".!?", text[0]) && !text[1];
	}
	if (!err)
		err = flush(ts, d, &st);
	doc_rebuild_end(old);
	if (ts->text.cap > DOC_KEEP_BYTES)
		buf_free(&ts->text);
	if (err) {
		diag_warn("%s: document larger than the 4 GiB a document may be",
			  d->id);
		return EX_DATAERR;
	}
	return EX_OK;
}

static int tok_init(int argc, char **argv, int *argind, void **state)
{
	struct tok_stage *ts;
	int c;

	opt_start();
	if ((c = opt_next(&stage_tok.cli, argc, argv)) != -1)
		return stage_opt_status(c);
	*argind = optind;
	ts = xcalloc(1, sizeof(*ts));
	ts->old = doc_new();
	*state = ts;
	return EX_OK;
}

static void tok_free(void *state)
{
	struct tok_stage *ts = state;

	if (!ts)
		return;
	buf_free(&ts->text);
	doc_free(ts->old);
	free(ts);
}

static const struct opt tok_opts[] = {
	{ NULL, 0, NULL, NULL },
};

const struct stage_ops stage_tok = {
	.cli = {
		.name = "ner-tok",
		.usage = "[options] [STREAM...]",
		.about = "Split document text into sentences and tokens, each with\n"
			 "its offsets and match key.\n",
		.opts = tok_opts,
		.footer = "See ner-tok(1).\n",
		.in_order = 1,
	},
	.init = tok_init,
	.run = tok_run,
	.free = tok_free,
};
