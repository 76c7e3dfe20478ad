/* test-rules.c - parsing rule files and applying their rules to documents. */
#include <stdlib.h>
#include <sysexits.h>
#include <unistd.h>

#include "buf.h"
#include "check.h"
#include "doc.h"
#include "gaz.h"
#include "rules.h"
#include "tokenize.h"

static char gazpath[] = "/tmp/nerpipe-test-rules-XXXXXX";
static struct doc *d;
static struct err e;
static struct buf tagbuf = BUF_INIT;

static void tokens(const char *s)
{
	struct tokenize_state st;

	doc_clear(d);
	doc_set_id(d, "t");
	tokenize_begin(&st);
	tokenize_text(d, &st, s, strlen(s));
}

/* The tags of d's tokens joined by spaces: "B-PER I-PER O". */
static const char *tags(void)
{
	struct buf *b = &tagbuf;

	buf_reset(b);
	buf_put(b, "", 0);
	for (size_t i = 0; i < d->ntoks; i++) {
		const struct tok *t = &d->toks[i];

		if (i)
			buf_putc(b, ' ');
		if (t->pos == TAG_O)
			buf_putc(b, 'O');
		else
			buf_printf(b, "%c-%s", t->pos == TAG_B ? 'B' : 'I',
				   tok_type(d, t));
	}
	return b->s;
}

/* Parse text as a rule file "x.rules"; the class of its error (0 for
 * none), message in e. */
static int parse(const char *text)
{
	struct rules *r = rules_new();
	int st;

	e.msg[0] = '\0';
	st = rules_parse(r, text, strlen(text), "x.rules", &e);
	rules_free(r);
	return st < 0 ? e.code : 0;
}

/* Apply the rules in text to d (already tokenised); returns the tags. */
static const char *apply(const char *text)
{
	struct rules *r = rules_new();

	if (rules_parse(r, text, strlen(text), "x.rules", &e)) {
		printf("# rule text refused: %s\n", e.msg);
		rules_free(r);
		return "(refused)";
	}
	rules_apply(r, d, NULL, NULL);
	rules_free(r);
	return tags();
}

static const char *run(const char *rules, const char *text)
{
	tokens(text);
	return apply(rules);
}

static void build_list(void)
{
	struct gaz_builder *b = gaz_builder_new();
	static const char *rows[][2] = {
		{ "New York", "LOC" }, { "York", "LOC" }, { "Sarfraz", "PER" },
		{ "Asim", "PER" }, { "Pakistan", "LOC" },
	};
	int fd = mkstemp(gazpath);

	close(fd);
	for (size_t i = 0; i < sizeof(rows) / sizeof(*rows); i++)
		gaz_builder_add(b, rows[i][0], rows[i][1], "", "", "test", &e);
	CHECK("list gazetteer written", gaz_builder_write(b, gazpath) == 0);
	gaz_builder_free(b);
}

/* The rule tests kept as data are tests/rules/NAME.test (run by
 * tests/cli/ruletests.sh): rule files refused, quantifiers, token tests,
 * lists, actions and rule order.  Here is what the data cannot say: a
 * rule file with CR LF line ends, the API's statuses, the trace and the
 * limits, and the start index against no index. */
static void test_accepted(void)
{
	CHECK("a # and spaces inside a regex, an escaped slash, continuation",
	      parse("# comment\n  # indented comment\nrule a-1 -5: \\\n"
		    "  ([/a #b c\\/d/i !key=/x/]) \\\n  => PER\n") == 0);
	CHECK("a CRLF rule file", parse("rule a 1: ([cap]) => PER\r\n") == 0);
	CHECK_STR("a rule's mention has no attributes",
		  run("rule a 1: ([cap]) => PER\n", "Alpha"), "B-PER");
	CHECK_STR("none", tok_attrs(d, &d->toks[0]), "");
}

static void test_load(void)
{
	struct rules *r = rules_new();
	char text[1024];

	CHECK("a missing rule file is EX_NOINPUT",
	      rules_load(r, "/nonexistent/x.rules", &e) < 0 && e.code == EX_NOINPUT);
	CHECK_STR("and says why", e.msg,
		  "/nonexistent/x.rules: No such file or directory");
	CHECK("a missing list is EX_NOINPUT",
	      rules_parse(r, "list l /nonexistent/l.gaz\n", 26, "x.rules", &e) < 0 &&
	      e.code == EX_NOINPUT);
	CHECK_STR("and names the gazetteer", e.msg,
		  "/nonexistent/l.gaz: No such file or directory");
	snprintf(text, sizeof(text), "list l %s\nlist l %s\n", gazpath, gazpath);
	CHECK("a list defined twice is EX_DATAERR",
	      rules_parse(r, text, strlen(text), "x.rules", &e) < 0 &&
	      e.code == EX_DATAERR);
	CHECK_STR("and says so", e.msg, "x.rules:2: list 'l' defined twice");
	snprintf(text, sizeof(text), "list m %s\nrule a 1: (<m>+) => X\n", gazpath);
	CHECK("a <list> takes no + quantifier",
	      rules_parse(r, text, strlen(text), "x.rules", &e) < 0 &&
	      e.code == EX_DATAERR);
	CHECK_STR("and says so", e.msg, "x.rules:2: bad quantifier");
	CHECK("rules_count", rules_count(r) == 0);
	rules_free(r);
}

