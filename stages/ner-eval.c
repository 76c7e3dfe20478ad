/* ner-eval - score ner-tsv output against gold spans.  See ner-eval(1). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "diag.h"
#include "eval.h"
#include "path.h"
#include "opt.h"

static const struct opt opts[] = {
	{ "types", 't', "LIST", "score only these types, e.g. PER,RANK" },
	{ "errors", 'e', NULL, "list missed (FN) and spurious (FP) spans" },
	{ "min", 'm', "F1", "exit 1 when micro exact F1 is below F1" },
	{ NULL, 0, NULL, NULL },
};

static const struct opt_prog cli = {
	.name = "ner-eval",
	.usage = "[options] GOLD.tsv PRED.tsv",
	.about = "Score predicted spans against gold spans: per type and micro\n"
		 "precision, recall and F1, exact and partial (overlap).\n",
	.opts = opts,
	.footer = "PRED may be - for standard input.  See ner-eval(1).\n",
};

struct load_arg {
	struct eval_set *set;
	const char *types;
};

static int load_tsv(FILE *fp, const char *name, void *arg, struct err *e)
{
	struct load_arg *a = arg;

	return eval_load(a->set, fp, name, a->types, e);
}

/* Load a span file; says why not and returns the exit status. */
static int load(struct eval_set *s, const char *path, const char *types)
{
	struct load_arg a = { s, types };
	struct err e;

	if (path_load_file(path, load_tsv, &a, &e) == 0)
		return EX_OK;
	diag_warn("%s", e.msg);
	return e.code;
}

int main(int argc, char **argv)
{
	struct eval_set gold, pred;
	const char *types = NULL;
	double min = -1;
	int c, errors = 0, st;

	diag_init(argv[0]);
	opt_start();
	while ((c = opt_next(&cli, argc, argv)) != -1) {
		switch (c) {
		case 't': types = optarg; break;
		case 'e': errors = 1; break;
		case 'm':
			if (sscanf(optarg, "%lf", &min) != 1 || min < 0 || min > 1) {
				diag_warn("--min: want a number from 0 to 1");
				return EX_USAGE;
			}
			break;
		case OPT_DONE: return diag_close_output(stdout, "<stdout>");
		default: return EX_USAGE;
		}
	}
	if (argc - optind != 2) {
		opt_bad(&cli, "want two files, GOLD.tsv and PRED.tsv");
		return EX_USAGE;
	}
	memset(&gold, 0, sizeof(gold));
	memset(&pred, 0, sizeof(pred));
	st = load(&gold, argv[optind], types);
	if (st == EX_OK)
		st = load(&pred, argv[optind + 1], types);
	if (st == EX_OK) {
		double f = eval_report(&gold, &pred, errors, stdout);

		if (min >= 0 && f + 1e-9 < min) {
			diag_warn("micro F1 exact %.3f is below %.3f", f, min);
			st = 1;
		}
	}
	eval_set_free(&gold);
	eval_set_free(&pred);
	int cst = diag_close_output(stdout, "<stdout>");
	return st != EX_OK ? st : cst;
}
