/* test-stream.c - reading, writing and rejecting document streams. */
#include <stdlib.h>

#include "buf.h"
#include "check.h"
#include "doc.h"
#include "stream.h"

static struct doc *d;
static struct stream_reader r;
static FILE *fp;

/* Start reading the stream s. */
static void open_stream(const char *s)
{
	if (fp)
		fclose(fp);
	stream_reader_free(&r);
	fp = fmemopen((void *)s, strlen(s), "r");
	stream_reader_init(&r, fp, "t");
}

/* Does stream_escape write what stream_put_escaped writes, for each
 * string of one or two bytes to escape, or none, at every place in a
 * text of every length up to 40 (the word-at-a-time cases)? */
static int escapes_alike(void)
{
	static const char special[] = "\\\t\n\r\x01\x0e\x5b\x5d";
	char s[40], o[80], *want = NULL;
	size_t wantn = 0;
	int ok = 1;

	for (size_t n = 0; n <= sizeof(s); n++)
		for (size_t at = 0; at <= n; at++)
			for (size_t k = 0; k < sizeof(special); k++) {
				FILE *w = open_memstream(&want, &wantn);

				for (size_t i = 0; i < n; i++)
					s[i] = (char)('a' + i % 26);
				if (at < n)
					s[at] = special[k];
				if (at + 3 < n)
					s[n - 1] = special[k];
				stream_put_escaped(w, s, n);
				fclose(w);
				char *end = stream_escape(o, s, n);

				ok &= (size_t)(end - o) == wantn &&
				      memcmp(o, want, wantn) == 0;
				free(want);
			}
	return ok;
}

/* Write d to a string (caller frees). */
static char *written(void)
{
	char *out = NULL;
	size_t n = 0;
	FILE *w = open_memstream(&out, &n);

	stream_write(w, d);
	fclose(w);
	return out;
}

static const char *good =
	"#doc\tnote\n"
	"#meta\ttitle\tA\\tB\n"
	"0\t3\tGen\t\tgen\tSL\tB-RANK\tGeneral\tranks\tfull=General;nato=OF-9\n"
	"4\t8\tAsim\t \tasim\t-\tB-PER\tAsim Munir\tpeople\t\textra\tcols\n"
	"9\t14\tMunir\t \tmunir\t-\tI-PER\t\t\t\n"
	"#custom\tkept as is\n"
	"#text\t\\n\n"
	"#end\tnote\n";

static int reads_error(const char *s, const char *want)
{
	open_stream(s);
	while (stream_read(&r, d) > 0)
		;
	return strstr(r.err.msg, want) != NULL;
}

/* A gap of 64 KiB or more and a token of 255 code points or more do
 * not fit struct tok: they go to the document's table of long tokens,
 * and come back from it. */
static void test_long_tokens(void)
{
	struct buf s = BUF_INIT, gap = BUF_INIT, word = BUF_INIT;
	size_t n;

	for (int k = 0; k < 70000; k++)
		buf_puts(&gap, "\\n");
	for (int k = 0; k < 300; k++)
		buf_putc(&word, 'a');
	buf_printf(&s, "#doc\tlong\n0\t1\tx\t\tx\tSL\tO\t\t\t\n"
		   "70001\t70301\t%s\t%s\t%s\tSL\tB-PER\tc\tsrc\t\n"
		   "70302\t70303\ty\t \ty\t-\tO\t\t\t\n"
		   "4294967000\t4294967295\tz\t \tz\t-\tO\t\t\t\n#end\tlong\n",
		   word.s, gap.s, word.s);
	open_stream(s.s);
	CHECK("a stream with a long gap and a long token is read",
	      stream_read(&r, d) == 1 && d->ntoks == 4);
	tok_gap(d, &d->toks[1], &n);
	CHECK("the long gap keeps its length", n == 70000);
	CHECK("the long token keeps its end", tok_end(d, &d->toks[1]) == 70301 &&
	      strlen(tok_text(d, &d->toks[1])) == 300);
	CHECK("so do the tokens around it", tok_end(d, &d->toks[0]) == 1 &&
	      tok_end(d, &d->toks[2]) == 70303 &&
	      (tok_gap(d, &d->toks[2], &n), n == 1));
	CHECK("offsets up to 2^32 - 1 are kept", d->toks[3].start == 4294967000u &&
	      tok_end(d, &d->toks[3]) == 4294967295u);
	char *out = written();
	CHECK_STR("and written back as they were", out, s.s);
	free(out);
	CHECK("a start of 2^32 or more is refused",
	      reads_error("#doc\tx\n4294967296\t4294967297\ta\t\ta\t-\tO\t\t\t\n#end\tx\n",
			  "t:2: offset 4294967296 is beyond the 4 Gi code points"));
	buf_free(&s);
	buf_free(&gap);
	buf_free(&word);
}

