/* ner-eval - score ner-tsv output against gold spans.  See ner-eval(1). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "diag.h"
#include "eval.h"
#include "path.h"
#include "stage.h"
#include "version.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: ner-eval [options] GOLD.tsv PRED.tsv\n"
		"Score predicted spans against gold spans: per type and micro\n"
		"precision, recall and F1, exact and partial (overlap).\n\n"
		"options:\n"
		"  -t, --types LIST  score only these types, e.g. PER,RANK\n"
		"  -e, --errors      list missed (FN) and spurious (FP) spans\n"
		"  -m, --min F1      exit 1 when micro exact F1 is below F1\n"
		"  -h, --help        show this help and exit\n"
		"  -V, --version     show the version and exit\n"
		"\nPRED may be - for standard input.  See ner-eval(1).\n");
}

struct load_arg {
	struct eval_set *set;
	const char *types;
};

static int load_tsv(FILE *fp, const char *name, void *arg, char *err,
		    size_t errlen)
{
	struct load_arg *a = arg;

	return eval_load(a->set, fp, name, a->types, err, errlen);
}

static int load(struct eval_set *s, const char *path, const char *types)
{
	struct load_arg a = { s, types };

	return path_load_file(path, load_tsv, &a);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "types", required_argument, NULL, 't' },
		{ "errors", no_argument, NULL, 'e' },
		{ "min", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct eval_set gold, pred;
	const char *types = NULL;
	double min = -1;
	int c, errors = 0, st;

	diag_init(argv[0]);
	while ((c = getopt_long(argc, argv, "t:em:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 't': types = optarg; break;
		case 'e': errors = 1; break;
		case 'm':
			if (sscanf(optarg, "%lf", &min) != 1 || min < 0 || min > 1) {
				diag_warn("--min: want a number from 0 to 1");
				return EX_USAGE;
			}
			break;
		case 'h': usage(stdout); return EX_OK;
		case 'V': printf("ner-eval %s\n", NERPIPE_VERSION); return EX_OK;
		default: usage(stderr); return EX_USAGE;
		}
	}
	if (argc - optind != 2) {
		usage(stderr);
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
