/* diag.c - diagnostics and output closing. */
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"

const char *diag_prog = "nerpipe";
static int progress_shown;

void diag_init(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');

	diag_prog = slash ? slash + 1 : argv0;
#ifdef __GLIBC__
	/* Blocks of a megabyte or more (a large document's arrays) come
	 * from mmap: they grow by mremap without a copy and go back to the
	 * system when freed.  Setting the threshold stops glibc from
	 * raising it after such a block is freed, which put the next ones
	 * on the heap, where growing copies them and freeing keeps them. */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
}

static void vwarn(const char *fmt, va_list ap)
{
	int saved = errno;
	size_t n = strlen(fmt);

	if (progress_shown)
		diag_progress_done();
	fprintf(stderr, "%s: ", diag_prog);
	vfprintf(stderr, fmt, ap);
	if (n > 0 && fmt[n - 1] == ':')
		fprintf(stderr, " %s", strerror(saved));
	fputc('\n', stderr);
}

void diag_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

noreturn void diag_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(status);
}

noreturn void diag_oom(void)
{
	diag_die(EX_OSERR, "out of memory");
}

void diag_ignore_sigpipe(void)
{
	signal(SIGPIPE, SIG_IGN);
}

int diag_close_output(FILE *fp, const char *name)
{
	int bad = fflush(fp) != 0 || ferror(fp);
	int err = errno;

	if (fclose(fp) != 0 && !bad) {
		bad = 1;
		err = errno;
	}
	if (!bad || err == EPIPE)
		return EX_OK;
	errno = err;
	diag_warn("%s: write error:", name);
	return EX_IOERR;
}

void diag_progress(const char *fmt, ...)
{
	va_list ap;

	if (!isatty(STDERR_FILENO))
		return;
	fprintf(stderr, "\r%s: ", diag_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\033[K", stderr);
	progress_shown = 1;
}

int diag_progress_wanted(void)
{
	return isatty(STDERR_FILENO);
}

void diag_progress_done(void)
{
	if (progress_shown) {
		fputc('\n', stderr);
		progress_shown = 0;
	}
}