/* Tags are values shared by the tokens that have them; changing one
 * token's leaves the others'. */
static void test_tags(void)
{
	open_stream("#doc\tx\n"
		    "0\t1\ta\t\ta\tSL\tB-PER\tA B\tg\t\n"
		    "2\t3\tb\t \tb\t-\tI-PER\t\t\t\n"
		    "4\t5\tc\t \tc\t-\tB-PER\tA B\tg\t\n"
		    "6\t7\td\t \td\t-\tI-PER\t\t\t\tmore\n"
		    "#end\tx\n");
	CHECK("a stream of two mentions of one person", stream_read(&r, d) == 1);
	CHECK("their first tokens share an entry, so do the others",
	      d->ann[0] == d->ann[2] && d->ann[1] != d->ann[0] &&
	      d->ann[3] != d->ann[1]);
	CHECK_STR("fields after the tenth stay the token's", tok_extra(d, &d->toks[3]),
		  "more");
	CHECK_STR("and no other token has them", tok_extra(d, &d->toks[1]), "");
	doc_set_canon(d, 2, "C");
	CHECK("a new canonical name is the token's alone",
	      strcmp(tok_canon(d, &d->toks[2]), "C") == 0 &&
	      strcmp(tok_canon(d, &d->toks[0]), "A B") == 0);
	doc_untag(d, 3);
	CHECK("untagged, a token keeps its fields after the tenth",
	      d->toks[3].pos == TAG_O && *tok_type(d, &d->toks[3]) == '\0' &&
	      strcmp(tok_extra(d, &d->toks[3]), "more") == 0);
	doc_tag(d, 0, 4, "ORG", "All", "rule:x", "");
	CHECK("retagged as one mention: B- then I- of the new type",
	      doc_mention_len(d, 0) == 4 && strcmp(tok_type(d, &d->toks[3]), "ORG") == 0 &&
	      strcmp(tok_canon(d, &d->toks[0]), "All") == 0 &&
	      strcmp(tok_extra(d, &d->toks[3]), "more") == 0);
}

