/* alloc.c - allocation that never returns NULL (alloc.h). */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "diag.h"

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		diag_oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		diag_oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		diag_oom();
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		diag_oom();
	return p;
}

void *xscratch(void *p, size_t *cap, size_t n, size_t size)
{
	if (n <= *cap)
		return p;
	free(p);
	*cap = n;
	return xmalloc(n * size);
}

void *xscratch_zero(void *p, size_t *cap, size_t n, size_t size)
{
	p = xscratch(p, cap, n, size);
	if (n)
		memset(p, 0, n * size);
	return p;
}

void *xscratch_trim(void *p, size_t *cap, size_t size, size_t keep)
{
	if (*cap <= keep / size)
		return p;
	free(p);
	*cap = 0;
	return NULL;
}
