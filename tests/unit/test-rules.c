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
static char err[512];
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

/* Parse text as a rule file "x.rules"; the status, message in err. */
static int parse(const char *text)
{
	struct rules *r = rules_new();
	int st;

	err[0] = '\0';
	st = rules_parse(r, text, strlen(text), "x.rules", err, sizeof(err));
	rules_free(r);
	return st;
}

/* Apply the rules in text to d (already tokenised); returns the tags. */
static const char *apply(const char *text)
{
	struct rules *r = rules_new();

	if (rules_parse(r, text, strlen(text), "x.rules", err, sizeof(err))) {
		printf("# rule text refused: %s\n", err);
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
		gaz_builder_add(b, rows[i][0], rows[i][1], "", "", "test", err,
				sizeof(err));
	CHECK("list gazetteer written", gaz_builder_write(b, gazpath) == 0);
	gaz_builder_free(b);
}

static void check_err(const char *name, const char *text, const char *want)
{
	int st = parse(text);

	if (st != EX_DATAERR)
		printf("# status %d\n", st);
	CHECK_STR(name, st == EX_DATAERR ? err : "(accepted)", want);
}

static void test_errors(void)
{
	check_err("unknown test, with its line",
		  "# c\n\nrule a 1: ([cpa]) => PER\n",
		  "x.rules:3: unknown test 'cpa'");
	check_err("no target", "rule a 1: [cap] => PER\n", "x.rules:1: no target ( )");
	check_err("two targets", "rule a 1: ([cap]) ([cap]) => PER\n",
		  "x.rules:1: two targets");
	check_err("unclosed target", "rule a 1: ([cap] => PER\n",
		  "x.rules:1: '(' without ')'");
	check_err("close without open", "rule a 1: [cap]) => PER\n",
		  "x.rules:1: ')' without '('");
	check_err("empty target", "rule a 1: () [cap] => PER\n",
		  "x.rules:1: empty target ( )");
	check_err("bad regex", "rule a 1: ([/a(b/]) => PER\n",
		  "x.rules:1: bad regex: missing closing parenthesis at offset 3");
	check_err("unterminated regex", "rule a 1: ([/ab]) => PER\n",
		  "x.rules:1: unterminated /regex/");
	check_err("bad regex flag", "rule a 1: ([/ab/x]) => PER\n",
		  "x.rules:1: bad regex flag 'x'");
	check_err("unknown list element", "rule a 1: (<x>) => PER\n",
		  "x.rules:1: unknown list 'x'");
	check_err("unknown list test", "rule a 1: ([in=x:LOC]) => PER\n",
		  "x.rules:1: unknown list 'x'");
	check_err("quantifier m > n", "rule a 1: ([cap]{2,1}) => PER\n",
		  "x.rules:1: bad quantifier");
	check_err("quantifier not a number", "rule a 1: ([cap]{x}) => PER\n",
		  "x.rules:1: bad quantifier");
	check_err("quantifier zero", "rule a 1: ([cap]{0}) => PER\n",
		  "x.rules:1: bad quantifier");
	check_err("two quantifiers", "rule a 1: ([cap]+?) => PER\n",
		  "x.rules:1: bad quantifier");
	check_err("missing =>", "rule a 1: ([cap])\n", "x.rules:1: missing '=>'");
	check_err("bad action", "rule a 1: ([cap]) => Per\n",
		  "x.rules:1: bad action 'Per'");
	check_err("missing action", "rule a 1: ([cap]) =>\n",
		  "x.rules:1: missing action after '=>'");
	check_err("junk after action", "rule a 1: ([cap]) => PER # x\n",
		  "x.rules:1: junk after the action: '# x'");
	check_err("bad rule name", "rule Big 1: ([cap]) => PER\n",
		  "x.rules:1: bad rule name 'Big'");
	check_err("bad priority", "rule a high: ([cap]) => PER\n",
		  "x.rules:1: bad priority 'high'");
	check_err("a priority too large is bad, not clamped",
		  "rule a 99999999999999999999: ([cap]) => PER\n",
		  "x.rules:1: bad priority '99999999999999999999'");
	check_err("missing colon", "rule a 1 ([cap]) => PER\n",
		  "x.rules:1: missing ':' after the priority");
	check_err("rule defined twice",
		  "rule a 1: ([cap]) => PER\nrule a 2: ([cap]) => LOC\n",
		  "x.rules:2: rule 'a' defined twice");
	check_err("missing ]", "rule a 1: ([cap => PER\n", "x.rules:1: missing ']'");
	check_err("empty [ ]", "rule a 1: ([ ]) => PER\n", "x.rules:1: empty [ ]");
	check_err("bad tag type", "rule a 1: ([tag=per]) => PER\n",
		  "x.rules:1: bad type in 'tag=per'");
	check_err("unknown keyword", "rules a 1: ([cap]) => PER\n",
		  "x.rules:1: expected 'rule' or 'list' at 'rules'");
	check_err("stray character", "rule a 1: ([cap]) + => PER\n",
		  "x.rules:1: expected '[', '<', '(', ')' or '=>' at '+'");
	check_err("an error in a continued line names its first line",
		  "rule a 1: ([cap]) => PER\nrule b 1: \\\n  ([cap]) \\\n  [nope] => PER\n",
		  "x.rules:2: unknown test 'nope'");
	check_err("a lone !", "rule a 1: ([! cap]) => PER\n",
		  "x.rules:1: '!' without a test");
	check_err("list without file", "list given\n",
		  "x.rules:1: list wants a NAME and a FILE");

	CHECK("a # and spaces inside a regex, an escaped slash, continuation",
	      parse("# comment\n  # indented comment\nrule a-1 -5: \\\n"
		    "  ([/a #b c\\/d/i !key=/x/]) \\\n  => PER\n") == 0);
	CHECK("a CRLF rule file", parse("rule a 1: ([cap]) => PER\r\n") == 0);
}

static void test_load(void)
{
	struct rules *r = rules_new();
	char text[1024];

	CHECK("a missing rule file is EX_NOINPUT",
	      rules_load(r, "/nonexistent/x.rules", err, sizeof(err)) == EX_NOINPUT);
	CHECK_STR("and says why", err,
		  "/nonexistent/x.rules: No such file or directory");
	CHECK("a missing list is EX_NOINPUT",
	      rules_parse(r, "list l /nonexistent/l.gaz\n", 26, "x.rules", err,
			  sizeof(err)) == EX_NOINPUT);
	CHECK_STR("and names the gazetteer", err,
		  "/nonexistent/l.gaz: No such file or directory");
	snprintf(text, sizeof(text), "list l %s\nlist l %s\n", gazpath, gazpath);
	CHECK("a list defined twice is EX_DATAERR",
	      rules_parse(r, text, strlen(text), "x.rules", err, sizeof(err)) == EX_DATAERR);
	CHECK_STR("and says so", err, "x.rules:2: list 'l' defined twice");
	snprintf(text, sizeof(text), "list m %s\nrule a 1: (<m>+) => X\n", gazpath);
	CHECK("a <list> takes no + quantifier",
	      rules_parse(r, text, strlen(text), "x.rules", err, sizeof(err)) == EX_DATAERR);
	CHECK_STR("and says so", err, "x.rules:2: bad quantifier");
	CHECK("rules_count", rules_count(r) == 0);
	rules_free(r);
}

static void test_quantifiers(void)
{
	CHECK_STR("greedy + backtracks to leave the last capital",
		  run("rule a 1: [cap]+ ([cap]) => PER\n", "Alpha Beta Gamma delta"),
		  "O O B-PER O");
	CHECK_STR("{m,n} takes the most it may",
		  run("rule a 1: ([cap]{2,3}) => PER\n", "Alpha Beta Gamma Delta end"),
		  "B-PER I-PER I-PER O O");
	CHECK_STR("{m} exactly",
		  run("rule a 1: ([cap]{2}) [lower] => PER\n", "Alpha Beta Gamma end"),
		  "O B-PER I-PER O");
	CHECK_STR("? optional context",
		  run("rule a 1: [text=the]? ([cap]) => PER\n", "the Alpha and Beta"),
		  "O B-PER O B-PER");
	CHECK_STR("* may match nothing",
		  run("rule a 1: ([num] [cap]*) => LOC\n", "3 Alpha Beta and 4 x"),
		  "B-LOC I-LOC I-LOC O B-LOC O");
	CHECK_STR("backtracking finds a non-empty target",
		  run("rule a 1: [cap]* ([cap]?) [lower] => PER\n", "Alpha Beta end"),
		  "O B-PER O");
	CHECK_STR("scanning resumes after the match end",
		  run("rule a 1: ([cap]) [cap] => PER\n", "Alpha Beta Gamma Delta"),
		  "B-PER O B-PER O");
}

static void test_tests(void)
{
	CHECK_STR("negation",
		  run("rule a 1: ([word !cap]) => X\n", "Alpha beta , 3"),
		  "O B-X O O");
	CHECK_STR("negated regex",
		  run("rule a 1: ([!/[a-z]+/]) => X\n", "abc Abc 12"),
		  "O B-X B-X");
	/* pcre2 reports one first code unit for "the|The", caseless
	 * without saying so: the prefilter must not turn "the" down. */
	CHECK_STR("a word set in two cases matches both",
		  run("rule a 1: [/the|The/] ([/House/]) => ORG\n", "by the House . The House"),
		  "O O B-ORG O O B-ORG");
	CHECK_STR("regex is anchored at both ends",
		  run("rule a 1: ([/rm/]) => X\n", "army rm"), "O B-X");
	CHECK_STR("regex caseless",
		  run("rule a 1: ([/pakistan/i]) => LOC\n", "Pakistan PAKISTAN"),
		  "B-LOC B-LOC");
	CHECK_STR("regex case-sensitive by default",
		  run("rule a 1: ([/pakistan/]) => LOC\n", "Pakistan pakistan"),
		  "O B-LOC");
	CHECK_STR("regex is Unicode-aware",
		  run("rule a 1: ([/\\p{Lu}\\w+/]) => X\n", "\xc3\x89mile \xc3\xa9mile"),
		  "B-X O");
	CHECK_STR("a regex with a space and an escaped slash",
		  run("rule a 1: ([/x\\/y|a b/]) => X\n", "x/y"), "O O O");
	CHECK_STR("key=/RE/ sees the folded key",
		  run("rule a 1: ([key=/peshawar/]) => LOC\n", "PESHAWAR P\xc3\xa9shawar"),
		  "B-LOC B-LOC");
	CHECK_STR("text= is exact",
		  run("rule a 1: ([text=Gen]) => RANK\n", "Gen gen GEN"), "B-RANK O O");
	CHECK_STR("upper",
		  run("rule a 1: ([upper]) => ORG\n", "NATO A U.S. Nato 12"),
		  "B-ORG O B-ORG O O");
	CHECK_STR("initial",
		  run("rule a 1: ([initial]) => X\n", "J. K Jo j"), "B-X B-X O O");
	CHECK_STR("num, punct, lower",
		  run("rule a 1: ([num]) => N\nrule b 1: ([punct]) => P\n"
		      "rule c 1: ([lower]) => L\n", "3rd , x X"),
		  "B-N B-P B-L O");
	CHECK_STR("glued",
		  run("rule a 1: [any] ([glued]) => X\n", "a,b c"), "O B-X O O");
	tokens("One two. Three\nfour");
	d->toks[4].flags = TOK_LINE;
	CHECK_STR("sent and line",
		  apply("rule a 1: ([sent]) => S\nrule b 1: ([line !sent]) => L\n"),
		  "B-S O O B-S B-L");
}

static void test_lists(void)
{
	char text[1024];

	snprintf(text, sizeof(text), "list places %s\n"
		 "rule a 1: [text=in] (<places>) => LOC\n", gazpath);
	CHECK_STR("a <list> element takes the longest entry",
		  run(text, "in New York and in Boston"), "O B-LOC I-LOC O O O");
	snprintf(text, sizeof(text), "list places %s\n"
		 "rule a 1: (<places>? [text=City]) => LOC\n", gazpath);
	CHECK_STR("an optional <list>",
		  run(text, "New York City and City"), "B-LOC I-LOC I-LOC O B-LOC");
	snprintf(text, sizeof(text), "list names %s\n"
		 "rule a 1: (<names> [cap]) => PER\n", gazpath);
	tokens("Asim Munir");
	doc_tag(d, 0, 1, "PER", "Asim", "g", "");
	CHECK_STR("a TYPE rule whose <list> target is tagged does nothing",
		  apply(text), "B-PER O");
	snprintf(text, sizeof(text), "list names %s\n"
		 "rule a 1: (<names> [cap]) => PER!\n", gazpath);
	CHECK_STR("a <list> matches tagged tokens: TYPE! re-tags them",
		  apply(text), "B-PER I-PER");
	snprintf(text, sizeof(text), "list names %s\n"
		 "rule a 1: ([in=names:PER] [cap]) => PER\n"
		 "rule b 1: ([in=names] [lower]) => X\n", gazpath);
	CHECK_STR("in=NAME and in=NAME:TYPE",
		  run(text, "Sarfraz Ali , Pakistan Army , Pakistan army"),
		  "B-PER I-PER O O O O B-X I-X");
}

static void test_actions(void)
{
	static const char *const texts[] = {
		"rule a 1: ([text=Pakistan]) => LOC\n",
		"rule a 1: ([text=Pakistan]) => LOC!\n",
		"rule a 1: ([text=Army]) => O\n",
		"rule a 1: ([text=Army] [text=said]) => O\n",
	};
	static const char *const want[] = {
		"B-ORG I-ORG O O",
		"B-ORG I-ORG O O",
		"O O O O",
		"O O O O",
	};

	for (size_t k = 0; k < 4; k++) {
		tokens("Pakistan Army said so");
		doc_tag(d, 0, 2, "ORG", "Pakistan Army", "g", "");
		CHECK_STR(k == 0 ? "TYPE leaves tagged tokens alone" :
			  k == 1 ? "TYPE! does not cut into a mention" :
			  k == 2 ? "O removes a mention it touches" :
			  "O over a mention and more", apply(texts[k]), want[k]);
	}
	tokens("Pakistan Army said so");
	doc_tag(d, 0, 2, "ORG", "Pakistan Army", "g", "");
	CHECK_STR("TYPE! cutting at the end of a mention is not applied",
		  apply("rule a 1: ([text=Army] [text=said]) => X!\n"), "B-ORG I-ORG O O");
	CHECK_STR("TYPE! swallows whole mentions",
		  apply("rule a 1: ([text=Pakistan] [text=Army] [text=said]) => X!\n"),
		  "B-X I-X I-X O");
	tokens("Pakistan Army said so");
	doc_tag(d, 0, 2, "ORG", "Pakistan Army", "g", "");
	CHECK_STR("TYPE! over exactly one mention of that type changes nothing",
		  apply("rule a 1: ([text=Pakistan] [text=Army]) => ORG!\n"), "B-ORG I-ORG O O");
	CHECK("and keeps its source", strcmp(tok_source(d, &d->toks[0]), "g") == 0);
	CHECK_STR("the tags are right, then the fields",
		  run("rule a-b 1: [text=Gen] ([cap]+) => PER\n", "Gen Asim  Munir ."),
		  "O B-PER I-PER O");
	CHECK_STR("canonical is the surface with its gaps", tok_canon(d, &d->toks[1]),
		  "Asim  Munir");
	CHECK_STR("source names the rule", tok_source(d, &d->toks[1]), "rule:a-b");
	CHECK_STR("attrs are empty", tok_attrs(d, &d->toks[1]), "");
	CHECK_STR("tag=TYPE, tag=O, tag=* and begin",
		  run("rule a 9: ([text=x]) => A\nrule b 8: [tag=A] ([tag=O]) => B\n"
		      "rule c 7: [begin] [tag=*] ([any]) => C\n", "x y z"),
		  "B-A B-B B-C");
}

static void test_order(void)
{
	CHECK_STR("higher priority runs first",
		  run("rule a 1: ([cap]) => LOW\nrule b 2: ([cap]) => HIGH\n", "Alpha"),
		  "B-HIGH");
	CHECK_STR("ties in file order",
		  run("rule a 1: ([cap]) => FIRST\nrule b 1: ([cap]) => SECOND\n", "Alpha"),
		  "B-FIRST");
	CHECK_STR("a match never crosses a sentence start",
		  run("rule a 1: ([cap]+) => PER\n", "Alpha Beta. Gamma Delta"),
		  "B-PER I-PER O B-PER I-PER");
	CHECK_STR("nor a line start",
		  run("rule a 1: ([cap]+) => PER\n", "Alpha\nBeta"), "B-PER B-PER");
	CHECK_STR("nor does context",
		  run("rule a 1: ([cap]) [lower] => PER\n", "Alpha\nbeta"), "O O");
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
	rules_parse(r, text, strlen(text), "x.rules", err, sizeof(err));
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
	rules_parse(r, text, strlen(text), "x.rules", err, sizeof(err));
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
	if (rules_parse(r, rules, strlen(rules), "x.rules", err, sizeof(err))) {
		printf("# rule text refused: %s\n", err);
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
	test_errors();
	test_load();
	test_quantifiers();
	test_tests();
	test_lists();
	test_actions();
	test_order();
	test_trace_and_limits();
	test_index();
	unlink(gazpath);
	doc_free(d);
	buf_free(&tagbuf);
	return CHECK_DONE();
}
