/* fuzz-rules.c - the rule parser and matcher (ner-rules(5)).  The input
 * is a rule file, then a line "%%", then text to run the rules over;
 * tokens are tagged first by a hash of their text, so that tag tests
 * have something to see.  Rule files may use the lists names, titles
 * and words, as gazetteers/nerpipe.rules does. */
#define _GNU_SOURCE	/* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "doc.h"
#include "fuzz.h"
#include "gaz.h"
#include "rules.h"
#include "tokenize.h"
#include "utf.h"

static const char *const types[] = { "PER", "LOC", "ORG", "RANK" };

/* The word lists gazetteers/nerpipe.rules uses, small, made once in a
 * directory of their own that NERPIPE_DATA names: the real ones would
 * take most of the time of each run. */
static const char *const lists[][3] = {
	{ "names.gaz", "GIVEN", "Ahmad Muhammad Mohammad Asim Kim Syed Ali" },
	{ "names.gaz", "SURNAME", "Khan Munir Bagheri Abbasi Mirza Shah" },
	{ "titles.gaz", "TITLE", "Mr Mrs Dr President Minister Chief Sheikh" },
	{ "words.gaz", "WORD", "the of met in and on said army with chief" },
	{ "words.gaz", "DEMONYM", "Pakistani Iranian Afghan Chinese" },
};
static char dir[] = "/tmp/nerpipe-fuzz-XXXXXX";

static void remove_lists(void)
{
	char path[64];

	for (size_t k = 0; k < sizeof(lists) / sizeof(lists[0]); k++) {
		snprintf(path, sizeof(path), "%s/%s", dir, lists[k][0]);
		unlink(path);
	}
	rmdir(dir);
}

static void make_list(const char *name)
{
	struct gaz_builder *b = gaz_builder_new();
	char path[64], word[64];
	struct err e;

	for (size_t k = 0; k < sizeof(lists) / sizeof(lists[0]); k++) {
		const char *w = lists[k][2];

		if (strcmp(lists[k][0], name) != 0)
			continue;
		while (sscanf(w, "%63s", word) == 1) {
			if (gaz_builder_add(b, word, lists[k][1], "", "", name,
					    &e) < 0)
				abort();
			w = strstr(w, word) + strlen(word);
		}
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (gaz_builder_write(b, path) < 0)
		abort();
	gaz_builder_free(b);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!mkdtemp(dir))
		abort();
	atexit(remove_lists);
	make_list("names.gaz");
	make_list("titles.gaz");
	make_list("words.gaz");
	setenv("NERPIPE_DATA", dir, 1);
	return 0;
}

static void tag_some(struct doc *d)
{
	for (size_t i = 0; i < d->ntoks; i++) {
		const char *s = tok_text(d, &d->toks[i]);
		unsigned h = 0;

		for (; *s; s++)
			h = h * 31 + (unsigned char)*s;
		if (h % 3 == 0)
			doc_tag(d, i, 1, types[h / 3 % 4], tok_text(d, &d->toks[i]),
				"fuzz", "");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *sep = memmem(data, size, "\n%%\n", 4);
	size_t rlen = sep ? (size_t)(sep - data) + 1 : size;
	struct rules *r = rules_new();
	struct buf clean = BUF_INIT;
	struct err e;

	if (rules_parse(r, (const char *)data, rlen, "fuzz.rules", &e) == 0 &&
	    sep) {
		struct doc *d = doc_new();
		struct tokenize_state st;
		const char *text = (const char *)sep + 4;

		utf_repair(&clean, text, size - rlen - 3, 1, NULL, NULL);
		doc_set_id(d, "fuzz");
		tokenize_begin(&st);
		tokenize_text(d, &st, clean.s ? clean.s : "", clean.len);
		tag_some(d);
		rules_apply(r, d, NULL, NULL);
		rules_use_index(r, 0);
		rules_apply(r, d, NULL, NULL);
		doc_free(d);
	}
	rules_free(r);
	buf_free(&clean);
	return 0;
}