int main(void)
{
	struct buf b = BUF_INIT;

	d = doc_new();
	open_stream(good);
	CHECK("reads a document", stream_read(&r, d) == 1 && d->ntoks == 3);
	CHECK_STR("document id", d->id, "note");
	CHECK_STR("meta value is unescaped", doc_meta(d, "title"), "A\tB");
	CHECK("token fields", d->toks[1].start == 4 && tok_end(d, &d->toks[1]) == 8 &&
	      d->toks[1].pos == TAG_B && strcmp(tok_type(d, &d->toks[1]), "PER") == 0);
	CHECK_STR("I- token takes the type", tok_type(d, &d->toks[2]), "PER");
	CHECK_STR("extra fields are kept", tok_extra(d, &d->toks[1]), "extra\tcols");
	CHECK("flags", d->toks[0].flags == (TOK_SENT | TOK_LINE) && d->toks[1].flags == 0);
	doc_text(d, &b);
	CHECK_STR("document text from gaps, tokens and #text", b.s, "Gen Asim Munir\n");
	char *out = written();
	CHECK_STR("writing gives the same stream back", out, good);
	free(out);
	CHECK("then a clean end", stream_read(&r, d) == 0);

	CHECK("empty input is no documents", (open_stream(""), stream_read(&r, d) == 0));

	CHECK("line before #doc", reads_error("0\t1\ta\t\ta\t-\tO\t\t\t\n", "t:1: expected '#doc"));
	CHECK("blank line", reads_error("#doc\tx\n\n#end\tx\n", "t:2: empty line"));
	CHECK("too few fields", reads_error("#doc\tx\n0\t1\ta\n#end\tx\n", "t:2: token line has 3 fields"));
	CHECK("bad offset", reads_error("#doc\tx\n0\tz\ta\t\ta\t-\tO\t\t\t\n#end\tx\n", "t:2: bad offsets"));
	CHECK("end before start", reads_error("#doc\tx\n5\t1\ta\t\ta\t-\tO\t\t\t\n#end\tx\n", "t:2: bad offsets"));
	CHECK("bad tag", reads_error("#doc\tx\n0\t1\ta\t\ta\t-\tX-PER\t\t\t\n#end\tx\n", "t:2: tag"));
	CHECK("I- without B-", reads_error("#doc\tx\n0\t1\ta\t\ta\t-\tI-PER\t\t\t\n#end\tx\n", "does not continue"));
	CHECK("bad flags", reads_error("#doc\tx\n0\t1\ta\t\ta\tQ\tO\t\t\t\n#end\tx\n", "t:2: bad flags"));
	CHECK("bad escape", reads_error("#doc\tx\n0\t1\ta\\q\t\ta\t-\tO\t\t\t\n#end\tx\n", "t:2: bad escape"));
	CHECK("line of neither kind", reads_error("#doc\tx\nhello\n#end\tx\n", "t:2: line is neither"));
	CHECK("#end naming another document", reads_error("#doc\tx\n#end\ty\n", "t:2: #end does not name"));
	CHECK("#doc inside a document", reads_error("#doc\tx\n#doc\ty\n", "t:2: #doc inside"));

	open_stream("#doc\tx\n#text\tcut off\n");
	CHECK("a truncated document is still returned",
	      stream_read(&r, d) == 1 && r.truncated && d->nlines == 1);
	CHECK("and reported", strstr(r.err.msg, "no #end") != NULL);
	CHECK("and the next read fails", stream_read(&r, d) == -1);

	open_stream("#doc\tx\n0\t1\ta\t\ta\t-\tO\t\t\t\n1\t2\tb\t\tb\t-\tO\t");
	CHECK("a stream torn inside a token line keeps the tokens before it",
	      stream_read(&r, d) == 1 && r.truncated && d->ntoks == 1);
	CHECK("and says the line was torn", strstr(r.err.msg, "t:3: stream torn") != NULL);

	open_stream("#doc\tx\n#end\tx");
	CHECK("a whole #end without its newline ends the document",
	      stream_read(&r, d) == 1 && !r.truncated && stream_read(&r, d) == 0);

	open_stream("#doc\txy\n#end\tx");
	CHECK("a torn #end is a torn line",
	      stream_read(&r, d) == 1 && r.truncated);

	test_long_tokens();
	test_tags();

	CHECK("escape into memory as into a file", escapes_alike());
	CHECK("unescape rejects a trailing backslash", stream_unescape(&b, "a\\", 2) < 0);
	CHECK("unescape", stream_unescape(&b, "a\\\\b\\nc", 7) == 0 &&
	      strcmp(b.s, "a\\b\nc") == 0);

	buf_free(&b);
	fclose(fp);
	stream_reader_free(&r);
	doc_free(d);
	return CHECK_DONE();
}
