/* stage_tok.c - ner-tok: split each document's #text into tokens. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "alloc.h"
#include "buf.h"
#include "stage.h"
#include "tokenize.h"

struct tok_stage {
	struct buf text;
	/* The arrays of the previous document, reused so that a long stream
	 * does not grow new ones for every document. */
	struct tok *spare_toks;
	size_t spare_captoks;
	struct dline *spare_lines;
	size_t spare_caplines;
};

/* Tokenise the text gathered so far and keep its trailing whitespace. */
static void flush(struct doc *d, struct tokenize_state *st, struct buf *text)
{
	if (text->len == 0)
		return;
	size_t rest = tokenize_text(d, st, text->s, text->len);

	if (rest)
		doc_add_text(d, text->s + text->len - rest, rest);
	buf_reset(text);
}

/* Rebuild d's token and line arrays: runs of #text become tokens, all
 * else (tokens from an earlier run, other directives) stays in place. */
static int tok_run(void *state, struct doc *d, FILE *out)
{
	struct tok_stage *ts = state;
	struct tok *old = d->toks;
	struct dline *lines = d->lines;
	size_t ntoks = d->ntoks, nlines = d->nlines, li = 0;
	size_t oldcap = d->captoks, oldcaplines = d->caplines;
	struct tokenize_state st;

	(void)out;
	d->toks = ts->spare_toks;
	d->captoks = ts->spare_captoks;
	d->lines = ts->spare_lines;
	d->caplines = ts->spare_caplines;
	d->ntoks = d->nlines = 0;
	tokenize_begin(&st);
	buf_reset(&ts->text);
	for (size_t i = 0; i <= ntoks; i++) {
		for (; li < nlines && lines[li].before <= i; li++) {
			if (lines[li].kind == DL_TEXT) {
				buf_puts(&ts->text, lines[li].text);
				continue;
			}
			flush(d, &st, &ts->text);
			doc_keep_line(d, &lines[li]);
		}
		if (i == ntoks)
			break;
		flush(d, &st, &ts->text);
		*doc_add_tok(d) = old[i];
		st.offset = old[i].end;
		st.line_start = st.sent_start = 0;
		st.after_final = strchr(".!?", old[i].text[0]) && !old[i].text[1];
	}
	flush(d, &st, &ts->text);
	ts->spare_toks = old;
	ts->spare_captoks = oldcap;
	ts->spare_lines = lines;
	ts->spare_caplines = oldcaplines;
	return EX_OK;
}

static int tok_init(int argc, char **argv, int *argind, void **state)
{
	int c;

	opt_start();
	if ((c = opt_next(&stage_tok.cli, argc, argv)) != -1)
		return stage_opt_status(c);
	*argind = optind;
	*state = xcalloc(1, sizeof(struct tok_stage));
	return EX_OK;
}

static void tok_free(void *state)
{
	struct tok_stage *ts = state;

	if (!ts)
		return;
	buf_free(&ts->text);
	free(ts->spare_toks);
	free(ts->spare_lines);
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
