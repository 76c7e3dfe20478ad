/* buf.c - growable byte buffers. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "diag.h"

void buf_reserve(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need < b->len)
		diag_oom();
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap * 2 > cap ? cap * 2 : need;
	b->s = xrealloc(b->s, cap);
	b->cap = cap;
}

void buf_put(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void buf_putc(struct buf *b, int c)
{
	buf_reserve(b, 1);
	b->s[b->len++] = (char)c;
	b->s[b->len] = '\0';
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void buf_free(struct buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

ssize_t buf_getline(struct buf *b, FILE *fp)
{
	/* POSIX getline grows the same malloc'd block and reports the real
	 * length, so NUL bytes inside a line are not lost. */
	errno = 0;
	ssize_t n = getline(&b->s, &b->cap, fp);

	if (n < 0) {
		b->len = 0;
		if (b->s)
			b->s[0] = '\0';
		return ferror(fp) ? -1 : 0;
	}
	b->len = (size_t)n;
	return n;
}

int buf_slurp(struct buf *b, FILE *fp)
{
	for (;;) {
		buf_reserve(b, 65536);
		size_t n = fread(b->s + b->len, 1, b->cap - b->len - 1, fp);

		b->len += n;
		b->s[b->len] = '\0';
		if (n == 0)
			return ferror(fp) ? -1 : 0;
	}
}
