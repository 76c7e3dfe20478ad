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

#include "alloc.h"
#include "diag.h"
#include "gaz.h"
#include "path.h"
#include "opt.h"

static const struct opt opts[] = {
	{ "output", 'o', "FILE", "where to write (required to compile)" },
	{ "check", 'c', NULL, "check each FILE.gaz: its checksum and every\n"
			      "node and entry" },
	{ "quiet", 'q', NULL, "do not print the entry count" },
	{ NULL, 0, NULL, NULL },
};

static const struct opt_prog cli = {
	.name = "ner-gazc",
	.usage = "-o OUT.gaz SOURCE.tsv...\n       ner-gazc --check FILE.gaz...",
	.about = "Compile gazetteer sources into one binary gazetteer for ner-gaz,\n"
		 "or check compiled gazetteers whole.\n",
	.opts = opts,
	.footer = "See ner-gazc(1) and gazetteers/README for the source format.\n",
};

static int load_tsv(FILE *fp, const char *name, void *arg, struct err *e)
{
	return gaz_builder_load_tsv(arg, fp, name, e);
}

/* Load a source; says why not and returns the exit status. */
static int load(struct gaz_builder *b, const char *path)
{
	struct err e;

	if (path_load_file(path, load_tsv, b, &e) == 0)
		return EX_OK;
	diag_warn("%s", e.msg);
	return e.code;
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

/* Open each file with GAZ_VERIFY: its checksum, then every slot, node
 * and entry.  Returns EX_OK, else EX_NOINPUT if a file could not be
 * read, else EX_DATAERR. */
static int check(char **files, int n)
{
	int st = EX_OK;

	for (int i = 0; i < n; i++) {
		struct gaz *g;
		struct err e;

		if (gaz_open(files[i], GAZ_VERIFY, &g, &e) < 0) {
			diag_warn("%s", e.msg);
			if (st == EX_OK || e.code == EX_NOINPUT)
				st = e.code;
			continue;
		}
		gaz_close(g);
	}
	return st;
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	int c, quiet = 0, checking = 0, st = EX_OK;

	diag_init(argv[0]);
	opt_start();
	while ((c = opt_next(&cli, argc, argv)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'q': quiet = 1; break;
		case 'c': checking = 1; break;
		case OPT_DONE: return diag_close_output(stdout, "<stdout>");
		default: return EX_USAGE;
		}
	}
	if (checking && !out && optind < argc)
		return check(argv + optind, argc - optind);
	if (checking || !out || optind >= argc) {
		opt_bad(&cli, checking ? "--check wants files and no -o" :
			"need -o OUT.gaz and at least one source");
		return EX_USAGE;
	}
	struct gaz_builder *b = gaz_builder_new();

	for (int i = optind; i < argc && st == EX_OK; i++)
		st = load(b, argv[i]);
	if (st == EX_OK)
		st = save(b, out);
	if (st == EX_OK && !quiet && gaz_builder_left_out(b))
		fprintf(stderr, "ner-gazc: %s: %zu entries (%zu respellings left "
			"out by their fold= guard)\n", out, gaz_builder_count(b),
			gaz_builder_left_out(b));
	else if (st == EX_OK && !quiet)
		fprintf(stderr, "ner-gazc: %s: %zu entries\n", out,
			gaz_builder_count(b));
	gaz_builder_free(b);
	return st;
}
