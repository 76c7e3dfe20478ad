/* diag.h - diagnostics and exit handling shared by every nerpipe program. */
#ifndef NERPIPE_DIAG_H
#define NERPIPE_DIAG_H

#include <stdio.h>
#include <stdnoreturn.h>
#include <sysexits.h>

/* Name used to prefix every message; set once by diag_init(argv[0]). */
extern const char *diag_prog;

/* Set the program name, and (with glibc) have blocks of 1 MiB or more
 * mapped and unmapped on their own, so that memory freed after a large
 * document goes back to the system. */
void diag_init(const char *argv0);

/* Print "prog: message" to stderr.  When fmt ends in ':', append
 * " strerror(errno)".  Never exits. */
void diag_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* diag_warn, then exit(status).  Only main() and its helpers call this:
 * library code returns errors instead. */
noreturn void diag_die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Out of memory: report and exit EX_OSERR.  Called by the x*alloc
 * helpers (alloc.h), the one place where library code may end the
 * process. */
noreturn void diag_oom(void);

/* Ignore SIGPIPE so that a closed reader shows up as EPIPE on write. */
void diag_ignore_sigpipe(void);

/* Flush and close fp after a run.  Returns EX_OK, or EX_IOERR after saying
 * why.  A reader that went away (EPIPE) is not an error: it returns EX_OK
 * quietly, like ripgrep, so "nerpipe x.txt | head -1" says nothing. */
int diag_close_output(FILE *fp, const char *name);

/* Progress on stderr, only when stderr is a terminal: "\rprog: MSG".
 * diag_progress_done() ends the line. */
void diag_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void diag_progress_done(void);
/* True if diag_progress would show anything (stderr is a terminal), so
 * that callers can skip counting for it. */
int diag_progress_wanted(void);

#endif
