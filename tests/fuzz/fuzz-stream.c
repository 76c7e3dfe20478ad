/* fuzz-stream.c - the document stream reader and writer (ner-stream(5)):
 * any bytes in, documents or an error out, and what is read is written
 * back and read again to the same documents. */
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "doc.h"
#include "fuzz.h"
#include "stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *in = fmemopen((void *)data, size, "r");
	struct stream_reader r;
	struct doc *d = doc_new();
	struct buf text = BUF_INIT;

	if (!in)
		return 0;	/* fmemopen refuses size 0 */
	stream_reader_init(&r, in, "fuzz");
	while (stream_read(&r, d) > 0) {
		stream_write(fuzz_sink(), d);
		doc_text(d, &text);
		(void)doc_meta(d, "url");
		for (size_t i = 0; i < d->ntoks; i++)
			(void)doc_mention_len(d, i);
	}
	stream_reader_free(&r);
	fclose(in);
	buf_free(&text);
	doc_free(d);
	return 0;
}