static void trace(const struct doc *dd, size_t i, size_t n, const char *rule,
		  const char *type, void *arg)
{
	struct buf *b = arg;

	buf_printf(b, "%s:%zu+%zu:%s:%s;", dd->id, i, n, rule, type);
}

static void test_trace_and_limits(void)
{
	struct rules *r = rules_new();
	struct buf b = BUF_INIT;
	const char *text = "rule one 2: ([cap]) [cap] => PER\nrule two 1: ([cap]) => O\n";
	struct buf big = BUF_INIT;

	tokens("Alpha Beta Gamma");
	rules_parse(r, text, strlen(text), "x.rules", &e);
	CHECK("rules_count", rules_count(r) == 2);
	CHECK("rules_apply counts applied matches", rules_apply(r, d, trace, &b) == 2);
	CHECK_STR("the trace hears of each", b.s, "t:0+1:one:PER;t:0+1:two:O;");
	rules_free(r);
	buf_free(&b);

	for (int k = 0; k < 200; k++)
		buf_puts(&big, "a ");
	tokens(big.s);
	buf_free(&big);
	text = "rule a 1: ([any]* [any]* [any]* [any]* [any]* [text=z]) => X\n";
	r = rules_new();
	rules_parse(r, text, strlen(text), "x.rules", &e);
	rules_use_index(r, 0);	/* the index alone would not try it */
	rules_apply(r, d, NULL, NULL);
	CHECK_STR("a pathological rule gives up", tags(),
		  "O O O O O O O O O O O O O O O O O O O O O O O O O O O O O O "
		  "O O O O O O O O O O O O O O O O O O O O O O O O O O O O O O "
		  "O O O O O O O O O O O O O O O O O O O O O O O O O O O O O O "
		  "O O O O O O O O O O O O O O O O O O O O O O O O O O O O O O "
		  "O O O O O O O O O O O O O O O O O O O O O O O O O O O O O O "
		  "O O O O O O O O O O O O O O O O O O O O O O O O O O O O O O "
		  "O O O O O O O O O O O O O O O O O O O O");
	CHECK("after at most RULES_MAX_STEPS steps at each start",
	      rules_steps(r) > RULES_MAX_STEPS &&
	      rules_steps(r) <= 200 * (size_t)(RULES_MAX_STEPS + 1));
	rules_free(r);
	CHECK_STR("a match is at most RULES_MAX_TOKS tokens",
		  run("rule a 1: ([any]+) => X\n",
		      "a b c d e f g h i j k l m n o p q r s t u v"),
		  "B-X I-X I-X I-X I-X I-X I-X I-X I-X I-X I-X I-X I-X I-X I-X "
		  "I-X I-X I-X I-X I-X B-X I-X");
}

/* Apply rules to text with the start index on or off; the tags. */
static const char *run_index(const char *rules, const char *text, int on)
{
	struct rules *r = rules_new();

	tokens(text);
	/* As ner-gaz would: ranks tagged before the rules run. */
	for (size_t i = 0; i < d->ntoks; i++)
		if (strcmp(tok_text(d, &d->toks[i]), "Gen") == 0 ||
		    strcmp(tok_text(d, &d->toks[i]), "General") == 0)
			doc_tag(d, i, 1, "RANK", tok_text(d, &d->toks[i]), "g", "");
	if (rules_parse(r, rules, strlen(rules), "x.rules", &e)) {
		printf("# rule text refused: %s\n", e.msg);
		rules_free(r);
		return "(refused)";
	}
	rules_use_index(r, on);
	rules_apply(r, d, NULL, NULL);
	rules_free(r);
	return tags();
}

/* The start index must change nothing but the time: the rule set, with
 * anchors of every kind (a word in the middle after a repeated element,
 * a regex that is a word set, /i, a type no rule gives that an earlier
 * rule removes, a line start, a list, in=LIST), gives the same tags with
 * and without it, and they are the tags these rules should give. */
