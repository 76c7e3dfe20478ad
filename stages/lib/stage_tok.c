/* stage_tok.c - ner-tok: split each document's #text into tokens. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "buf.h"
#include "diag.h"
#include "stage.h"
#include "tokenize.h"

struct tok_stage {
	struct buf text;
	/* Holds the previous document's tokens and lines while d is
	 * rebuilt, and their storage for reuse afterwards. */
	struct doc *old;
};

/* Tokenise the text gathered so far and keep its trailing whitespace.
 * Returns 0, or -1 if d cannot hold it. */
static int flush(struct doc *d, struct tokenize_state *st, struct buf *text)
{
	if (text->len == 0)
		return 0;
	size_t rest = tokenize_text(d, st, text->s, text->len);

	if (rest == SIZE_MAX ||
	    (rest && doc_add_text(d, text->s + text->len - rest, rest) < 0))
		return -1;
	buf_reset(text);
	return 0;
}

/* Rebuild d's token and line arrays: runs of #text become tokens, all
 * else (tokens from an earlier run, other directives) stays in place. */
static int tok_run(void *state, struct doc *d, FILE *out)
{
	struct tok_stage *ts = state;
	struct doc *old = ts->old;
	struct tokenize_state st;
	size_t li = 0, n;
	int err = 0;

	(void)out;
	doc_rebuild_begin(d, old);
	tokenize_begin(&st);
	buf_reset(&ts->text);
	for (size_t i = 0; i <= old->ntoks && !err; i++) {
		for (; li < old->nlines && old->lines[li].before <= i && !err; li++) {
			if (old->lines[li].kind == DL_TEXT) {
				const char *s = doc_line_text(old, &old->lines[li], &n);

				buf_put(&ts->text, s, n);
				continue;
			}
			err = flush(d, &st, &ts->text) || doc_copy_line(d, old, li);
		}
		if (i == old->ntoks || err)
			break;
		err = flush(d, &st, &ts->text) || doc_copy_tok(d, old, i);

		const struct tok *t = &old->toks[i];
		const char *text = tok_text(old, t);

		st.offset = tok_end(old, t);
		st.line_start = st.sent_start = 0;
		st.after_final = strchr(".!?", text[0]) && !text[1];
	}
	if (!err)
		err = flush(d, &st, &ts->text);
	doc_rebuild_end(old);
	if (err) {
		diag_warn("%s: document too large", d->id);
		return EX_DATAERR;
	}
	return EX_OK;
}

static int tok_init(int argc, char **argv, int *argind, void **state)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct tok_stage *ts;
	int c;

	optind = 1;
	if ((c = getopt_long(argc, argv, "+hV", longopts, NULL)) != -1)
		return stage_common_option(&stage_tok, c);
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

const struct stage_ops stage_tok = {
	.name = "ner-tok",
	.summary = "Split document text into sentences and tokens, each with "
		   "its offsets and match key.",
	.args = "[STREAM...]",
	.options = "",
	.init = tok_init,
	.run = tok_run,
	.free = tok_free,
};
