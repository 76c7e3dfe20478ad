/* err.h - the library's one way to fail: return -1 (or NULL) and say why
 * in a struct err; only a program's main prints it and picks the exit
 * status. */
#ifndef NERPIPE_ERR_H
#define NERPIPE_ERR_H

/* What went wrong: a sysexits class (EX_DATAERR a malformed input,
 * EX_NOINPUT an unreadable one, EX_CONFIG a bad pipeline.conf, EX_IOERR a
 * failed read or write...; EX_OK while nothing went wrong) and a message
 * without the program's name, "path:line: why" where a place is known.
 * A message longer than the buffer is cut. */
struct err {
	int code;
	char msg[512];
};

#define ERR_INIT { 0, "" }

/* Fill e with code and the message fmt formats; when fmt ends in ':',
 * append " " and strerror(errno), as diag_warn does.  Returns -1, so
 * that a function can fail with "return err_set(e, ...)". */
int err_set(struct err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
