/* opt.c - command-line option values (opt.h). */
#include <errno.h>
#include <stdlib.h>

#include "opt.h"

long opt_parse_count(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0)
		return -1;
	return v;
}
