/* stage_rules.c - ner-rules: tag tokens by the token-pattern rules of rule files. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "buf.h"
#include "diag.h"
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

	rules_surface(&rs->surface, d, i, n);
	fprintf(stderr, "%s: %s:%llu: rule %s -> %s '%s'\n", stage_rules.name,
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
	char err[1024];
	char *path = stage_data_path(name);
	int st = rules_load(rs->rules, path, err, sizeof(err));

	free(path);
	rs->nfiles++;
	if (st)
		diag_warn("%s", err);
	return st;
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
	static const struct option longopts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "trace", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct rules_stage *rs = xcalloc(1, sizeof(*rs));
	int c, st = EX_OK;

	rs->rules = rules_new();
	optind = 1;
	while (st == EX_OK &&
	       (c = getopt_long(argc, argv, "+r:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			st = load_rules(rs, optarg);
			break;
		case 't':
			rs->trace = 1;
			break;
		default:
			st = stage_common_option(&stage_rules, c);
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

const struct stage_ops stage_rules = {
	.name = "ner-rules",
	.summary = "Tag or untag runs of tokens that match the token-pattern "
		   "rules of rule files.",
	.args = "[STREAM...]",
	.options = "  -r, --rules FILE  rule file (repeatable; default "
				    DEFAULT_RULES ")\n"
		   "      --trace       say on stderr which rule tagged what\n",
	.init = rules_init,
	.run = rules_run,
	.free = rules_free_state,
	.clone = rules_clone_state,
};
