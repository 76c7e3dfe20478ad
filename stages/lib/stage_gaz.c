/* stage_gaz.c - ner-gaz: tag token runs found in compiled gazetteers. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "alloc.h"
#include "buf.h"
#include "diag.h"
#include "gaz.h"
#include "path.h"
#include "stage.h"

#define DEFAULT_GAZ "entities.gaz"

struct gaz_stage {
	struct gaz **gaz;
	struct gaz_memo **memo;	/* one per gazetteer, this thread's */
	size_t ngaz;
	int overwrite;
	int borrowed;		/* a clone: the gazetteers are another's */
	struct buf source;	/* scratch for a folded match's source */
};

/* The longest match at toks[i] over all gazetteers; the first gazetteer
 * wins a tie.  Returns 1, 0, or -1 after saying which gazetteer is
 * corrupt. */
static int best_match(const struct gaz_stage *gs, const struct doc *d,
		      size_t i, struct gaz_hit *best)
{
	struct gaz_hit hit;
	int found = 0;

	for (size_t k = 0; k < gs->ngaz; k++) {
		int m = gaz_memo_match(gs->memo[k], d, i, gs->overwrite, &hit);

		if (m < 0) {
			diag_warn("%s: not a usable gazetteer: %s",
				  gaz_path(gs->gaz[k]), gaz_strfault(m));
			return -1;
		}
		if (m && (!found || hit.len > best->len)) {
			*best = hit;
			found = 1;
		}
	}
	return found;
}

static int gaz_run(void *state, struct doc *d, FILE *out)
{
	struct gaz_stage *gs = state;
	struct gaz_hit hit = { 0 };

	(void)out;
	for (size_t i = 0; i < d->ntoks;) {
		if (d->toks[i].pos != TAG_O && !gs->overwrite) {
			i++;
			continue;
		}
		int m = best_match(gs, d, i, &hit);

		if (m < 0)
			return EX_DATAERR;
		if (!m) {
			i++;
			continue;
		}
		size_t end = i + hit.len;

		if (gs->overwrite)
			doc_untag_cut(d, i, end);
		/* A match by spelling variant says so: "people~fold". */
		if (hit.folded) {
			buf_reset(&gs->source);
			buf_puts(&gs->source, hit.source);
			buf_puts(&gs->source, "~fold");
		}
		doc_tag(d, i, hit.len, hit.type, hit.canon,
			hit.folded ? gs->source.s : hit.source, hit.attrs);
		i = end;
	}
	return EX_OK;
}

static void add_gaz(struct gaz_stage *gs, struct gaz *g)
{
	gs->gaz = xrealloc(gs->gaz, (gs->ngaz + 1) * sizeof(*gs->gaz));
	gs->memo = xrealloc(gs->memo, (gs->ngaz + 1) * sizeof(*gs->memo));
	gs->gaz[gs->ngaz] = g;
	gs->memo[gs->ngaz++] = gaz_memo_new(g);
}

static int open_gaz(struct gaz_stage *gs, const char *name)
{
	struct err e;
	char *path = path_data(name);
	struct gaz *g;
	int st = gaz_open(path, gaz_env_flags(), &g, &e);

	free(path);
	if (st < 0) {
		diag_warn("%s", e.msg);
		return e.code;
	}
	add_gaz(gs, g);
	return EX_OK;
}

static void gaz_free_state(void *state)
{
	struct gaz_stage *gs = state;

	if (!gs)
		return;
	for (size_t k = 0; k < gs->ngaz; k++)
		gaz_memo_free(gs->memo[k]);
	for (size_t k = 0; k < gs->ngaz && !gs->borrowed; k++)
		gaz_close(gs->gaz[k]);
	free(gs->memo);
	free(gs->gaz);
	buf_free(&gs->source);
	free(gs);
}

/* gaz_match reads a gazetteer and writes nothing to it: threads share
 * them.  A memo is written: each thread has its own. */
static void *gaz_clone(const void *state)
{
	const struct gaz_stage *gs = state;
	struct gaz_stage *c = xcalloc(1, sizeof(*c));

	c->gaz = xmalloc(gs->ngaz * sizeof(*c->gaz));
	memcpy(c->gaz, gs->gaz, gs->ngaz * sizeof(*c->gaz));
	c->memo = xmalloc(gs->ngaz * sizeof(*c->memo));
	for (size_t k = 0; k < gs->ngaz; k++)
		c->memo[k] = gaz_memo_new(gs->gaz[k]);
	c->ngaz = gs->ngaz;
	c->overwrite = gs->overwrite;
	c->borrowed = 1;
	return c;
}

static int gaz_init(int argc, char **argv, int *argind, void **state)
{
	struct gaz_stage *gs = xcalloc(1, sizeof(*gs));
	int c, st = EX_OK;

	opt_start();
	while (st == EX_OK && (c = opt_next(&stage_gaz.cli, argc, argv)) != -1) {
		switch (c) {
		case 'g':
			st = open_gaz(gs, optarg);
			break;
		case 'o':
			gs->overwrite = 1;
			break;
		default:
			st = stage_opt_status(c);
		}
	}
	if (st == EX_OK && gs->ngaz == 0)
		st = open_gaz(gs, DEFAULT_GAZ);
	if (st != EX_OK) {
		gaz_free_state(gs);
		return st;
	}
	*argind = optind;
	*state = gs;
	return EX_OK;
}

static const struct opt gaz_opts[] = {
	{ "gazetteer", 'g', "FILE", "compiled gazetteer (repeatable; default\n"
				    DEFAULT_GAZ ")" },
	{ "overwrite", 'o', NULL, "re-tag tokens an earlier stage tagged" },
	{ NULL, 0, NULL, NULL },
};

const struct stage_ops stage_gaz = {
	.cli = {
		.name = "ner-gaz",
		.usage = "[options] [STREAM...]",
		.about = "Tag the longest runs of tokens listed in compiled gazetteers\n"
			 "as PER, RANK, LOC or ORG.\n",
		.opts = gaz_opts,
		.footer = "See ner-gaz(1).\n",
		.in_order = 1,
	},
	.init = gaz_init,
	.run = gaz_run,
	.free = gaz_free_state,
	.clone = gaz_clone,
};
