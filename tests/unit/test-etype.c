/* test-etype.c - the table of entity types, and a toy type added to it:
 * one row plus a gazetteer, and it flows through ner-gaz, ner-link,
 * ner-tsv and ner-html. */
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>
#include <unistd.h>

#include "check.h"
#include "doc.h"
#include "etype.h"
#include "gaz.h"
#include "stage.h"

/* The built-in rows and one more: a weapon, whose "Name (ACR)" defines
 * an acronym like an organisation's. */
static struct etype toy[8];

static void make_toy(unsigned flags)
{
	size_t n = 0;

	for (const struct etype *t = etype_builtin; t->name; t++)
		toy[n++] = *t;
	toy[n++] = (struct etype){ "WPN", "weapon", "background:#eee", flags };
	toy[n] = (struct etype){ NULL, NULL, NULL, 0 };
	etype_use(toy);
}

static char toy_gaz[] = "/tmp/nerpipe-test-etype-gaz-XXXXXX";
static char toy_txt[] = "/tmp/nerpipe-test-etype-txt-XXXXXX";

/* Compile the toy gazetteer: its rows get their fold keys by the table
 * in use now. */
static int build_gaz(void)
{
	struct gaz_builder *b = gaz_builder_new();
	struct err e;
	int ok = gaz_builder_add(b, "Multiple Launch Rocket System", "WPN", "",
				 "kind=artillery", "toy", &e) == 0 &&
		 gaz_builder_add(b, "Kherson", "LOC", "", "", "toy", &e) == 0 &&
		 gaz_builder_write(b, toy_gaz) == 0;

	gaz_builder_free(b);
	return ok;
}

/* The chain ner-norm | ner-tok | ner-gaz -g TOY | ner-link | TAIL, in
 * this process, over toy_txt. */
struct chain {
	void *st[4];
	const struct stage_ops *tail;
	void *tail_st;
	FILE *out;
};

static int run_doc(struct doc *d, void *arg)
{
	struct chain *c = arg;
	const struct stage_ops *ops[] = { &stage_tok, &stage_gaz, &stage_link };

	for (int k = 0; k < 3; k++)
		if (ops[k]->run(c->st[k + 1], d, c->out) != EX_OK)
			return EX_SOFTWARE;
	return c->tail->run(c->tail_st, d, c->out);
}

