/* ner-gazc - compile gazetteer sources (TSV) into the binary ner-gaz loads.
 * See ner-gazc(1). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "diag.h"
#include "gaz.h"
#include "stage.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: ner-gazc -o OUT.gaz SOURCE.tsv...\n"
		"       ner-gazc --check FILE.gaz...\n"
		"Compile gazetteer sources into one binary gazetteer for ner-gaz,\n"
		"or check compiled gazetteers whole.\n\n"
		"options:\n"
		"  -o, --output FILE  where to write (required to compile)\n"
		"  -c, --check        check each FILE.gaz: its checksum and every\n"
		"                     node and entry\n"
		"  -q, --quiet        do not print the entry count\n"
		"  -h, --help         show this help and exit\n"
		"  -V, --version      show the version and exit\n"
		"\nSee ner-gazc(1) and gazetteers/README for the source format.\n");
}

static int load_tsv(FILE *fp, const char *name, void *arg, char *err,
		    size_t errlen)
{
	return gaz_builder_load_tsv(arg, fp, name, err, errlen);
}

static int load(struct gaz_builder *b, const char *path)
{
	return stage_load_file(path, load_tsv, b);
}

/* Write to a temporary name and rename, so a reader never sees half a
 * gazetteer.  Only a regular file is ever replaced: out may not be a
 * device, a FIFO, a directory or a symbolic link (rename would replace
 * the node itself), and the temporary file is made new, not followed. */
static int save(struct gaz_builder *b, const char *out)
{
	size_t n = strlen(out) + 16;
	char *tmp;
	struct stat sb;
	int st = EX_OK;

	if (lstat(out, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		diag_warn("%s: not a regular file (%s): ner-gazc replaces only "
			  "regular files", out, S_ISLNK(sb.st_mode) ?
			  "a symbolic link" : S_ISDIR(sb.st_mode) ?
			  "a directory" : "a device or FIFO");
		return EX_CANTCREAT;
	}
	tmp = xmalloc(n);
	snprintf(tmp, n, "%s.tmp%ld", out, (long)getpid());
	/* Made new here, so that nothing already at that name is written. */
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0666);

	if (fd < 0 || close(fd) < 0) {
		diag_warn("%s:", tmp);
		free(tmp);
		return EX_CANTCREAT;
	}
	if (gaz_builder_write(b, tmp) < 0 || rename(tmp, out) < 0) {
		diag_warn("%s:", out);
		unlink(tmp);
		st = EX_CANTCREAT;
	}
	free(tmp);
	return st;
}

/* Open each file with the whole check; say what is wrong with each
 * bad one.  Returns EX_OK, or the worst status (EX_NOINPUT before
 * EX_DATAERR). */
static int check(char **files, int n)
{
	int st = EX_OK;

	for (int i = 0; i < n; i++) {
		struct gaz *g;
		char err[1024];
		int fst = gaz_open(files[i], GAZ_VERIFY, &g, err, sizeof(err));

		if (fst != EX_OK) {
			diag_warn("%s", err);
			if (st == EX_OK || fst == EX_NOINPUT)
				st = fst;
		}
		gaz_close(g);
	}
	return st;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "check", no_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	int c, quiet = 0, checking = 0, st = EX_OK;

	diag_init(argv[0]);
	while ((c = getopt_long(argc, argv, "o:cqhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'c': checking = 1; break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return EX_OK;
		case 'V': printf("ner-gazc %s\n", NERPIPE_VERSION); return EX_OK;
		default: usage(stderr); return EX_USAGE;
		}
	}
	if (checking && !out && optind < argc)
		return check(argv + optind, argc - optind);
	if (checking || !out || optind >= argc) {
		diag_warn(checking ? "--check wants files and no -o" :
			  "need -o OUT.gaz and at least one source");
		usage(stderr);
		return EX_USAGE;
	}
	struct gaz_builder *b = gaz_builder_new();

	for (int i = optind; i < argc && st == EX_OK; i++)
		st = load(b, argv[i]);
	if (st == EX_OK)
		st = save(b, out);
	if (st == EX_OK && !quiet)
		fprintf(stderr, "ner-gazc: %s: %zu entries\n", out,
			gaz_builder_count(b));
	gaz_builder_free(b);
	return st;
}
