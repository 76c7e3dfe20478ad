/* fuzz-norm.c - ner-norm's text input, then ner-tok, as nerpipe runs
 * them: any bytes as a text file, clean documents and tokens out.  The
 * part size (ner-norm --part-size) is 1 + the input's size mod 128, so
 * that most inputs are cut into parts and the cutting is fuzzed too. */
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "doc.h"
#include "fuzz.h"
#include "stage.h"
#include "stream.h"

static void *norm, *tok;

static int emit(struct doc *d, void *arg)
{
	(void)arg;
	if (stage_tok.run(tok, d, NULL) != EX_OK)
		abort();
	stream_write(fuzz_sink(), d);
	return EX_OK;
}

static void *init(const struct stage_ops *ops, char **argv, int argc)
{
	void *state;
	int argind;

	if (ops->init(argc, argv, &argind, &state) != EX_OK)
		abort();
	return state;
}

static void done(void)
{
	stage_tok.free(tok);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char part[16];
	char *nargv[] = { "ner-norm", "-q", "--part-size", part, NULL };
	struct doc *d = doc_new();

	if (!tok) {
		char *targv[] = { "ner-tok", NULL };

		tok = init(&stage_tok, targv, 1);
		atexit(done);
	}
	/* A new ner-norm each time: one that lived on would remember the
	 * document ids it has made. */
	snprintf(part, sizeof part, "%zu", 1 + size % 128);
	norm = init(&stage_norm, nargv, 4);
	stage_norm.source(norm, fuzz_file(data, size), d, emit, NULL);
	stage_norm.free(norm);
	doc_free(d);
	return 0;
}