static void test_index(void)
{
	static const char *const texts[] = {
		"Gen Asim Munir met Lt Gen Sarfraz Ali in New York . The "
		"General said the Pakistan Air Force and the Guards Regiment "
		"will meet .\nQUETTA : Brig ( retd ) Khan , Sarfraz Ali and "
		"Asim visited the Keran sector of Pakistan Army Air Defence",
		"air force Air Force AIR FORCE air Force Air force Gen Gen Gen",
		"Air and force",
		"",
	};
	static const char *const want[] = {
		"B-RANK B-PER I-PER O O B-RANK B-PER I-PER O O O O O O O O "
		"B-ORG I-ORG I-ORG O O B-ORG I-ORG O O O B-LOC O O O B-X O O "
		"O B-PER I-PER O B-PER O O B-LOC O O B-ORG I-ORG I-ORG I-ORG",
		"B-Y I-Y B-Y I-Y B-Y I-Y B-Y I-Y B-Y I-Y B-RANK B-RANK B-RANK",
		"B-W O B-Z",
		"",
	};
	char lists[512], rules[4096];
	struct buf a = BUF_INIT;

	snprintf(lists, sizeof(lists), "list names %s\n", gazpath);
	snprintf(rules, sizeof(rules), "%s"
		 "rule lone 90: ([tag=RANK]) [text=said] => O\n"
		 "rule after-rank 70: [tag=RANK] ([cap word !tag=*]{1,3}) => PER\n"
		 "rule air 60: ([cap word !tag=PER]{1,3} [text=Air] "
		 "[/Force|Defen[cs]e/]) => ORG!\n"
		 "rule heads 50: ([cap word]{0,2} [/Guards?|Regiment|Army/]) => ORG\n"
		 "rule retd 45: [cap] [text=(] ([/retd\\.?|rtd/i]) [text=)] => X\n"
		 "rule line 40: ([upper line !tag=*]) [/[:–-]/] => LOC\n"
		 "rule list 30: [text=met] (<names> [cap]?) => PER\n"
		 "rule in 20: ([in=names:PER] [cap]{0,2}) => PER\n"
		 "rule generic 10: ([cap word !tag=* !sent]{1,2}) "
		 "[/sector|district/] => LOC\n"
		 "rule caseless 5: ([/air/i] [/force/i]) => Y\n"
		 "rule keyre 4: ([key=/force/]) => Z\n"
		 "rule keyci 3: ([key=/AIR/i]) => W\n", lists);
	for (size_t k = 0; k < sizeof(texts) / sizeof(*texts); k++) {
		char name[64];

		buf_reset(&a);
		buf_puts(&a, run_index(rules, texts[k], 0));
		snprintf(name, sizeof(name), "rules without the start index, text %zu", k);
		CHECK_STR(name, a.s ? a.s : "", want[k]);
		snprintf(name, sizeof(name), "the start index changes nothing, text %zu", k);
		CHECK_STR(name, run_index(rules, texts[k], 1), want[k]);
	}
	buf_free(&a);

	/* A list whose entries all start with a capital (GAZ_NEEDS_CAP) as
	 * the anchor: only its capitalised tokens are asked, and the ones
	 * whose key an uncapitalised token has first ("york", then "York")
	 * are still found; a second rule with the list as anchor has its
	 * answers from the first. */
	snprintf(rules, sizeof(rules), "%srule l 10: (<names>) [cap] => X\n"
		 "rule m 5: [text=,] (<names>) => Y\n", lists);
	static const char *const captext =
		"york York Minster and new york , New York City , pakistan , Asim";
	static const char *const capwant =
		"O B-X O O O O O B-X I-X O O O O B-Y";

	CHECK_STR("a capitalised list as anchor, without the index",
		  run_index(rules, captext, 0), capwant);
	CHECK_STR("a capitalised list as anchor, with the index",
		  run_index(rules, captext, 1), capwant);

	/* Anchors on a type that rules give: the tags as they stand when a
	 * rule starts are looked up, and those it or earlier rules made are
	 * seen.  Asim and Munir are tagged one by one, joined, extended
	 * over Khan, and "met" after a person is found. */
	static const char *const tagrules =
		"rule a 50: ([text=Asim]) => PER\n"
		"rule b 49: ([text=Munir]) => PER\n"
		"rule join 40: ([tag=PER begin] [tag=PER begin]) => PER!\n"
		"rule ext 30: ([tag=PER begin] [tag=PER !begin]* [text=Khan]) => PER!\n"
		"rule after 20: [tag=PER] ([text=met]) => X\n";
	static const char *const tagtext = "Asim Munir Khan met Ali . Asim Munir met";
	static const char *const tagwant = "B-PER I-PER I-PER B-X O O B-PER I-PER B-X";

	CHECK_STR("tag anchors of given types, without the index",
		  run_index(tagrules, tagtext, 0), tagwant);
	CHECK_STR("tag anchors of given types, with the index",
		  run_index(tagrules, tagtext, 1), tagwant);
}

int main(void)
{
	d = doc_new();
	build_list();
	test_accepted();
	test_load();
	test_trace_and_limits();
	test_index();
	unlink(gazpath);
	doc_free(d);
	buf_free(&tagbuf);
	return CHECK_DONE();
}
