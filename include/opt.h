/* opt.h - command-line option values. */
#ifndef NERPIPE_OPT_H
#define NERPIPE_OPT_H

/* Parse a non-negative decimal integer option value; -1 if malformed
 * (empty, trailing characters, negative, or out of range of long). */
long opt_parse_count(const char *s);

#endif
