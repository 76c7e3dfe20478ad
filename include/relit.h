/* relit.h - the strings a literal-only regular expression matches. */
#ifndef NERPIPE_RELIT_H
#define NERPIPE_RELIT_H

#include <stddef.h>

/*
 * Many rule patterns are a finite set of words in disguise:
 * "Army|Navy|Guards?|Organi[sz]ation", "retd\.?|rtd\.?", "[-–]".  When a
 * pattern, matched against a whole token, can match only finitely many
 * strings, those strings can be looked up instead of running the regex.
 *
 * relit_expand understands alternatives joined by '|', literal characters
 * (UTF-8), '\' before a character that is not a letter or a digit,
 * bracket classes of literal characters ("[sz]", "[–—:-]"; a '-' only
 * first or last), and '?' after a character or a class.  Anything else
 * (groups, '.', '*', '+', '{', anchors, \p{..}) gives up.
 */

/* If pattern matches exactly a set of at most max strings, set *words to
 * them (sorted by strcmp, no duplicates) and *n to their number and
 * return 1.  The array and the strings are one block: the caller frees
 * *words alone.  The strings follow the array, from (char *)(*words +
 * *n) on, one after another (in no set order), each with its NUL.
 * Otherwise return 0 and set nothing. */
int relit_expand(const char *pattern, size_t max, char ***words, size_t *n);

#endif
