/* alloc.h - memory allocation that never returns NULL. */
#ifndef NERPIPE_ALLOC_H
#define NERPIPE_ALLOC_H

#include <stddef.h>

/* As malloc, calloc, realloc and strdup (a size of 0 asks for 1 byte),
 * but out of memory ends the process with EX_OSERR after saying so
 * (diag_oom): the one place where library code may exit.  The caller
 * frees what they return. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Scratch arrays reused from one document to the next: returns p if
 * *cap (in elements of size bytes) is at least n, else frees p and
 * returns a new array of n elements, setting *cap to n.  What p held is
 * not kept either way the array grows: only for arrays that are filled
 * anew before they are read.  xscratch_zero also sets the first n
 * elements to zero. */
void *xscratch(void *p, size_t *cap, size_t n, size_t size);
void *xscratch_zero(void *p, size_t *cap, size_t n, size_t size);
/* After a large document: returns p, or NULL after freeing it if its
 * *cap elements of size bytes are more than keep bytes (*cap is then
 * 0), so that one huge document does not leave its memory behind. */
void *xscratch_trim(void *p, size_t *cap, size_t size, size_t keep);

#endif
