/* test-relit.c - which patterns are word sets, and which words. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "relit.h"

/* The expansion of pattern joined by spaces, or "NO" if there is none. */
static const char *expand(const char *pattern, size_t max)
{
	static struct buf out;
	char **w;
	size_t n;

	buf_reset(&out);
	if (!relit_expand(pattern, max, &w, &n)) {
		buf_puts(&out, "NO");
		return out.s;
	}
	for (size_t k = 0; k < n; k++) {
		if (k)
			buf_puts(&out, " ");
		buf_puts(&out, w[k]);
	}
	free(w);
	return out.s ? out.s : "";
}

/* Do the strings of pattern's expansion lie right after the array, one
 * after another, each with its NUL (relit.h)? */
static int strings_follow(const char *pattern)
{
	char **w;
	size_t n, len = 0, found = 0;
	int ok = relit_expand(pattern, 64, &w, &n);

	if (!ok)
		return 0;
	for (size_t k = 0; k < n; k++)
		len += strlen(w[k]) + 1;
	/* Each string starts at the text's start or just after a NUL. */
	for (const char *t = (const char *)(w + n); t < (const char *)(w + n) + len;
	     t += strlen(t) + 1)
		for (size_t k = 0; k < n; k++)
			found += w[k] == t;
	free(w);
	return found == n;
}

int main(void)
{
	CHECK_STR("alternatives, sorted", expand("Navy|Army|Corps", 64),
		  "Army Corps Navy");
	CHECK_STR("optional letter", expand("Guards?", 64), "Guard Guards");
	CHECK_STR("bracket class", expand("Organi[sz]ation", 64),
		  "Organisation Organization");
	CHECK_STR("escaped dot, optional", expand("retd\\.?|rtd\\.?", 64),
		  "retd retd. rtd rtd.");
	CHECK_STR("UTF-8 class with a final dash", expand("[–—:-]", 64),
		  "- : – —");
	CHECK_STR("a dash first in a class", expand("[-–]", 64), "- –");
	CHECK_STR("duplicates once", expand("A|A|B", 64), "A B");
	CHECK_STR("spaces are literal", expand("Air Force", 64), "Air Force");
	CHECK_STR("product of two classes", expand("[ab][cd]", 64),
		  "ac ad bc bd");
	CHECK_STR("a range is not literal", expand("[a-z]", 64), "NO");
	CHECK_STR("a group is not literal", expand("(ab)+", 64), "NO");
	CHECK_STR("a dot is not literal", expand("a.b", 64), "NO");
	CHECK_STR("a property is not literal", expand("\\p{Lu}", 64), "NO");
	CHECK_STR("a letter escape is not literal", expand("\\d", 64), "NO");
	CHECK_STR("an empty alternative matches the empty token",
		  expand("a|", 64), "NO");
	CHECK_STR("an optional-only pattern matches the empty token",
		  expand("a?", 64), "NO");
	CHECK_STR("an empty pattern", expand("", 64), "NO");
	CHECK_STR("an open class", expand("[ab", 64), "NO");
	CHECK_STR("too many strings", expand("[ab][cd][ef]", 7), "NO");
	CHECK_STR("just enough strings", expand("[ab][cd][ef]", 8),
		  "ace acf ade adf bce bcf bde bdf");
	CHECK("the strings follow the array", strings_follow("Guards?|Army"));
	CHECK("the strings follow the array, duplicates dropped",
	      strings_follow("A|B|A|[AC]"));
	return CHECK_DONE();
}
