/* test-strmap.c - the string hash map. */
#include <stdio.h>

#include "check.h"
#include "strmap.h"

int main(void)
{
	struct strmap m = STRMAP_INIT;
	size_t v = 0;
	char key[32];

	CHECK("empty map finds nothing", !strmap_get(&m, "a", &v));
	for (size_t i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		strmap_put(&m, key, i * 3);
	}
	CHECK("keeps every value through growth", strmap_get(&m, "k0", &v) && v == 0 &&
	      strmap_get(&m, "k4999", &v) && v == 14997 && m.n == 5000);
	strmap_put(&m, "k7", 1);
	CHECK("replaces a value", strmap_get(&m, "k7", &v) && v == 1 && m.n == 5000);
	CHECK("misses an absent key", !strmap_get(&m, "k5000", &v));
	strmap_clear(&m);
	CHECK("clear forgets", !strmap_get(&m, "k1", &v) && m.n == 0);
	strmap_put(&m, "", 9);
	CHECK("empty key", strmap_get(&m, "", &v) && v == 9);
	strmap_free(&m);
	return CHECK_DONE();
}
