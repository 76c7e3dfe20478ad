/* stage_rules.c - ner-rules: tag tokens by the token-pattern rules of rule files. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "alloc.h"
#include "buf.h"
#include "diag.h"
#include "path.h"
#include "gaz.h"
#include "rules.h"
#include "stage.h"

#define DEFAULT_RULES "nerpipe.rules"

struct rules_stage {
	struct rules *rules;
	int nfiles;
	int trace;
	struct buf surface;
};

static void trace_match(const struct doc *d, size_t i, size_t n,
			const char *rule, const char *type, void *arg)
{
	struct rules_stage *rs = arg;

	doc_span_text(d, i, n, &rs->surface);
	fprintf(stderr, "%s: %s:%llu: rule %s -> %s '%s'\n", stage_rules.cli.name,
		d->id, (unsigned long long)d->toks[i].start, rule, type,
		rs->surface.s);
}

static void warn_limit(const char *rule, const char *text, void *arg)
{
	const struct doc *d = arg;

	diag_warn("%s: rule %s: a regular expression hit its match limit on "
		  "token '%s' and is taken as not matching (said once per rule)",
		  d->id, rule, text);
}

static int rules_run(void *state, struct doc *d, FILE *out)
{
	struct rules_stage *rs = state;

	const char *path;
	int fault;

	(void)out;
	rules_apply(rs->rules, d, rs->trace ? trace_match : NULL, rs);
	rules_limit_report(rs->rules, warn_limit, d);
	if ((fault = rules_fault(rs->rules, &path))) {
		diag_warn("%s: not a usable gazetteer: %s", path,
			  gaz_strfault(fault));
		return EX_DATAERR;
	}
	return EX_OK;
}

static int load_rules(struct rules_stage *rs, const char *name)
{
	struct err e;
	char *path = path_data(name);
	int st = rules_load(rs->rules, path, &e);

	free(path);
	rs->nfiles++;
	if (st == 0)
		return EX_OK;
	diag_warn("%s", e.msg);
	return e.code;
}

static void rules_free_state(void *state)
{
	struct rules_stage *rs = state;

	if (!rs)
		return;
	if (rules_limit_hits(rs->rules))
		diag_warn("%zu token tests hit the match limit in all",
			  rules_limit_hits(rs->rules));
	rules_free(rs->rules);
	buf_free(&rs->surface);
	free(rs);
}

/* The compiled rules are shared by the threads; scratch is each one's. */
static void *rules_clone_state(const void *state)
{
	const struct rules_stage *rs = state;
	struct rules_stage *c = xcalloc(1, sizeof(*c));

	c->rules = rules_clone(rs->rules);
	c->nfiles = rs->nfiles;
	c->trace = rs->trace;
	return c;
}

static int rules_init(int argc, char **argv, int *argind, void **state)
{
	struct rules_stage *rs = xcalloc(1, sizeof(*rs));
	int c, st = EX_OK;

	rs->rules = rules_new();
	opt_start();
	while (st == EX_OK && (c = opt_next(&stage_rules.cli, argc, argv)) != -1) {
		switch (c) {
		case 'r':
			st = load_rules(rs, optarg);
			break;
		case OPT_LONG:
			rs->trace = 1;
			break;
		default:
			st = stage_opt_status(c);
		}
	}
	if (st == EX_OK && rs->nfiles == 0)
		st = load_rules(rs, DEFAULT_RULES);
	if (st != EX_OK) {
		rules_free_state(rs);
		return st;
	}
	*argind = optind;
	*state = rs;
	return EX_OK;
}

static const struct opt rules_opts[] = {
	{ "rules", 'r', "FILE", "rule file (repeatable; default " DEFAULT_RULES ")" },
	{ "trace", OPT_LONG, NULL, "say on stderr which rule tagged what" },
	{ NULL, 0, NULL, NULL },
};

const struct stage_ops stage_rules = {
	.cli = {
		.name = "ner-rules",
		.usage = "[options] [STREAM...]",
		.about = "Tag or untag runs of tokens that match the token-pattern\n"
			 "rules of rule files.\n",
		.opts = rules_opts,
		.footer = "See ner-rules(1).\n",
		.in_order = 1,
	},
	.init = rules_init,
	.run = rules_run,
	.free = rules_free_state,
	.clone = rules_clone_state,
};
