/* err.c - filling a struct err (err.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

int err_set(struct err *e, int code, const char *fmt, ...)
{
	int saved = errno;
	size_t n = strlen(fmt), len;
	va_list ap;

	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	len = strlen(e->msg);
	if (n > 0 && fmt[n - 1] == ':' && len < sizeof(e->msg))
		snprintf(e->msg + len, sizeof(e->msg) - len, " %s", strerror(saved));
	return -1;
}
