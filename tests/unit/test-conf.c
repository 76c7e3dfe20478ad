/* test-conf.c - parsing pipeline.conf. */
#include <sysexits.h>

#include "check.h"
#include "conf.h"

int main(void)
{
	struct conf c;
	struct err e;

	CHECK("parses stages", conf_parse("# comment\n\nner-norm\nner-gaz -g 'my file.gaz' # why\n"
					  "  ner-tsv --meta \"url,date\"\n", "p", &c, &e) == 0 &&
	      c.n == 3);
	CHECK("line numbers", c.stages[1].line == 4 && c.stages[2].line == 5);
	CHECK_STR("quoted word", c.stages[1].argv[2], "my file.gaz");
	CHECK("comment ends the line", c.stages[1].argc == 3);
	CHECK_STR("double quotes", c.stages[2].argv[2], "url,date");
	conf_free(&c);

	CHECK("unterminated quote", conf_parse("ner-norm\nner-gaz 'x\n", "p", &c, &e) < 0 &&
	      e.code == EX_CONFIG);
	CHECK_STR("names the line", e.msg, "p:2: unterminated quote");
	conf_free(&c);
	CHECK("no stages", conf_parse("# nothing\n", "p", &c, &e) < 0 && e.code == EX_CONFIG);
	CHECK_STR("says so", e.msg, "p: no stages");
	conf_free(&c);
	CHECK("bad stage name", conf_parse("ner-norm\n$(rm) x\n", "p", &c, &e) < 0 &&
	      e.code == EX_CONFIG && strncmp(e.msg, "p:2:", 4) == 0);
	conf_free(&c);
	CHECK("missing file", conf_load("/nonexistent.conf", &c, &e) < 0 &&
	      e.code == EX_NOINPUT);
	CHECK_STR("with the system's reason", e.msg,
		  "/nonexistent.conf: No such file or directory");
	conf_free(&c);
	return CHECK_DONE();
}