/* Returns the tail's output (the caller frees it), or NULL. */
static char *run_chain(const struct stage_ops *tail, char **tail_argv, int tail_argc)
{
	char *norm_argv[] = { "ner-norm", NULL }, *tok_argv[] = { "ner-tok", NULL };
	char *gaz_argv[] = { "ner-gaz", "-g", toy_gaz, NULL };
	char *link_argv[] = { "ner-link", NULL };
	struct chain c = { { NULL }, tail, NULL, NULL };
	char *buf = NULL;
	size_t len = 0;
	int argind, ok;
	struct doc *d = doc_new();

	c.out = open_memstream(&buf, &len);
	ok = stage_norm.init(1, norm_argv, &argind, &c.st[0]) == EX_OK &&
	     stage_tok.init(1, tok_argv, &argind, &c.st[1]) == EX_OK &&
	     stage_gaz.init(3, gaz_argv, &argind, &c.st[2]) == EX_OK &&
	     stage_link.init(1, link_argv, &argind, &c.st[3]) == EX_OK &&
	     tail->init(tail_argc, tail_argv, &argind, &c.tail_st) == EX_OK &&
	     stage_norm.source(c.st[0], toy_txt, d, run_doc, &c) == EX_OK &&
	     (!tail->finish || tail->finish(c.tail_st, c.out, EX_OK) == EX_OK);
	fclose(c.out);
	stage_norm.free(c.st[0]);
	stage_tok.free(c.st[1]);
	stage_gaz.free(c.st[2]);
	stage_link.free(c.st[3]);
	tail->free(c.tail_st);
	doc_free(d);
	if (!ok) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int has(const char *s, const char *part)
{
	return s && strstr(s, part) != NULL;
}

static size_t count(const char *s, const char *part)
{
	size_t n = 0;

	while (s && (s = strstr(s, part)))
		n++, s++;
	return n;
}

static void check_table(void)
{
	CHECK("PER names have parts", etype_flags("PER") & ETYPE_NAME_PARTS);
	CHECK("PER takes a rank", etype_flags("PER") & ETYPE_TAKES_RANK);
	CHECK("RANK is a rank", etype_flags("RANK") == ETYPE_RANK);
	CHECK("LOC is a place with acronyms",
	      etype_flags("LOC") == (ETYPE_PLACE | ETYPE_ACRONYM));
	CHECK_STR("a name spelt by an acronym becomes an ORG",
		  etype_with(ETYPE_ACRONYM_NEW), "ORG");
	CHECK("a type not in the table has no flag", etype_flags("GIVEN") == 0);
	CHECK("nor has no type", etype_flags("") == 0 && !etype_find(""));
	CHECK("nor a type the table does not have yet", !etype_find("WPN"));
}

static void check_toy(void)
{
	char *tsv_argv[] = { "ner-tsv", "-H", "-c", "type,text,source,rank,entity",
			     "-a", "kind", NULL };
	char *html_argv[] = { "ner-html", NULL };
	char *out;

	make_toy(ETYPE_ACRONYM);
	CHECK("toy: the table has the new row", etype_flags("WPN") == ETYPE_ACRONYM);
	CHECK("toy: gazetteer compiles", build_gaz());
	out = run_chain(&stage_tsv, tsv_argv, 6);
	CHECK("toy: the chain runs", out != NULL);
	CHECK("toy: ner-gaz tags the weapon",
	      has(out, "WPN\tMultiple Launch Rocket System\ttoy\t\tWPN-"));
	CHECK("toy: with its attributes",
	      has(out, "Multiple Launch Rocket System\ttoy\t\tWPN-") &&
	      has(out, "\tartillery\n"));
	CHECK("toy: ner-link makes its acronym a weapon, in brackets",
	      has(out, "WPN\tMLRS\tlink:acronym\t\tWPN-"));
	CHECK("toy: and alone later on",
	      count(out, "WPN\tMLRS\tlink:acronym\t\tWPN-") == 2);
	CHECK("toy: a respelling is found by fold key",
	      has(out, "WPN\tMultiple Lanch Rocket System\ttoy~fold"));
	CHECK("toy: the built-in types still work", has(out, "LOC\tKherson\ttoy"));
	free(out);

	out = run_chain(&stage_html, html_argv, 1);
	CHECK("toy: ner-html gives the weapon a class", has(out, ".wpn{background:#eee}"));
	CHECK("toy: and a place in the legend",
	      has(out, "<span class=\"wpn\">WPN weapon</span> "
		       "<span class=\"other\">other types</span>"));
	CHECK("toy: and marks its mentions", has(out, "<mark class=\"wpn\""));
	free(out);

	/* The same type with exact keys only: the respelling is not found. */
	make_toy(ETYPE_ACRONYM | ETYPE_EXACT_KEYS);
	CHECK("toy: exact keys: gazetteer compiles", build_gaz());
	out = run_chain(&stage_tsv, tsv_argv, 6);
	CHECK("toy: exact keys: the weapon is found",
	      has(out, "WPN\tMultiple Launch Rocket System\ttoy\t"));
	CHECK("toy: exact keys: its respelling is not",
	      out && !has(out, "Lanch"));
	free(out);

	/* Without the acronym flag, ner-link leaves the letters alone. */
	make_toy(0);
	CHECK("toy: no acronyms: gazetteer compiles", build_gaz());
	out = run_chain(&stage_tsv, tsv_argv, 6);
	CHECK("toy: no acronyms: the weapon is found",
	      has(out, "WPN\tMultiple Launch Rocket System\ttoy\t"));
	CHECK("toy: no acronyms: its letters are not", out && !has(out, "MLRS"));
	free(out);
	etype_use(NULL);
}

int main(void)
{
	int fd;
	FILE *fp;

	if ((fd = mkstemp(toy_gaz)) < 0 || close(fd) < 0 ||
	    (fd = mkstemp(toy_txt)) < 0 || !(fp = fdopen(fd, "w")))
		return EX_CANTCREAT;
	fputs("Troops fired a Multiple Launch Rocket System (MLRS) near Kherson.\n"
	      "Later the MLRS moved east, and a Multiple Lanch Rocket System "
	      "followed.\n", fp);
	fclose(fp);
	check_table();
	check_toy();
	unlink(toy_gaz);
	unlink(toy_txt);
	return CHECK_DONE();
}
