/* buf.h - growable byte buffers and whole-line reading without fixed limits. */
#ifndef NERPIPE_BUF_H
#define NERPIPE_BUF_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* A byte string that grows as needed.  s is NUL-terminated whenever
 * len > 0 or after buf_reset(); the caller owns it and frees it with
 * buf_free().  BUF_INIT is a valid empty buffer. */
struct buf {
	char *s;
	size_t len, cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_reserve(struct buf *b, size_t extra);
void buf_put(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, int c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

/* Read one line, newline included, replacing b's contents.  Returns its
 * length, 0 at end of file, or -1 on a read error (errno set).  A final
 * line without a newline is returned as it is. */
ssize_t buf_getline(struct buf *b, FILE *fp);

/* Read the whole of fp into b.  Returns 0, or -1 on a read error. */
int buf_slurp(struct buf *b, FILE *fp);

#endif
