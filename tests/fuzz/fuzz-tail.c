/* fuzz-tail.c - the tail stages that write a format of their own
 * (ner-tsv in each format, ner-html) over any stream: they join the
 * parts of a long document (ner-stream(5), "Parts"), keep state from one
 * document to the next and escape what they write.  The first byte
 * chooses the tail and its options, the rest is the stream. */
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

#include "doc.h"
#include "fuzz.h"
#include "stage.h"
#include "stream.h"

struct tail {
	const struct stage_ops *ops;
	char *argv[6];
};

static const struct tail tails[] = {
	{ &stage_tsv, { "ner-tsv", NULL } },
	{ &stage_tsv, { "ner-tsv", "--format", "csv", "--meta", "title,date", NULL } },
	{ &stage_tsv, { "ner-tsv", "--format", "jsonl", NULL } },
	{ &stage_tsv, { "ner-tsv", "--format", "jsonl", "--by", "doc", NULL } },
	{ &stage_tsv, { "ner-tsv", "--format", "conll", NULL } },
	{ &stage_tsv, { "ner-tsv", "--columns", "doc,sent,entity,text", NULL } },
	{ &stage_html, { "ner-html", NULL } },
	{ &stage_html, { "ner-html", "--top", "3", NULL } },
};

static int run_tail(const struct tail *t, FILE *in)
{
	struct stream_reader r;
	struct doc *d = doc_new();
	void *state;
	int argc = 0, argind = 1, st = EX_OK, rd;

	while (t->argv[argc])
		argc++;
	if (t->ops->init(argc, (char **)t->argv, &argind, &state) != EX_OK)
		abort();	/* the options above are good */
	stream_reader_init(&r, in, "fuzz");
	while (st == EX_OK && (rd = stream_read(&r, d)) > 0) {
		if (r.truncated)
			doc_add_meta(d, "error", "truncated stream");
		st = stage_run(t->ops, state, d, fuzz_sink());
		if (r.truncated)
			break;
	}
	if (t->ops->finish)
		t->ops->finish(state, fuzz_sink(), st);
	t->ops->free(state);
	stream_reader_free(&r);
	doc_free(d);
	return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *in;

	if (size < 2)
		return 0;
	in = fmemopen((void *)(data + 1), size - 1, "r");
	if (!in)
		return 0;
	run_tail(&tails[data[0] % (sizeof tails / sizeof tails[0])], in);
	fclose(in);
	return 0;
}
